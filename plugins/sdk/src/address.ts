/**
 * Addresses picked from the jurisdiction tree (地址，按行政区划选择), shared by the engine and the UIs
 * so all three decide the same way which field is an address, how deep it must be picked and what
 * it shows as text.
 *
 * The value is `{ unitId, region?, detail? }`: `unitId` is the id of an org unit of the jurisdiction
 * tree (`baiyin/huining/huishi/dongguan`), `region` its full name (白银市会宁县会师镇东关村) — written
 * by the engine from the tree when the form is filed, so the stored text is trustworthy — and
 * `detail` the free text below it (门牌号、组, at most {@link ADDRESS_DETAIL_MAX} characters).
 *
 * The one extension key, {@link ADDRESS_FIELD}, names the rjsf field the UIs register
 * (`fields={{ [ADDRESS_FIELD]: … }}`) and the field kind the engine checks. A form sets it as
 * `"ui:field"` ({@link addressSchema} does); {@link markAddressFields} sets it on every object of the
 * address shape. `ui:options.level` says how deep the user must pick: `village` (default),
 * `township` or `county`; the unit picked must be exactly at that level.
 */
export const ADDRESS_FIELD = 'minflow-address';

export const ADDRESS_LEVELS = ['county', 'township', 'village'] as const;
export type AddressLevel = (typeof ADDRESS_LEVELS)[number];
export const DEFAULT_ADDRESS_LEVEL: AddressLevel = 'village';
/** Longest 门牌/组 text. */
export const ADDRESS_DETAIL_MAX = 100;

export interface AddressValue {
  unitId: string;
  region?: string;
  detail?: string;
}

/** Every level of the jurisdiction tree, root first (as the engine's org units use them). */
export const REGION_LEVELS = ['city', 'county', 'township', 'village'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

/** One org unit as `GET /api/org-units/regions` lists it. */
export interface RegionUnit {
  id: string;
  name: string;
  level: RegionLevel;
  parentId: string | null;
}

/** Level names, zh-CN and en, for pickers and messages. */
export const ADDRESS_LEVEL_NAMES: Record<RegionLevel, { zh: string; en: string }> = {
  city: { zh: '市', en: 'city' },
  county: { zh: '县（区）', en: 'county (district)' },
  township: { zh: '乡镇（街道）', en: 'township (subdistrict)' },
  village: { zh: '村（社区）', en: 'village (community)' },
};

type Schema = Record<string, unknown>;
const asSchema = (v: unknown): Schema | null =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Schema) : null;
const ADDRESS_KEYS = new Set(['unitId', 'region', 'detail']);

export function isAddressLevel(v: unknown): v is AddressLevel {
  return typeof v === 'string' && (ADDRESS_LEVELS as readonly string[]).includes(v);
}

/**
 * The schema and uiSchema of a new address field. `required: ['unitId']`: a filled address names a
 * unit; whether the field itself must be filled is the parent's `required`, as for any field.
 */
export function addressSchema(options: { title?: string; level?: AddressLevel; detailTitle?: string } = {}): {
  schema: Schema;
  uiSchema: Schema;
} {
  const level = options.level ?? DEFAULT_ADDRESS_LEVEL;
  return {
    schema: {
      type: 'object',
      ...(options.title ? { title: options.title } : {}),
      additionalProperties: false,
      required: ['unitId'],
      properties: {
        unitId: { type: 'string', title: '行政区划', minLength: 1, maxLength: 200 },
        region: { type: 'string', title: '所在地区', maxLength: 200 },
        detail: { type: 'string', title: options.detailTitle ?? '详细地址', maxLength: ADDRESS_DETAIL_MAX },
      },
    },
    uiSchema: { 'ui:field': ADDRESS_FIELD, 'ui:options': { level } },
  };
}

/** Whether a schema has the address shape: an object whose properties are `unitId` and at most `region`, `detail`. */
export function isAddressSchema(schema: unknown): boolean {
  const s = asSchema(schema);
  const props = asSchema(s?.properties);
  if (!s || !props || (s.type !== undefined && s.type !== 'object')) return false;
  const keys = Object.keys(props);
  return keys.includes('unitId') && keys.every((k) => ADDRESS_KEYS.has(k));
}

/** Whether the field is an address: marked `"ui:field": "minflow-address"`, or of the address shape (and not marked as another field). */
export function isAddressField(schema: unknown, uiSchema?: unknown): boolean {
  const field = asSchema(uiSchema)?.['ui:field'];
  if (field === ADDRESS_FIELD) return true;
  if (field !== undefined) return false;
  return isAddressSchema(schema);
}

/** The level the field's `ui:options.level` asks for (`village` when absent or unknown). */
export function addressLevel(uiSchema: unknown): AddressLevel {
  const level = asSchema(asSchema(uiSchema)?.['ui:options'])?.level;
  return isAddressLevel(level) ? level : DEFAULT_ADDRESS_LEVEL;
}

export function isAddressValue(v: unknown): v is AddressValue {
  const o = asSchema(v);
  return !!o && typeof o.unitId === 'string' && Object.keys(o).every((k) => ADDRESS_KEYS.has(k));
}

/** The address as one line of text: region, then the detail (白银市会宁县会师镇东关村 三组12号). */
export function addressText(value: unknown): string {
  const o = asSchema(value);
  if (!o) return '';
  const region = typeof o.region === 'string' && o.region ? o.region : typeof o.unitId === 'string' ? o.unitId : '';
  const detail = typeof o.detail === 'string' ? o.detail.trim() : '';
  return [region, detail].filter(Boolean).join(' ');
}

/** Resolves a local `$ref` (`#/definitions/x`) against the root, keeping the referring schema's own keywords. */
function resolve(schema: unknown, root: unknown, depth = 0): Schema | null {
  const s = asSchema(schema);
  if (!s || depth > 20 || typeof s.$ref !== 'string' || !s.$ref.startsWith('#/')) return s;
  let target: unknown = root;
  for (const part of s.$ref.slice(2).split('/')) {
    target = asSchema(target)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  const resolved = resolve(target, root, depth + 1);
  if (!resolved) return null;
  const { $ref: _ref, ...own } = s;
  return { ...resolved, ...own };
}

/** Properties of an object schema, with those of `allOf[].then` (conditional fields) merged in. */
function propertiesOf(s: Schema, root: unknown): Schema {
  const out: Schema = { ...(asSchema(s.properties) ?? {}) };
  for (const rule of Array.isArray(s.allOf) ? s.allOf : []) {
    const then = resolve(asSchema(rule)?.then, root);
    for (const [k, v] of Object.entries(asSchema(then?.properties) ?? {})) if (!(k in out)) out[k] = v;
  }
  return out;
}

/**
 * A copy of `uiSchema` with `"ui:field": ADDRESS_FIELD` at every address of `schema` found by shape
 * (properties at any depth and the items of lists). Explicit `ui:field`s are kept.
 */
export function markAddressFields<T>(schema: unknown, uiSchema: T): T {
  const root = schema;
  const walk = (s: unknown, ui: Schema, depth: number): Schema => {
    const resolved = resolve(s, root);
    if (!resolved || depth > 12) return ui;
    if (isAddressSchema(resolved)) return 'ui:field' in ui ? ui : { ...ui, 'ui:field': ADDRESS_FIELD };
    if (resolved.type === 'array') {
      const before = asSchema(ui.items) ?? {};
      const after = walk(resolved.items, before, depth + 1);
      return after === before ? ui : { ...ui, items: after };
    }
    let out = ui;
    for (const [key, child] of Object.entries(propertiesOf(resolved, root))) {
      const before = asSchema(ui[key]) ?? {};
      const after = walk(child, before, depth + 1);
      if (after !== before) out = { ...out, [key]: after };
    }
    return out;
  };
  return walk(schema, (asSchema(uiSchema) ?? {}) as Schema, 0) as T;
}

export interface AddressOccurrence {
  /** JSON pointer of the address object in the data (`/applicant/address`, `/members/0/address`). */
  path: string;
  value: Record<string, unknown>;
  level: AddressLevel;
}

/**
 * Every address filled in form data: walks the schema and the data together (properties at any
 * depth, conditional fields, list items), an address being what {@link isAddressField} says. Values
 * that are not objects are left to schema validation.
 */
export function findAddresses(schema: unknown, uiSchema: unknown, data: unknown): AddressOccurrence[] {
  const found: AddressOccurrence[] = [];
  const root = schema;
  const visit = (s: unknown, ui: Schema, value: unknown, path: string, depth: number) => {
    const resolved = resolve(s, root);
    if (!resolved || depth > 16 || value === null || typeof value !== 'object') return;
    if (isAddressField(resolved, ui)) {
      if (!Array.isArray(value)) found.push({ path, value: value as Record<string, unknown>, level: addressLevel(ui) });
      return;
    }
    if (Array.isArray(value)) {
      const items = resolved.items;
      const itemUi = asSchema(ui.items) ?? {};
      for (const [i, v] of value.entries()) visit(items, itemUi, v, `${path}/${i}`, depth + 1);
      return;
    }
    const obj = value as Record<string, unknown>;
    for (const [key, child] of Object.entries(propertiesOf(resolved, root))) {
      if (!(key in obj)) continue;
      visit(
        child,
        asSchema(ui[key]) ?? {},
        obj[key],
        `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        depth + 1,
      );
    }
  };
  visit(schema, asSchema(uiSchema) ?? {}, data, '', 0);
  return found;
}

/** A picker's option tree (antd Cascader's `{ value, label, children }`) below the root city, down to `level`. */
export interface RegionOption {
  value: string;
  label: string;
  level: RegionLevel;
  children?: RegionOption[];
}

/**
 * The cascader options for picking a unit at `level` from the regions: the counties of the city
 * (the root units' children) down to `level`; a branch that does not reach `level` (a township
 * without villages) is left out, as nothing in it could be picked.
 */
export function regionOptions(units: RegionUnit[], level: AddressLevel): RegionOption[] {
  const depth = REGION_LEVELS.indexOf(level);
  const children = new Map<string | null, RegionUnit[]>();
  for (const u of units) {
    const list = children.get(u.parentId) ?? [];
    list.push(u);
    children.set(u.parentId, list);
  }
  const ids = new Set(units.map((u) => u.id));
  const build = (u: RegionUnit): RegionOption | null => {
    const at = REGION_LEVELS.indexOf(u.level);
    if (at === depth) return { value: u.id, label: u.name, level: u.level };
    if (at > depth) return null;
    const kids = (children.get(u.id) ?? []).map(build).filter((o): o is RegionOption => o !== null);
    return kids.length ? { value: u.id, label: u.name, level: u.level, children: kids } : null;
  };
  const roots = units.filter((u) => u.parentId === null || !ids.has(u.parentId));
  // The city itself is not a choice: one root city shows its counties first.
  const top = roots.length === 1 && roots[0].level === 'city' ? (children.get(roots[0].id) ?? []) : roots;
  return top.map(build).filter((o): o is RegionOption => o !== null);
}

/** The ids from the root down to the unit (root first), or [] when the unit is not among the regions. */
export function regionPath(units: RegionUnit[], unitId: string): RegionUnit[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  const out: RegionUnit[] = [];
  let cur = byId.get(unitId);
  while (cur && out.length < 10) {
    out.unshift(cur);
    cur = cur.parentId ? byId.get(cur.parentId) : undefined;
  }
  return out;
}

/** The unit's full name, its ancestors' names root first (白银市会宁县会师镇东关村); '' when unknown. */
export function regionFullName(units: RegionUnit[], unitId: string): string {
  return regionPath(units, unitId)
    .map((u) => u.name)
    .join('');
}

/**
 * Where a picker opens for a user of `userUnitId`: the user's own unit, or its ancestor at `level`
 * when the user sits deeper (a village assistant picking a township gets their township). Null when
 * the user's unit is above the level (a county user picks for themselves).
 */
export function defaultRegionFor(units: RegionUnit[], userUnitId: string, level: AddressLevel): RegionUnit | null {
  return regionPath(units, userUnitId).find((u) => u.level === level) ?? null;
}
