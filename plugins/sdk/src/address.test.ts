import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import {
  ADDRESS_FIELD,
  addressLevel,
  addressSchema,
  addressText,
  defaultRegionFor,
  findAddresses,
  isAddressField,
  markAddressFields,
  type RegionUnit,
  regionFullName,
  regionOptions,
} from './address.js';

const UNITS: RegionUnit[] = [
  { id: 'baiyin', name: '白银市', level: 'city', parentId: null },
  { id: 'baiyin/huining', name: '会宁县', level: 'county', parentId: 'baiyin' },
  { id: 'baiyin/huining/huishi', name: '会师镇', level: 'township', parentId: 'baiyin/huining' },
  { id: 'baiyin/huining/huishi/dongguan', name: '东关村', level: 'village', parentId: 'baiyin/huining/huishi' },
  { id: 'baiyin/huining/huishi/xiguan', name: '西关社区', level: 'village', parentId: 'baiyin/huining/huishi' },
  { id: 'baiyin/huining/empty', name: '无村镇', level: 'township', parentId: 'baiyin/huining' },
  { id: 'baiyin/jingyuan', name: '靖远县', level: 'county', parentId: 'baiyin' },
];

describe('address fields (minflow-address)', () => {
  it('addressSchema makes a field the UIs render with the one key and the server validates (detail ≤ 100)', () => {
    const { schema, uiSchema } = addressSchema({ title: '现住址', level: 'township' });
    expect(uiSchema).toEqual({ 'ui:field': ADDRESS_FIELD, 'ui:options': { level: 'township' } });
    expect(schema.title).toBe('现住址');
    expect(isAddressField(schema, uiSchema)).toBe(true);
    expect(addressLevel(uiSchema)).toBe('township');
    expect(addressLevel(addressSchema().uiSchema)).toBe('village');
    const validate = new Ajv({ allErrors: true }).compile(schema);
    expect(validate({ unitId: 'baiyin/huining/huishi', detail: '三组12号' })).toBe(true);
    expect(validate({ detail: '三组' })).toBe(false);
    expect(validate({ unitId: 'x', detail: '号'.repeat(101) })).toBe(false);
    expect(validate({ unitId: 'x', street: 'y' })).toBe(false);
  });

  it('finds address fields by shape but never another field kind', () => {
    const { schema } = addressSchema({ title: '地址' });
    expect(isAddressField(schema, {})).toBe(true);
    expect(isAddressField(schema, { 'ui:field': 'minflow-attachments' })).toBe(false);
    expect(isAddressField({ type: 'object', properties: { unitId: {}, name: {} } }, {})).toBe(false);
    expect(isAddressField({ type: 'string' }, { 'ui:field': ADDRESS_FIELD })).toBe(true);
  });

  it('marks none of the 19 published items (they have no address objects) and marks a nested one', () => {
    const definitions = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../definitions');
    for (const item of fs.readdirSync(definitions)) {
      const file = path.join(definitions, item, 'form.schema.json');
      if (!fs.existsSync(file)) continue;
      const s = JSON.parse(fs.readFileSync(file, 'utf8'));
      expect(JSON.stringify(markAddressFields(s, {}))).not.toContain(ADDRESS_FIELD);
    }
    const { schema } = addressSchema();
    const form = {
      type: 'object',
      properties: {
        applicant: { type: 'object', properties: { home: schema } },
        members: { type: 'array', items: { type: 'object', properties: { home: schema } } },
      },
    };
    const ui = { applicant: { 'ui:order': ['home'] } };
    const marked = markAddressFields(form, ui as Record<string, unknown>) as Record<
      string,
      Record<string, Record<string, unknown>>
    >;
    expect(marked.applicant.home['ui:field']).toBe(ADDRESS_FIELD);
    expect(marked.applicant['ui:order']).toEqual(['home']);
    expect(marked.members.items).toEqual({ home: { 'ui:field': ADDRESS_FIELD } });
  });

  it('finds every filled address in data with its pointer and level, through lists and conditional fields', () => {
    const { schema } = addressSchema();
    const form = {
      type: 'object',
      properties: {
        home: schema,
        members: { type: 'array', items: { type: 'object', properties: { home: schema } } },
      },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, never awaited
      allOf: [{ if: { properties: { moved: { const: true } } }, then: { properties: { old: schema } } }],
    };
    const ui = { home: { 'ui:options': { level: 'township' } } };
    const data = {
      home: { unitId: 'a' },
      members: [{ home: { unitId: 'b' } }, { name: 'x' }],
      old: { unitId: 'c' },
    };
    expect(findAddresses(form, ui, data)).toEqual([
      { path: '/home', value: { unitId: 'a' }, level: 'township' },
      { path: '/members/0/home', value: { unitId: 'b' }, level: 'village' },
      { path: '/old', value: { unitId: 'c' }, level: 'village' },
    ]);
    expect(findAddresses(form, ui, { home: 'not an object' })).toEqual([]);
  });

  it('builds the cascader from the counties down to the level, full names and the user’s default', () => {
    const villages = regionOptions(UNITS, 'village');
    expect(villages.map((o) => o.label)).toEqual(['会宁县']); // 靖远县 has no villages here
    expect(villages[0].children?.map((o) => o.label)).toEqual(['会师镇']); // 无村镇 neither
    expect(villages[0].children?.[0].children?.map((o) => o.value)).toEqual([
      'baiyin/huining/huishi/dongguan',
      'baiyin/huining/huishi/xiguan',
    ]);
    const townships = regionOptions(UNITS, 'township');
    expect(townships[0].children?.map((o) => [o.label, o.children])).toEqual([
      ['会师镇', undefined],
      ['无村镇', undefined],
    ]);
    expect(regionOptions(UNITS, 'county').map((o) => o.label)).toEqual(['会宁县', '靖远县']);
    expect(regionFullName(UNITS, 'baiyin/huining/huishi/dongguan')).toBe('白银市会宁县会师镇东关村');
    expect(regionFullName(UNITS, 'nowhere')).toBe('');
    expect(defaultRegionFor(UNITS, 'baiyin/huining/huishi/dongguan', 'township')?.name).toBe('会师镇');
    expect(defaultRegionFor(UNITS, 'baiyin/huining/huishi', 'village')).toBeNull();
    expect(addressText({ unitId: 'x', region: '白银市会宁县会师镇东关村', detail: ' 三组12号 ' })).toBe(
      '白银市会宁县会师镇东关村 三组12号',
    );
  });
});
