/**
 * Attachments (附件) in published forms, shared by the engine and the UIs so both decide the same
 * way which field is an attachment list and what it accepts.
 *
 * A form declares an attachment list as an array of `{ name, url, size, contentType }` objects (the
 * items' `definitions/attachment` convention); `size.maximum` bounds one file, the `contentType`
 * enum/oneOf lists the accepted MIME types, and `ui:options.accept` may narrow them. The engine's
 * upload route stores the file and answers such an object whose `url` is `/api/attachments/<id>`;
 * a case refers to its files by those ids.
 *
 * The one extension key, {@link ATTACHMENTS_FIELD}, names the rjsf field the UIs register
 * (`fields={{ [ATTACHMENTS_FIELD]: … }}`) and the field kind the engine's upload route accepts.
 * A form may set it explicitly as `"ui:field"`; {@link markAttachmentFields} sets it on every
 * attachment list found by shape.
 */
export const ATTACHMENTS_FIELD = 'minflow-attachments';

/** Where the engine serves an uploaded file; the form value's `url`. */
export const ATTACHMENT_URL_PREFIX = '/api/attachments/';

/** Default bound of one file when the schema says nothing (10 MB, as the items declare). */
export const DEFAULT_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export interface AttachmentValue {
  name: string;
  url: string;
  size: number;
  contentType: string;
}

export interface AttachmentLimits {
  /** Largest accepted file in bytes. */
  maxSize: number;
  /** Accepted MIME types (empty: any). */
  accept: string[];
  /** Largest number of files in the list (null: unbounded). */
  maxItems: number | null;
}

type Schema = Record<string, unknown>;

const ID = /^[A-Za-z0-9_-]{8,64}$/;

/** The attachment id in a form value's url (`/api/attachments/<id>`), or null for any other url. */
export function attachmentIdFromUrl(url: unknown): string | null {
  if (typeof url !== 'string' || !url.startsWith(ATTACHMENT_URL_PREFIX)) return null;
  const id = url.slice(ATTACHMENT_URL_PREFIX.length);
  return ID.test(id) ? id : null;
}

export function attachmentUrl(id: string): string {
  return ATTACHMENT_URL_PREFIX + id;
}

const asSchema = (v: unknown): Schema | null =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Schema) : null;

/** Follows local `$ref`s (`#/definitions/x`, `#/$defs/x`), merging the referring schema's own keywords over the target. */
export function resolveSchema(schema: unknown, root: unknown, depth = 0): Schema | null {
  const s = asSchema(schema);
  if (!s || depth > 20) return s;
  if (typeof s.$ref !== 'string' || !s.$ref.startsWith('#/')) return s;
  let target: unknown = root;
  for (const part of s.$ref.slice(2).split('/')) {
    target = asSchema(target)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  const resolved = resolveSchema(target, root, depth + 1);
  if (!resolved) return null;
  const { $ref: _ref, ...own } = s;
  return { ...resolved, ...own };
}

/** Whether an (array) schema is an attachment list: items of shape `{ name, url, size, contentType }`. */
export function isAttachmentList(schema: unknown, root: unknown): boolean {
  const s = resolveSchema(schema, root);
  if (s?.type !== 'array') return false;
  const items = resolveSchema(s.items, root);
  const props = asSchema(items?.properties);
  return !!props && ['name', 'url', 'size', 'contentType'].every((k) => k in props);
}

/** The schema at a JSON pointer into the form DATA (`/attachments/idCards`; array indexes step into `items`). */
export function schemaAtDataPath(root: unknown, pointer: string): Schema | null {
  let cur = resolveSchema(root, root);
  if (pointer === '' || pointer === '/') return cur;
  for (const raw of pointer.replace(/^\//, '').split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!cur) return null;
    if (cur.type === 'array' || 'items' in cur) {
      if (!/^\d+$/.test(part)) return null;
      cur = resolveSchema(cur.items, root);
    } else {
      cur = resolveSchema(asSchema(cur.properties)?.[part], root);
    }
  }
  return cur;
}

/** The options under `ui:options` at a data path of a uiSchema. */
export function uiOptionsAt(uiSchema: unknown, pointer: string): Schema {
  let cur = asSchema(uiSchema);
  for (const raw of pointer.replace(/^\//, '').split('/').filter(Boolean)) {
    if (!cur) break;
    cur = /^\d+$/.test(raw) ? asSchema(cur.items) : asSchema(cur[raw]);
  }
  return asSchema(cur?.['ui:options']) ?? {};
}

function constValues(schema: Schema | null): string[] {
  if (!schema) return [];
  if (Array.isArray(schema.enum)) return schema.enum.filter((v): v is string => typeof v === 'string');
  const alternatives = Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : [];
  return alternatives.map((a) => asSchema(a)?.const).filter((v): v is string => typeof v === 'string');
}

/** Size, type and count limits of an attachment list, from its schema and its `ui:options.accept`. */
export function attachmentLimits(listSchema: unknown, root: unknown, uiOptions: Schema = {}): AttachmentLimits {
  const list = resolveSchema(listSchema, root) ?? {};
  const item = resolveSchema(list.items, root);
  const props = asSchema(item?.properties) ?? {};
  const size = resolveSchema(props.size, root);
  const maxSize = typeof size?.maximum === 'number' ? size.maximum : DEFAULT_MAX_ATTACHMENT_BYTES;
  let accept = constValues(resolveSchema(props.contentType, root));
  if (typeof uiOptions.accept === 'string') {
    const narrowed = uiOptions.accept
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t.includes('/'));
    accept = accept.length ? accept.filter((t) => narrowed.includes(t)) : narrowed;
  }
  const maxItems = typeof list.maxItems === 'number' ? list.maxItems : null;
  return { maxSize, accept, maxItems };
}

/**
 * A copy of `uiSchema` with `"ui:field": ATTACHMENTS_FIELD` at every attachment list of `schema`
 * (properties at any depth; lists inside arrays are not). Explicit `ui:field`s are kept.
 */
export function markAttachmentFields<T>(schema: unknown, uiSchema: T): T {
  const root = schema;
  const walk = (s: unknown, ui: Schema, depth: number): Schema => {
    const resolved = resolveSchema(s, root);
    if (!resolved || depth > 12) return ui;
    if (isAttachmentList(resolved, root)) return 'ui:field' in ui ? ui : { ...ui, 'ui:field': ATTACHMENTS_FIELD };
    const props = asSchema(resolved.properties);
    if (!props) return ui;
    let out = ui;
    for (const [key, child] of Object.entries(props)) {
      const before = asSchema(ui[key]) ?? {};
      const after = walk(child, before, depth + 1);
      if (after !== before) out = { ...out, [key]: after };
    }
    return out;
  };
  return walk(schema, (asSchema(uiSchema) ?? {}) as Schema, 0) as T;
}

export interface AttachmentReference {
  id: string;
  /** JSON pointer of the attachment object in the data. */
  path: string;
}

/** Every attachment referenced in form data: objects whose `url` is `/api/attachments/<id>`. */
export function attachmentReferences(data: unknown): AttachmentReference[] {
  const found: AttachmentReference[] = [];
  const visit = (value: unknown, path: string, depth: number) => {
    if (depth > 16 || !value || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) visit(v, `${path}/${i}`, depth + 1);
      return;
    }
    const obj = value as Schema;
    const id = attachmentIdFromUrl(obj.url);
    if (id && typeof obj.name === 'string') found.push({ id, path });
    for (const [k, v] of Object.entries(obj)) {
      if (k !== 'url') visit(v, `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, depth + 1);
    }
  };
  visit(data, '', 0);
  return found;
}
