/**
 * English texts of a form, kept in its uiSchema so the JSON Schema (the server's validation contract)
 * stays as it is: a field's uiSchema node may carry
 *
 *   "ui:i18n": { "en": { "title": "...", "help": "...", "description": "...", "enumNames": ["..."] } }
 *
 * and `localizeUiSchema` turns those into the keys react-jsonschema-form reads (`ui:title`, `ui:help`,
 * `ui:description`, option labels) when the interface is in English. The Chinese texts stay where the
 * admin wrote them (the schema's `title`, `ui:help`…), so zh-CN needs no change at all.
 */
export type FormI18nLang = 'zh-CN' | 'en';

export interface FieldTexts {
  title?: string;
  help?: string;
  description?: string;
  /** Option labels, in the order of the field's `enum` / `oneOf` / `anyOf` (or by value). */
  enumNames?: string[] | Record<string, string>;
}

export const I18N_KEY = 'ui:i18n';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const cache = new WeakMap<object, Map<string, { schema: unknown; out: unknown }>>();

/**
 * The uiSchema as react-jsonschema-form should see it in `lang`: for 'en', every node (object
 * properties, array `items`, nested sections, conditional fields at the root) whose `ui:i18n.en` has a
 * text gets it as `ui:title` / `ui:help` / `ui:description` / option labels; for 'zh-CN' (or a uiSchema
 * without any `ui:i18n`) the very same object comes back. Pure: the input is never changed, and the
 * result is cached per input object, language and schema, so memoised forms keep their props.
 */
export function localizeUiSchema<T>(uiSchema: T, schema: unknown, lang: FormI18nLang | string): T {
  if (lang !== 'en' || !isObj(uiSchema)) return uiSchema;
  let byLang = cache.get(uiSchema);
  const hit = byLang?.get(lang);
  if (hit && hit.schema === schema) return hit.out as T;
  const root = isObj(schema) ? schema : undefined;
  const out = localizeNode(uiSchema, root, root, lang) as T;
  if (!byLang) {
    byLang = new Map();
    cache.set(uiSchema, byLang);
  }
  byLang.set(lang, { schema, out });
  return out;
}

/** The English texts stored on one uiSchema node (an empty object when none). */
export function fieldTexts(uiNode: unknown, lang: FormI18nLang | string = 'en'): FieldTexts {
  if (!isObj(uiNode)) return {};
  const all = uiNode[I18N_KEY];
  const texts = isObj(all) ? all[lang] : undefined;
  return isObj(texts) ? (texts as FieldTexts) : {};
}

/** `$ref: "#/..."` followed inside the root schema (once per step; a missing target is undefined). */
function deref(node: Json | undefined, root: Json | undefined): Json | undefined {
  let cur = node;
  for (let i = 0; cur && typeof cur.$ref === 'string' && i < 16; i++) {
    const ref = cur.$ref as string;
    if (!ref.startsWith('#') || !root) return cur;
    let target: unknown = root;
    for (const part of ref.slice(1).split('/').filter(Boolean)) {
      const key = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
      target = isObj(target) ? target[key] : undefined;
    }
    cur = isObj(target) ? target : undefined;
  }
  return cur;
}

/** The schema of property `name` of an object schema, also when it lives in a conditional branch. */
function propertySchema(s: Json | undefined, name: string, root: Json | undefined): Json | undefined {
  if (!s) return undefined;
  const props = s.properties;
  if (isObj(props) && isObj(props[name])) return deref(props[name] as Json, root);
  const branches: unknown[] = [];
  for (const k of ['allOf', 'anyOf', 'oneOf'])
    if (Array.isArray(s[k])) for (const b of s[k] as unknown[]) branches.push(b);
  for (const b of branches) {
    const bs = deref(isObj(b) ? b : undefined, root);
    if (!bs) continue;
    for (const part of [bs, bs.then, bs.else]) {
      const found = isObj(part) ? propertySchema(part, name, root) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}

const TEXT_KEYS = [
  ['title', 'ui:title'],
  ['help', 'ui:help'],
  ['description', 'ui:description'],
] as const;

function localizeNode(ui: Json, schema: Json | undefined, root: Json | undefined, lang: string): Json {
  let out: Json | null = null;
  const put = (k: string, v: unknown) => {
    out ??= { ...ui };
    out[k] = v;
  };

  const texts = fieldTexts(ui, lang);
  for (const [from, to] of TEXT_KEYS) {
    const text = texts[from];
    if (typeof text !== 'string' || !text.trim()) continue;
    put(to, text);
    // `ui:options.title` would win over `ui:title` in rjsf when listed after it: keep them in step.
    const options = (out ?? ui)['ui:options'];
    if (isObj(options) && from in options) put('ui:options', { ...options, [from]: text });
  }
  if (texts.enumNames) applyOptionLabels(texts.enumNames, schema, root, (k, v) => put(k, v), out ?? ui);

  for (const [k, child] of Object.entries(ui)) {
    if (k.startsWith('ui:') || !isObj(child)) continue;
    let childSchema: Json | undefined;
    if (k === 'items' && schema?.type === 'array')
      childSchema = deref(isObj(schema.items) ? schema.items : undefined, root);
    else if (k === 'additionalProperties' && isObj(schema?.additionalProperties))
      childSchema = deref(schema.additionalProperties as Json, root);
    else childSchema = propertySchema(schema, k, root);
    // `items` may already carry option labels set above: localize what is there now
    const current = (out ?? ui)[k];
    const base = isObj(current) ? current : child;
    const next = localizeNode(base, childSchema, root, lang);
    if (next !== current) put(k, next);
  }
  return out ?? ui;
}

/**
 * English option labels: `ui:enumNames` for an `enum`, `oneOf[i]['ui:title']` (or `anyOf`) for
 * options written as `{ const, title }`; a multi-select list (an array of such items) gets them on its
 * `items` node, where rjsf looks for them.
 */
function applyOptionLabels(
  names: string[] | Record<string, string>,
  schema: Json | undefined,
  root: Json | undefined,
  put: (k: string, v: unknown) => void,
  ui: Json,
): void {
  const s = schema?.type === 'array' ? deref(isObj(schema.items) ? schema.items : undefined, root) : schema;
  let target: Json;
  const alt = s && Array.isArray(s.oneOf) ? 'oneOf' : s && Array.isArray(s.anyOf) ? 'anyOf' : null;
  if (s && alt && !Array.isArray(s.enum)) {
    const options = (s[alt] as unknown[]).map((o) => deref(isObj(o) ? o : undefined, root));
    const given = schema?.type === 'array' && isObj(ui.items) ? (ui.items as Json)[alt] : ui[alt];
    const list = options.map((o, i) => {
      const label = Array.isArray(names) ? names[i] : o && 'const' in o ? names[String(o.const)] : undefined;
      const before = Array.isArray(given) && isObj(given[i]) ? (given[i] as Json) : {};
      return typeof label === 'string' && label.trim() ? { ...before, 'ui:title': label } : before;
    });
    target = { [alt]: list };
  } else {
    const values = Array.isArray(s?.enum) ? (s?.enum as unknown[]) : null;
    const labels = Array.isArray(names) ? names : values ? values.map((v) => names[String(v)] ?? String(v)) : names;
    target = { 'ui:enumNames': labels };
  }
  if (schema?.type === 'array') put('items', { ...(isObj(ui.items) ? (ui.items as Json) : {}), ...target });
  else for (const [k, v] of Object.entries(target)) put(k, v);
}
