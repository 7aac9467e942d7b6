/**
 * The form builder's operations on a JSON Schema (draft-07) + react-jsonschema-form uiSchema pair.
 * The schema itself is the model: every edit is a function of (schema, uiSchema) → (schema, uiSchema),
 * so keywords the builder does not know (an expert's hand edit in the JSON view) are kept as they are.
 *
 * A field is found by its location: the property names from the root (`path`), and for a field shown
 * only under a condition (`cond`), the index of the `allOf` entry whose `if`/`then` holds it. A
 * conditional field lives in `then.properties` only, so @rjsf shows it when the condition holds and the
 * server validates it with the same rule.
 */
import { type AddressLevel, addressLevel, addressSchema, isAddressField } from '@minflow/sdk/address';
import { attachmentLimits, isAttachmentList, resolveSchema } from '@minflow/sdk/attachments';
import { codeListOneOf } from '@minflow/sdk/code-lists';
import { type FieldTexts, fieldTexts, I18N_KEY } from '@minflow/sdk/form-i18n';

export type Json = Record<string, unknown>;
export interface FormState {
  schema: Json;
  uiSchema: Json;
}
export interface FieldLoc {
  path: string[];
  /** allOf index of the rule holding this root field (conditional visibility) */
  cond?: number;
}
export type FieldKind =
  | 'text'
  | 'number'
  | 'money'
  | 'date'
  | 'select'
  | 'idNumber'
  | 'phone'
  | 'textarea'
  | 'yesno'
  | 'file'
  | 'address'
  | 'section'
  | 'group';

export const PALETTE: Array<{ kind: FieldKind; label: string; en: string; name: string }> = [
  { kind: 'text', label: '单行文本', en: 'Text', name: 'text' },
  { kind: 'number', label: '数字', en: 'Number', name: 'number' },
  { kind: 'money', label: '金额（元）', en: 'Money (yuan)', name: 'amount' },
  { kind: 'date', label: '日期', en: 'Date', name: 'date' },
  { kind: 'select', label: '下拉选择', en: 'Select', name: 'choice' },
  { kind: 'idNumber', label: '身份证号码', en: 'ID number', name: 'idNumber' },
  { kind: 'phone', label: '手机号码', en: 'Mobile phone', name: 'phone' },
  { kind: 'textarea', label: '多行文本', en: 'Long text', name: 'remarks' },
  { kind: 'yesno', label: '是/否', en: 'Yes / no', name: 'flag' },
  { kind: 'file', label: '附件上传', en: 'File upload', name: 'files' },
  { kind: 'address', label: '地址', en: 'Address', name: 'address' },
  { kind: 'section', label: '分组（对象）', en: 'Section (object)', name: 'section' },
  { kind: 'group', label: '重复组（列表）', en: 'Repeating group (list)', name: 'rows' },
];

export function kindLabel(kind: FieldKind, lang: 'zh-CN' | 'en' = 'zh-CN'): string {
  const p = PALETTE.find((x) => x.kind === kind);
  return p ? (lang === 'en' ? p.en : p.label) : kind;
}

export interface Condition {
  field: string;
  op: 'eq' | 'gt';
  value: string | number | boolean;
}

export interface FieldEntry {
  loc: FieldLoc;
  id: string;
  name: string;
  depth: number;
  kind: FieldKind;
  schema: Json;
  ui: Json;
  required: boolean;
  condition?: Condition;
}

const clone = <T>(v: T): T => structuredClone(v);
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function blankForm(title = ''): FormState {
  return {
    schema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      ...(title ? { title } : {}),
      type: 'object',
      required: [],
      properties: {},
    },
    uiSchema: { 'ui:order': [] },
  };
}

export function locId(loc: FieldLoc): string {
  return (loc.cond !== undefined ? `?${loc.cond}/` : '') + loc.path.join('/');
}

export function parseLocId(id: string): FieldLoc {
  const m = /^\?(\d+)\/(.*)$/.exec(id);
  if (m) return { cond: Number(m[1]), path: m[2].split('/') };
  return { path: id.split('/') };
}

export function newField(kind: FieldKind, title: string): { schema: Json; ui: Json } {
  switch (kind) {
    case 'text':
      return { schema: { type: 'string', title, maxLength: 100 }, ui: {} };
    case 'number':
      return { schema: { type: 'number', title }, ui: {} };
    case 'money':
      return {
        schema: { type: 'number', title, minimum: 0 },
        ui: { 'ui:options': { kind: 'money' }, 'ui:placeholder': '单位：元' },
      };
    case 'date':
      return { schema: { type: 'string', title, format: 'date' }, ui: {} };
    case 'select':
      return {
        schema: {
          type: 'string',
          title,
          oneOf: [
            { const: 'option1', title: '选项一' },
            { const: 'option2', title: '选项二' },
          ],
        },
        ui: {},
      };
    case 'idNumber':
      return {
        schema: { type: 'string', title, format: 'cn-resident-id' },
        ui: { 'ui:placeholder': '18位公民身份号码' },
      };
    case 'phone':
      return { schema: { type: 'string', title, format: 'cn-mobile' }, ui: { 'ui:options': { inputType: 'tel' } } };
    case 'textarea':
      return { schema: { type: 'string', title, maxLength: 500 }, ui: { 'ui:widget': 'textarea' } };
    case 'yesno':
      return { schema: { type: 'boolean', title }, ui: { 'ui:widget': 'radio' } };
    case 'file':
      return {
        schema: {
          type: 'array',
          title,
          maxItems: 10,
          items: attachmentItem(
            FILE_TYPES.map((f) => f.type),
            10,
          ),
        },
        ui: { 'ui:options': { accept: FILE_TYPES.map((f) => f.type).join(',') } },
      };
    case 'address': {
      // minflow-address: picked from the jurisdiction tree down to a village (by default), plus 门牌/组.
      const { schema, uiSchema } = addressSchema({ title, level: 'village' });
      return { schema, ui: uiSchema };
    }
    case 'section':
      return { schema: { type: 'object', title, properties: {} }, ui: { 'ui:order': [] } };
    case 'group':
      return {
        schema: { type: 'array', title, items: { type: 'object', properties: {} } },
        ui: { items: { 'ui:order': [] } },
      };
  }
}

/**
 * `root`: the form's schema, to follow a `$ref` to shared definitions (`#/definitions/attachments`).
 * An attachment list is recognised by the sdk's rule (items of shape `{ name, url, size, contentType }`),
 * the same one the runtime UI and the engine's upload route use.
 */
export function detectKind(schema: Json, ui: Json, root: Json = schema): FieldKind {
  const options = isObj(ui['ui:options']) ? ui['ui:options'] : {};
  if (isAttachmentList(schema, root)) return 'file';
  if (isAddressField(resolveSchema(schema, root), ui)) return 'address';
  if (schema.type === 'object') return 'section';
  if (schema.type === 'array') return 'group';
  if (schema.type === 'boolean') return 'yesno';
  if (schema.type === 'number' || schema.type === 'integer') return options.kind === 'money' ? 'money' : 'number';
  if (Array.isArray(schema.oneOf) || Array.isArray(schema.enum)) return 'select';
  if (schema.format === 'cn-resident-id') return 'idNumber';
  if (schema.format === 'cn-mobile') return 'phone';
  if (schema.format === 'date') return 'date';
  if (ui['ui:widget'] === 'textarea') return 'textarea';
  return 'text';
}

/** The file types an attachment field may accept (the ones the items declare). */
export const FILE_TYPES: Array<{ type: string; label: string; accept: string }> = [
  { type: 'application/pdf', label: 'PDF', accept: 'application/pdf' },
  { type: 'image/jpeg', label: 'JPEG', accept: 'image/jpeg' },
  { type: 'image/png', label: 'PNG', accept: 'image/png' },
];
const MB = 1024 * 1024;

/** One uploaded file as the engine's upload route answers it: `{ name, url, size, contentType }`. */
function attachmentItem(types: string[], maxMB: number): Json {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'url', 'size', 'contentType'],
    properties: {
      name: { title: '文件名', type: 'string', minLength: 1, maxLength: 200 },
      url: { title: '存储地址', type: 'string', minLength: 1, maxLength: 1000, format: 'uri-reference' },
      size: { title: '大小（字节）', type: 'integer', minimum: 1, maximum: Math.round(maxMB * MB) },
      contentType: { title: '文件类型', type: 'string', enum: types },
    },
  };
}

export interface FileSettings {
  /** Accepted MIME types (empty: any). */
  types: string[];
  /** Largest file in MB. */
  maxMB: number;
  /** Largest number of files (null: unbounded). */
  maxItems: number | null;
}

/** An attachment field's limits as the engine's upload route reads them (`@minflow/sdk/attachments`). */
export function readFileSettings(form: FormState, field: FieldEntry): FileSettings {
  const options = isObj(field.ui['ui:options']) ? field.ui['ui:options'] : {};
  const limits = attachmentLimits(field.schema, form.schema, options);
  return { types: limits.accept, maxMB: Math.round((limits.maxSize / MB) * 100) / 100, maxItems: limits.maxItems };
}

/**
 * Writes an attachment field's limits: `items.properties.contentType.enum` and `ui:options.accept`
 * (types), `items.properties.size.maximum` (MB → bytes), `maxItems`. A field that refers to shared
 * definitions (`$ref`) gets its own copy first, so the other fields using them do not change.
 */
export function setFileSettings(form: FormState, loc: FieldLoc, settings: Partial<FileSettings>): FormState {
  const field = getField(form, loc);
  if (field?.kind !== 'file') return form;
  const current = readFileSettings(form, field);
  const want = { ...current, ...settings };
  const own = resolveSchema(field.schema, form.schema) ?? {};
  const { $ref: _ref, ...list } = clone(own);
  const item = clone(resolveSchema(list.items, form.schema) ?? {});
  const { $ref: _itemRef, ...itemOwn } = item;
  const props = isObj(itemOwn.properties) ? { ...itemOwn.properties } : {};
  const size = { ...(resolveSchema(props.size, form.schema) ?? {}) };
  delete size.$ref;
  size.maximum = Math.max(1, Math.round(want.maxMB * MB));
  const contentType = { ...(resolveSchema(props.contentType, form.schema) ?? {}) };
  delete contentType.$ref;
  delete contentType.oneOf;
  delete contentType.anyOf;
  contentType.type = 'string';
  contentType.enum = [...want.types];
  if (want.types.length === 0) delete contentType.enum;
  props.size = size;
  props.contentType = contentType;
  list.items = { ...itemOwn, properties: props };
  if (want.maxItems === null) delete list.maxItems;
  else list.maxItems = want.maxItems;
  const h = holder(form.schema, loc);
  if (!h) return form;
  let next = patchSchema(form, loc, {});
  const nh = holder(next.schema, loc) as { parent: Json; name: string };
  (nh.parent.properties as Json)[nh.name] = list;
  const options = isObj(field.ui['ui:options']) ? { ...field.ui['ui:options'] } : {};
  if (want.types.length) options.accept = want.types.join(',');
  else delete options.accept;
  next = patchUi(next, loc, { 'ui:options': Object.keys(options).length ? options : undefined });
  return next;
}

/** How deep an address field must be picked (`ui:options.level`: village, township or county). */
export function readAddressLevel(field: FieldEntry): AddressLevel {
  return addressLevel(field.ui);
}

/** Sets an address field's level, keeping its other `ui:options` and the `minflow-address` marking. */
export function setAddressLevel(form: FormState, loc: FieldLoc, level: AddressLevel): FormState {
  const field = getField(form, loc);
  if (field?.kind !== 'address') return form;
  const options = isObj(field.ui['ui:options']) ? { ...field.ui['ui:options'] } : {};
  options.level = level;
  return patchUi(form, loc, { 'ui:field': field.ui['ui:field'] ?? 'minflow-address', 'ui:options': options });
}

/** The object schema whose `properties` hold the children of the field at `path` (root: the form). */
function containerOf(schema: Json, path: string[]): Json | null {
  let node: Json = schema;
  for (const name of path) {
    const props = isObj(node.properties) ? node.properties : null;
    const child = props && isObj(props[name]) ? props[name] : null;
    if (!child) return null;
    node = child.type === 'array' && isObj(child.items) ? child.items : child;
  }
  return node;
}

/** The uiSchema node holding the children of the field at `path` (a repeating group's are under `items`). */
function uiNodeOf(schema: Json, ui: Json, path: string[], create: boolean): Json | null {
  let node: Json = ui;
  let s: Json | null = schema;
  for (const name of path) {
    const props: Json | null = s && isObj(s.properties) ? s.properties : null;
    const child: Json | null = props && isObj(props[name]) ? (props[name] as Json) : null;
    let next = node[name];
    if (!isObj(next)) {
      if (!create) return null;
      next = {};
      node[name] = next;
    }
    node = next as Json;
    if (child?.type === 'array') {
      if (!isObj(node.items)) {
        if (!create) return null;
        node.items = {};
      }
      node = node.items as Json;
      s = isObj(child.items) ? child.items : null;
    } else s = child;
  }
  return node;
}

function ruleAt(schema: Json, index: number): Json | null {
  const all = Array.isArray(schema.allOf) ? schema.allOf : [];
  const r = all[index];
  return isObj(r) && isObj(r.then) ? r : null;
}

/** Where the field's schema lives: its parent (the object with `properties`/`required`) and its name. */
function holder(schema: Json, loc: FieldLoc): { parent: Json; name: string } | null {
  const name = loc.path[loc.path.length - 1];
  if (loc.cond !== undefined) {
    const rule = ruleAt(schema, loc.cond);
    return rule ? { parent: rule.then as Json, name } : null;
  }
  const parent = containerOf(schema, loc.path.slice(0, -1));
  return parent ? { parent, name } : null;
}

function orderOf(container: Json, uiNode: Json | null): string[] {
  const names = Object.keys(isObj(container.properties) ? container.properties : {});
  const order = uiNode && Array.isArray(uiNode['ui:order']) ? (uiNode['ui:order'] as string[]) : [];
  const listed = order.filter((n) => names.includes(n));
  return [...listed, ...names.filter((n) => !listed.includes(n))];
}

function readCondition(rule: Json): Condition | undefined {
  const iff = isObj(rule.if) ? rule.if : null;
  const props = iff && isObj(iff.properties) ? iff.properties : null;
  if (!props) return undefined;
  const [field] = Object.keys(props);
  const test = props[field];
  if (!field || !isObj(test)) return undefined;
  if ('const' in test) return { field, op: 'eq', value: test.const as string | number | boolean };
  if (typeof test.exclusiveMinimum === 'number') return { field, op: 'gt', value: test.exclusiveMinimum };
  return undefined;
}

/** Every field in display order, sections' and groups' children under them, conditional fields last. */
export function listFields(form: FormState): FieldEntry[] {
  const out: FieldEntry[] = [];
  const walk = (container: Json, path: string[], depth: number) => {
    const uiNode = uiNodeOf(form.schema, clone(form.uiSchema), path, false);
    const props = isObj(container.properties) ? container.properties : {};
    const required = Array.isArray(container.required) ? container.required : [];
    for (const name of orderOf(container, uiNode)) {
      const schema = props[name];
      if (!isObj(schema)) continue;
      const loc = { path: [...path, name] };
      const ui = uiNode && isObj(uiNode[name]) ? (uiNode[name] as Json) : {};
      const kind = detectKind(schema, ui, form.schema);
      out.push({ loc, id: locId(loc), name, depth, kind, schema, ui, required: required.includes(name) });
      if (kind === 'section') walk(schema, loc.path, depth + 1);
      if (kind === 'group' && isObj(schema.items)) walk(schema.items, loc.path, depth + 1);
    }
  };
  walk(form.schema, [], 0);
  const all = Array.isArray(form.schema.allOf) ? form.schema.allOf : [];
  all.forEach((rule, index) => {
    if (!isObj(rule) || !isObj(rule.then)) return;
    const then = rule.then;
    const props = isObj(then.properties) ? then.properties : {};
    const required = Array.isArray(then.required) ? then.required : [];
    const condition = readCondition(rule);
    for (const name of Object.keys(props)) {
      const schema = props[name];
      if (!isObj(schema)) continue;
      const loc = { path: [name], cond: index };
      const ui = isObj(form.uiSchema[name]) ? (form.uiSchema[name] as Json) : {};
      out.push({
        loc,
        id: locId(loc),
        name,
        depth: 0,
        kind: detectKind(schema, ui, form.schema),
        schema,
        ui,
        required: required.includes(name),
        condition,
      });
    }
  });
  return out;
}

/**
 * @rjsf refuses a `ui:order` that misses a shown property, and a conditional field is shown only
 * sometimes: with conditional fields the root order ends with `*` (they are placed there).
 */
function finishRootOrder(form: FormState): FormState {
  const order = form.uiSchema['ui:order'];
  if (!Array.isArray(order)) return form;
  const hasRules =
    Array.isArray(form.schema.allOf) &&
    form.schema.allOf.some((r) => isObj(r) && isObj(r.then) && isObj(r.then.properties));
  const plain = order.filter((n) => n !== '*');
  form.uiSchema['ui:order'] = hasRules ? [...plain, '*'] : plain;
  return form;
}

/** All names in use anywhere at the root (plain and conditional), so a new field gets a fresh one. */
function usedNames(form: FormState, parentPath: string[]): Set<string> {
  const names = new Set<string>();
  for (const f of listFields(form)) if (f.loc.path.length === parentPath.length + 1) names.add(f.name);
  return names;
}

export function addField(
  form: FormState,
  kind: FieldKind,
  parentPath: string[] = [],
): { form: FormState; loc: FieldLoc } {
  const next = clone(form);
  const container = containerOf(next.schema, parentPath);
  if (!container) throw new Error(`no container at ${parentPath.join('/')}`);
  const base = PALETTE.find((p) => p.kind === kind)?.name ?? 'field';
  const used = usedNames(next, parentPath);
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}${i}`;
  const { schema, ui } = newField(kind, kindLabel(kind));
  container.properties = { ...(isObj(container.properties) ? container.properties : {}), [name]: schema };
  const uiNode = uiNodeOf(next.schema, next.uiSchema, parentPath, true) as Json;
  const order = orderOf(container, uiNode);
  uiNode['ui:order'] = order;
  if (Object.keys(ui).length) uiNode[name] = ui;
  finishRootOrder(next);
  return { form: next, loc: { path: [...parentPath, name] } };
}

export function getField(form: FormState, loc: FieldLoc): FieldEntry | undefined {
  const id = locId(loc);
  return listFields(form).find((f) => f.id === id);
}

/** Removes the field, its `required` entry, its uiSchema and (for a conditional one) an emptied rule. */
export function removeField(form: FormState, loc: FieldLoc): FormState {
  const next = clone(form);
  const h = holder(next.schema, loc);
  if (!h) return form;
  const props = isObj(h.parent.properties) ? h.parent.properties : {};
  delete props[h.name];
  if (Array.isArray(h.parent.required)) h.parent.required = h.parent.required.filter((n) => n !== h.name);
  const uiParent = uiNodeOf(next.schema, next.uiSchema, loc.path.slice(0, -1), false);
  if (uiParent) {
    delete uiParent[h.name];
    if (Array.isArray(uiParent['ui:order'])) uiParent['ui:order'] = uiParent['ui:order'].filter((n) => n !== h.name);
  }
  if (loc.cond !== undefined) dropEmptyRules(next.schema);
  return finishRootOrder(next);
}

function dropEmptyRules(schema: Json): void {
  if (!Array.isArray(schema.allOf)) return;
  schema.allOf = schema.allOf.filter((r) => {
    if (!isObj(r) || !isObj(r.then) || !isObj(r.then.properties)) return true;
    return Object.keys(r.then.properties).length > 0;
  });
  if ((schema.allOf as unknown[]).length === 0) delete schema.allOf;
}

/** Moves a (non-conditional) field up (-1) or down (+1) among its siblings. */
export function moveField(form: FormState, loc: FieldLoc, delta: number): FormState {
  return reorder(form, loc, (i, n) => (i + delta >= 0 && i + delta < n ? i + delta : i));
}

/**
 * Moves a (non-conditional) field to position `index` among its siblings (clamped): the order it has
 * after the move, as a drag and drop in the field list places it.
 */
export function moveFieldTo(form: FormState, loc: FieldLoc, index: number): FormState {
  return reorder(form, loc, (_, n) => Math.max(0, Math.min(n - 1, Math.trunc(index))));
}

/** Takes the field out of its siblings' order and puts it back at `to(current index, count)`. */
function reorder(form: FormState, loc: FieldLoc, to: (i: number, n: number) => number): FormState {
  if (loc.cond !== undefined) return form;
  const next = clone(form);
  const parentPath = loc.path.slice(0, -1);
  const container = containerOf(next.schema, parentPath);
  if (!container) return form;
  const uiNode = uiNodeOf(next.schema, next.uiSchema, parentPath, true) as Json;
  const order = orderOf(container, uiNode);
  const name = loc.path[loc.path.length - 1];
  const i = order.indexOf(name);
  if (i < 0) return form;
  const j = to(i, order.length);
  if (i === j) return form;
  order.splice(i, 1);
  order.splice(j, 0, name);
  uiNode['ui:order'] = order;
  const props = isObj(container.properties) ? container.properties : {};
  container.properties = Object.fromEntries(order.map((n) => [n, props[n]]));
  return finishRootOrder(next);
}

/** Adds a field of `kind` to the container at `parentPath`, placed at `index` among its siblings (a palette drop). */
export function insertField(
  form: FormState,
  kind: FieldKind,
  parentPath: string[],
  index: number,
): { form: FormState; loc: FieldLoc } {
  const added = addField(form, kind, parentPath);
  return { form: moveFieldTo(added.form, added.loc, index), loc: added.loc };
}

/** The drop target id of the end of the field list. */
export const LIST_END = '@end';

/**
 * A drop in the field list: a palette entry (`{ kind }`) or a field (`{ field: id }`) dropped on the row
 * `overId` (or {@link LIST_END}). A palette entry goes where the row is, among that row's siblings (into a
 * section or repeating group when dropped on one, at its end); a field moves only among its own siblings.
 * Null when nothing changes.
 */
export function applyDrop(
  form: FormState,
  active: { kind: FieldKind } | { field: string },
  overId: string | null,
): { form: FormState; loc: FieldLoc } | null {
  if (!overId) return null;
  const fields = listFields(form);
  const siblings = (parent: string[]) =>
    fields
      .filter((f) => f.loc.cond === undefined && f.loc.path.length === parent.length + 1)
      .filter((f) => parent.every((p, i) => f.loc.path[i] === p))
      .map((f) => f.id);
  const over = fields.find((f) => f.id === overId);
  if ('kind' in active) {
    if (overId === LIST_END || !over || over.loc.cond !== undefined) return addField(form, active.kind, []);
    if (over.kind === 'section' || over.kind === 'group') return addField(form, active.kind, over.loc.path);
    const parent = over.loc.path.slice(0, -1);
    return insertField(form, active.kind, parent, siblings(parent).indexOf(over.id));
  }
  const moving = fields.find((f) => f.id === active.field);
  if (!moving || moving.loc.cond !== undefined || moving.id === overId) return null;
  const parent = moving.loc.path.slice(0, -1);
  const list = siblings(parent);
  const index = overId === LIST_END ? list.length - 1 : over ? list.indexOf(over.id) : -1;
  if (index < 0) return null;
  const next = moveFieldTo(form, moving.loc, index);
  return next === form ? null : { form: next, loc: moving.loc };
}

export const NAME_PATTERN = /^[a-zA-Z][a-zA-Z0-9_]*$/;

/** Renames a field (the data key FEEL conditions and reports use); refuses an invalid or taken name. */
export function renameField(form: FormState, loc: FieldLoc, to: string): { form: FormState; loc: FieldLoc } | string {
  const from = loc.path[loc.path.length - 1];
  if (to === from) return { form, loc };
  if (!NAME_PATTERN.test(to)) return '字段名须以英文字母开头，只含英文字母、数字和下划线';
  if (usedNames(form, loc.path.slice(0, -1)).has(to)) return `字段名 ${to} 已被使用`;
  const next = clone(form);
  const h = holder(next.schema, loc);
  if (!h) return '找不到该字段';
  const props = h.parent.properties as Json;
  h.parent.properties = Object.fromEntries(Object.entries(props).map(([k, v]) => [k === from ? to : k, v]));
  if (Array.isArray(h.parent.required)) h.parent.required = h.parent.required.map((n) => (n === from ? to : n));
  const uiParent = uiNodeOf(next.schema, next.uiSchema, loc.path.slice(0, -1), false);
  if (uiParent) {
    if (from in uiParent) {
      uiParent[to] = uiParent[from];
      delete uiParent[from];
    }
    if (Array.isArray(uiParent['ui:order']))
      uiParent['ui:order'] = uiParent['ui:order'].map((n) => (n === from ? to : n));
  }
  // conditions that test the renamed root field
  if (loc.path.length === 1 && Array.isArray(next.schema.allOf)) {
    for (const rule of next.schema.allOf) {
      if (!isObj(rule) || !isObj(rule.if)) continue;
      const iff = rule.if;
      if (isObj(iff.properties) && from in iff.properties) {
        iff.properties = { [to]: iff.properties[from] };
        iff.required = [to];
      }
    }
  }
  return { form: next, loc: { ...loc, path: [...loc.path.slice(0, -1), to] } };
}

/** Replaces keywords of the field's schema; `undefined` removes a keyword. */
export function patchSchema(form: FormState, loc: FieldLoc, patch: Json): FormState {
  const next = clone(form);
  const h = holder(next.schema, loc);
  if (!h) return form;
  const props = h.parent.properties as Json;
  const s = { ...(props[h.name] as Json) };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v))) delete s[k];
    else s[k] = v;
  }
  props[h.name] = s;
  return next;
}

/** Replaces `ui:` keys of the field's uiSchema; `undefined` or '' removes one. */
export function patchUi(form: FormState, loc: FieldLoc, patch: Json): FormState {
  const next = clone(form);
  const parent = uiNodeOf(next.schema, next.uiSchema, loc.path.slice(0, -1), true) as Json;
  const name = loc.path[loc.path.length - 1];
  if (!isObj(parent[name])) parent[name] = {};
  const node = parent[name] as Json;
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined || v === '') delete node[k];
    else node[k] = v;
  }
  return next;
}

/** The field's English texts (`ui:i18n.en` of its uiSchema node). */
export function readEnglish(field: FieldEntry): FieldTexts {
  return fieldTexts(field.ui, 'en');
}

/**
 * Sets English texts of the field in `ui:i18n.en` (its uiSchema node, so the JSON Schema stays the
 * server's contract); '' or undefined removes a text, an emptied `ui:i18n` is removed, and so is a
 * uiSchema node left empty, so a form whose texts are typed and cleared again is as it was.
 */
export function setEnglish(
  form: FormState,
  loc: FieldLoc,
  patch: Partial<Record<keyof FieldTexts, unknown>>,
): FormState {
  const field = getField(form, loc);
  const all = field && isObj(field.ui[I18N_KEY]) ? clone(field.ui[I18N_KEY] as Json) : {};
  const en = isObj(all.en) ? all.en : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined || v === '' || (Array.isArray(v) && v.every((x) => !x))) delete en[k];
    else en[k] = v;
  }
  if (Object.keys(en).length) all.en = en;
  else delete all.en;
  const next = patchUi(form, loc, { [I18N_KEY]: Object.keys(all).length ? all : undefined });
  pruneEmpty(next, loc);
  return next;
}

/** Drops the field's uiSchema node when it is left empty, and its sections' (or groups' `items`) nodes likewise. */
function pruneEmpty(form: FormState, loc: FieldLoc): void {
  const chain: Array<[Json, string]> = [];
  let node: Json = form.uiSchema;
  let s: Json | null = form.schema;
  for (const name of loc.path) {
    const next = node[name];
    if (!isObj(next)) return;
    chain.push([node, name]);
    node = next;
    const props: Json | null = s && isObj(s.properties) ? s.properties : null;
    const child: Json | null = props && isObj(props[name]) ? (props[name] as Json) : null;
    if (child?.type === 'array' && isObj(node.items)) {
      chain.push([node, 'items']);
      node = node.items as Json;
      s = isObj(child.items) ? child.items : null;
    } else s = child;
  }
  for (const [parent, key] of chain.reverse()) {
    const v = parent[key];
    if (isObj(v) && Object.keys(v).length === 0) delete parent[key];
    else break;
  }
}

/** Fills a select's options from a code list (`@minflow/sdk/code-lists`); they stay editable afterwards. */
export function applyCodeList(form: FormState, loc: FieldLoc, key: string): FormState {
  const oneOf = codeListOneOf(key);
  if (!oneOf.length) return form;
  return patchSchema(form, loc, { type: 'string', oneOf, enum: undefined });
}

export function setRequired(form: FormState, loc: FieldLoc, required: boolean): FormState {
  const next = clone(form);
  const h = holder(next.schema, loc);
  if (!h) return form;
  const list = Array.isArray(h.parent.required) ? (h.parent.required as string[]).filter((n) => n !== h.name) : [];
  if (required) list.push(h.name);
  if (list.length) h.parent.required = list;
  else delete h.parent.required;
  // a required attachment field needs at least one file (an empty list would pass `required`)
  const own = (h.parent.properties as Json)?.[h.name];
  if (isObj(own) && isAttachmentList(own, next.schema)) {
    if (required && !(typeof own.minItems === 'number' && own.minItems >= 1)) own.minItems = 1;
    if (!required && own.minItems === 1) delete own.minItems;
  }
  return next;
}

function conditionSchema(c: Condition): Json {
  return {
    properties: { [c.field]: c.op === 'gt' ? { exclusiveMinimum: Number(c.value) } : { const: c.value } },
    required: [c.field],
  };
}

/**
 * Shows a root field only when the condition holds (writes `allOf: [{ if, then }]`), or always (null).
 * Returns the field's new location.
 */
export function setCondition(form: FormState, loc: FieldLoc, c: Condition | null): { form: FormState; loc: FieldLoc } {
  if (loc.path.length !== 1) return { form, loc };
  const next = clone(form);
  const h = holder(next.schema, loc);
  if (!h) return { form, loc };
  const name = h.name;
  const fieldSchema = (h.parent.properties as Json)[name] as Json;
  const wasRequired = Array.isArray(h.parent.required) && h.parent.required.includes(name);
  // take the field out of where it is
  delete (h.parent.properties as Json)[name];
  if (Array.isArray(h.parent.required)) {
    h.parent.required = h.parent.required.filter((n) => n !== name);
    if (loc.cond === undefined && (h.parent.required as string[]).length === 0) h.parent.required = [];
  }
  const order = Array.isArray(next.uiSchema['ui:order']) ? (next.uiSchema['ui:order'] as string[]) : [];
  if (!c) {
    dropEmptyRules(next.schema);
    const props = isObj(next.schema.properties) ? next.schema.properties : {};
    next.schema.properties = { ...props, [name]: fieldSchema };
    if (wasRequired) next.schema.required = [...((next.schema.required as string[]) ?? []), name];
    next.uiSchema['ui:order'] = [...order.filter((n) => n !== name), name];
    return { form: finishRootOrder(next), loc: { path: [name] } };
  }
  next.uiSchema['ui:order'] = order.filter((n) => n !== name);
  const allOf = Array.isArray(next.schema.allOf) ? (next.schema.allOf as Json[]) : [];
  const want = JSON.stringify(conditionSchema(c));
  let index = allOf.findIndex((r) => isObj(r) && JSON.stringify(r.if) === want && isObj(r.then));
  if (index < 0) {
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, never awaited
    allOf.push({ if: conditionSchema(c), then: { properties: {} } });
    index = allOf.length - 1;
  }
  const then = allOf[index].then as Json;
  then.properties = { ...(isObj(then.properties) ? then.properties : {}), [name]: fieldSchema };
  if (wasRequired) then.required = [...((then.required as string[]) ?? []), name];
  next.schema.allOf = allOf;
  dropEmptyRules(next.schema);
  const finalIndex = (next.schema.allOf as Json[]).findIndex((r) => JSON.stringify(r.if) === want);
  finishRootOrder(next);
  return { form: next, loc: { path: [name], cond: finalIndex } };
}

/**
 * The field a JSON pointer of the engine's validation points at (`/formSchema/properties/a/...`,
 * `/properties/a/items/properties/b`, `/allOf/0/then/properties/c`), the deepest one that exists.
 */
export function fieldForPointer(form: FormState, pointer: string): FieldLoc | null {
  const segs = pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const start = segs.indexOf('formSchema');
  const rest = start >= 0 ? segs.slice(start + 1) : segs;
  let loc: FieldLoc | null = null;
  const path: string[] = [];
  let cond: number | undefined;
  for (let i = 0; i < rest.length; i++) {
    const s = rest[i];
    if (s === 'allOf' && path.length === 0 && rest[i + 2] === 'then') {
      cond = Number(rest[i + 1]);
      i += 2;
    } else if (s === 'properties' && rest[i + 1] !== undefined) {
      path.push(rest[i + 1]);
      i += 1;
      const candidate: FieldLoc =
        cond !== undefined && path.length === 1 ? { path: [...path], cond } : { path: [...path] };
      const nested = cond !== undefined ? null : getField(form, candidate);
      if (cond !== undefined && path.length === 1) loc = candidate;
      else if (nested) loc = candidate;
      else break;
    } else if (s !== 'items' && s !== 'then') {
      // data pointers (a case's /a/b) name fields directly
      if (start < 0 && !pointer.includes('/properties/')) {
        path.push(s);
        if (getField(form, { path: [...path] })) loc = { path: [...path] };
        else break;
      }
    }
  }
  return loc;
}

/** Field names offered to FEEL (`applicant.name`) and editable-field pointers (`/applicant/name`). */
export function fieldNames(form: FormState): Array<{ feel: string; pointer: string; title: string }> {
  return listFields(form).map((f) => ({
    feel: f.loc.path.join('.'),
    pointer: `/${f.loc.path.join('/')}`,
    title: typeof f.schema.title === 'string' ? f.schema.title : f.name,
  }));
}
