import { deepEquals } from '@rjsf/utils';

type Json = unknown;
type Obj = Record<string, Json>;

/** Keywords that only describe (a `$ref`'s own title wins over the definition's, as rjsf shows it). */
const ANNOTATIONS = new Set(['title', 'description', 'default', 'examples', '$comment', 'readOnly', 'writeOnly']);

class CannotInline extends Error {}

const isObj = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function target(root: Obj, ref: string): Json {
  const m = /^#\/(definitions|\$defs)\/([^/]+)$/.exec(ref);
  if (!m) throw new CannotInline(ref);
  const defs = root[m[1]!];
  const name = m[2]!.replace(/~1/g, '/').replace(/~0/g, '~');
  if (!isObj(defs) || !(name in defs)) throw new CannotInline(ref);
  return defs[name];
}

/**
 * The form schema with its local `$ref`s (`#/definitions/x`, `#/$defs/x`) replaced by what they point at, the
 * keywords beside a `$ref` kept (as rjsf and ajv both apply them). rjsf resolves every `$ref` again on each
 * keystroke (walking and copying the whole schema, then once more to a fixpoint); without `$ref`s that work is
 * not done. The meaning is unchanged: anything that cannot be inlined exactly (a recursive or non-local
 * `$ref`, an `$id`, a keyword beside a `$ref` that contradicts the definition) leaves the schema as it is.
 */
export function inlineLocalRefs<T>(schema: T): T {
  if (!isObj(schema)) return schema;
  const root = schema;
  const walk = (node: Json, path: string[]): Json => {
    if (Array.isArray(node)) return node.map((n) => walk(n, path));
    if (!isObj(node)) return node;
    if ('$id' in node && node !== root) throw new CannotInline('$id');
    if ('$dynamicRef' in node || '$recursiveRef' in node || '$anchor' in node) throw new CannotInline('anchor');
    let out: Obj = {};
    for (const [k, v] of Object.entries(node)) {
      // `const`, `enum`, `default`, `examples` are data, not schemas.
      out[k] = k === 'const' || k === 'enum' || k === 'default' || k === 'examples' ? v : walk(v, path);
    }
    if (typeof node.$ref === 'string') {
      const ref = node.$ref;
      if (path.includes(ref)) throw new CannotInline(`recursive ${ref}`);
      const resolved = walk(target(root, ref), [...path, ref]);
      if (!isObj(resolved)) throw new CannotInline(ref);
      const { $ref: _ref, ...siblings } = out;
      for (const [k, v] of Object.entries(siblings)) {
        if (k in resolved && !ANNOTATIONS.has(k) && !deepEquals(resolved[k], v)) throw new CannotInline(k);
      }
      out = { ...resolved, ...siblings };
    }
    return out;
  };
  try {
    return walk(root, []) as T;
  } catch (err) {
    if (err instanceof CannotInline) return schema;
    throw err;
  }
}
