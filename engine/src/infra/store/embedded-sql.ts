/**
 * Compiles a parsed filter (filter.ts) into SQLite SQL over `json_extract`, with MongoDB
 * semantics: equality on an array matches any element, comparisons only match values of the same
 * type (numbers with numbers, strings with strings), `null` matches null and missing, `$ne`/`$nin`
 * match missing fields. Every value is a bound parameter; field paths are validated by
 * `isFieldPath` and quoted, so nothing from the caller reaches the SQL text.
 */
import { type Cond, type FieldOp, prefixUpperBound, type Scalar } from './filter.js';

export interface SqlCtx {
  params: unknown[];
  /** Paths known to hold scalars (fields of non-multikey indexes): compared without the array branch, so their index is used. */
  scalarFields: ReadonlySet<string>;
  alias: number;
}

interface Src {
  /** SQL expression of the JSON text holding the fields. */
  json: string;
  root: boolean;
}

interface Leaf {
  x: string;
  t: string;
  /** A top-level field of a non-multikey index: never an array, and its index holds `x`. */
  indexed?: boolean;
  /** Applies a positive predicate to the value, and (for possibly-array fields) to each element. */
  any: (pred: (x: string, t: string) => string) => string;
}

export const ROOT: Src = { json: 't.doc', root: true };

/** `'$."a"."b"'`: segments are validated identifiers (no quotes, no backslashes). */
export function jsonPath(path: string): string {
  return `'$${path
    .split('.')
    .map((s) => `."${s}"`)
    .join('')}'`;
}

/** The SQL expression of a field's value on the main table (`alias` is the table alias or ''). */
export function fieldExpr(path: string, table = 't'): string {
  const prefix = table ? `${table}.` : '';
  if (path === '_id') return `${prefix}id`;
  if (path === '_v') return `${prefix}v`;
  return `json_extract(${prefix}doc,${jsonPath(path)})`;
}

function leafOf(src: Src, path: string, ctx: SqlCtx): Leaf {
  if (src.root && (path === '_id' || path === '_v')) {
    const x = fieldExpr(path);
    const t = path === '_id' ? `'text'` : `'integer'`;
    return { x, t, any: (p) => p(x, t) };
  }
  const jp = jsonPath(path);
  const x = `json_extract(${src.json},${jp})`;
  const t = `json_type(${src.json},${jp})`;
  if (src.root && ctx.scalarFields.has(path)) return { x, t, indexed: true, any: (p) => p(x, t) };
  return {
    x,
    t,
    any: (p) => {
      const direct = p(x, t);
      const a = `j${ctx.alias++}`;
      return `(${direct} OR (${t} = 'array' AND EXISTS (SELECT 1 FROM json_each(${src.json},${jp}) AS ${a} WHERE ${p(`${a}.value`, `${a}.type`)})))`;
    },
  };
}

function eqSql(v: Scalar, x: string, t: string, ctx: SqlCtx): string {
  if (v === null) return `(${t} IS NULL OR ${t} = 'null')`;
  if (typeof v === 'boolean') return `${t} = '${v ? 'true' : 'false'}'`;
  ctx.params.push(v);
  return typeof v === 'string' ? `(${t} = 'text' AND ${x} = ?)` : `(${t} IN ('integer','real') AND ${x} = ?)`;
}

function inSql(values: Scalar[], x: string, t: string, ctx: SqlCtx): string {
  const strings = values.filter((v): v is string => typeof v === 'string');
  const numbers = values.filter((v): v is number => typeof v === 'number');
  const parts: string[] = [];
  if (strings.length === 1) parts.push(eqSql(strings[0], x, t, ctx));
  else if (strings.length > 1) {
    ctx.params.push(...strings);
    parts.push(`(${t} = 'text' AND ${x} IN (${strings.map(() => '?').join(',')}))`);
  }
  if (numbers.length === 1) parts.push(eqSql(numbers[0], x, t, ctx));
  else if (numbers.length > 1) {
    ctx.params.push(...numbers);
    parts.push(`(${t} IN ('integer','real') AND ${x} IN (${numbers.map(() => '?').join(',')}))`);
  }
  if (values.includes(true)) parts.push(eqSql(true, x, t, ctx));
  if (values.includes(false)) parts.push(eqSql(false, x, t, ctx));
  if (values.includes(null)) parts.push(eqSql(null, x, t, ctx));
  return parts.length === 0 ? '0' : parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
}

const RANGE = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

function rangeSql(op: keyof typeof RANGE, v: string | number, x: string, t: string, ctx: SqlCtx): string {
  ctx.params.push(v);
  const type = typeof v === 'string' ? `${t} = 'text'` : `${t} IN ('integer','real')`;
  return `(${type} AND ${x} ${RANGE[op]} ?)`;
}

function prefixSql(prefix: string, x: string, t: string, ctx: SqlCtx): string {
  if (prefix === '') return `${t} = 'text'`;
  const upper = prefixUpperBound(prefix);
  ctx.params.push(prefix);
  if (upper === null) return `(${t} = 'text' AND ${x} >= ?)`;
  ctx.params.push(upper);
  return `(${t} = 'text' AND ${x} >= ? AND ${x} < ?)`;
}

/**
 * The same test as the typed one, without `json_type` (which reads the document), for a field of a
 * non-multikey index, so the index alone answers it (and covers a count): null when not exact.
 * `json_extract` gives TEXT for a string, but also for an object or an array (its JSON text,
 * starting with `{` or `[`), INTEGER/REAL for a number or a boolean, NULL for null or missing;
 * values of different storage classes never compare equal. So a string that does not start with
 * `{` or `[` is only equal to that string, `IS NULL` is exactly "null or missing" (the field is
 * never an array), and `>= '' AND < v` (with `v` below `[`) holds only strings below `v` (numbers
 * sort before `''`, objects and arrays after `v`).
 */
function indexedSql(op: FieldOp, x: string, ctx: SqlCtx): string | null {
  const plain = (v: Scalar) => typeof v === 'string' && !v.startsWith('{') && !v.startsWith('[');
  switch (op.op) {
    case 'eq':
    case 'ne': {
      let sql: string;
      if (op.value === null) sql = `${x} IS NULL`;
      else if (plain(op.value)) {
        ctx.params.push(op.value);
        sql = `${x} = ?`;
      } else return null;
      return op.op === 'eq' ? sql : `(${sql}) IS NOT 1`;
    }
    case 'in':
    case 'nin': {
      if (op.values.length === 0 || !op.values.every(plain)) return null;
      ctx.params.push(...op.values);
      const sql = `${x} IN (${op.values.map(() => '?').join(',')})`;
      return op.op === 'in' ? sql : `(${sql}) IS NOT 1`;
    }
    case 'lt':
    case 'lte':
      if (typeof op.value !== 'string' || !(op.value < '[')) return null;
      ctx.params.push(op.value);
      return `(${x} >= '' AND ${x} ${RANGE[op.op]} ?)`;
    default:
      return null;
  }
}

function opSql(op: FieldOp, leaf: Leaf, src: Src, path: string | null, ctx: SqlCtx): string {
  if (leaf.indexed) {
    const sql = indexedSql(op, leaf.x, ctx);
    if (sql !== null) return sql;
  }
  switch (op.op) {
    case 'eq':
      return leaf.any((x, t) => eqSql(op.value, x, t, ctx));
    case 'ne':
      return `(${leaf.any((x, t) => eqSql(op.value, x, t, ctx))}) IS NOT 1`;
    case 'in':
      return op.values.length === 0 ? '0' : leaf.any((x, t) => inSql(op.values, x, t, ctx));
    case 'nin':
      return op.values.length === 0 ? '1' : `(${leaf.any((x, t) => inSql(op.values, x, t, ctx))}) IS NOT 1`;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return leaf.any((x, t) => rangeSql(op.op, op.value, x, t, ctx));
    case 'prefix':
      return leaf.any((x, t) => prefixSql(op.value, x, t, ctx));
    case 'exists':
      return `${leaf.t} ${op.value ? 'IS NOT NULL' : 'IS NULL'}`;
    case 'elemMatch': {
      if (path === null || (src.root && (path === '_id' || path === '_v'))) return '0';
      const a = `j${ctx.alias++}`;
      const jp = jsonPath(path);
      let inner: string;
      if (op.match.kind === 'scalar') {
        const x = `${a}.value`;
        const t = `${a}.type`;
        const elemLeaf: Leaf = { x, t, any: (p) => p(x, t) };
        inner = op.match.ops.map((o) => opSql(o, elemLeaf, src, null, ctx)).join(' AND ') || '1';
      } else {
        inner = condSql(
          op.match.cond,
          { json: `(CASE WHEN ${a}.type = 'object' THEN ${a}.value END)`, root: false },
          ctx,
        );
      }
      return `(${leaf.t} = 'array' AND EXISTS (SELECT 1 FROM json_each(${src.json},${jp}) AS ${a} WHERE ${inner}))`;
    }
  }
}

export function condSql(cond: Cond, src: Src, ctx: SqlCtx): string {
  switch (cond.kind) {
    case 'and':
      return cond.items.length === 0 ? '1' : `(${cond.items.map((c) => condSql(c, src, ctx)).join(' AND ')})`;
    case 'or':
      return `(${cond.items.map((c) => condSql(c, src, ctx)).join(' OR ')})`;
    case 'field': {
      const leaf = leafOf(src, cond.path, ctx);
      const parts = cond.ops.map((op) => opSql(op, leaf, src, cond.path, ctx));
      return parts.length === 1 ? parts[0] : `(${parts.join(' AND ')})`;
    }
  }
}

/**
 * Keyset condition "after the row whose sort keys were `values`" for keys `[expr, dir]`, with
 * SQLite's order (NULL first ascending, last descending) so pages follow ORDER BY exactly.
 */
export function keysetSql(keys: [string, 1 | -1][], values: unknown[], ctx: SqlCtx): string {
  const first = values[0];
  let bound = '';
  if (keys[0][1] === 1 && first !== null) {
    // Redundant with the OR below, but gives SQLite a range start on the first key's index.
    ctx.params.push(first);
    bound = `${keys[0][0]} >= ? AND `;
  }
  const branches: string[] = [];
  for (let i = 0; i < keys.length; i++) {
    const parts: string[] = [];
    for (let j = 0; j < i; j++) {
      const v = values[j];
      if (v === null) parts.push(`${keys[j][0]} IS NULL`);
      else {
        ctx.params.push(v);
        parts.push(`${keys[j][0]} = ?`);
      }
    }
    const [expr, dir] = keys[i];
    const v = values[i];
    if (dir === 1) {
      if (v === null) parts.push(`${expr} IS NOT NULL`);
      else {
        ctx.params.push(v);
        parts.push(`${expr} > ?`);
      }
    } else if (v === null) {
      continue; // nothing sorts after NULL in descending order except ties, handled by later keys
    } else {
      ctx.params.push(v);
      parts.push(`(${expr} < ? OR ${expr} IS NULL)`);
    }
    branches.push(`(${parts.join(' AND ')})`);
  }
  return branches.length === 0 ? '0' : `(${bound}(${branches.join(' OR ')}))`;
}
