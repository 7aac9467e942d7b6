import { describe, expect, it } from 'vitest';
import { fieldTexts, localizeUiSchema } from './form-i18n.js';

const schema = {
  type: 'object',
  properties: {
    name: { type: 'string', title: '姓名' },
    kind: { type: 'string', title: '类别', enum: ['a', 'b'] },
    level: {
      type: 'string',
      title: '等级',
      oneOf: [
        { const: 'one', title: '一级' },
        { const: 'two', title: '二级' },
      ],
    },
    applicant: {
      type: 'object',
      title: '申请人',
      properties: { phone: { type: 'string', title: '电话' } },
    },
    members: {
      type: 'array',
      title: '家庭成员',
      items: { type: 'object', properties: { relation: { type: 'string', title: '关系' } } },
    },
    needs: { type: 'array', title: '需求', items: { type: 'string', enum: ['food', 'heat'] }, uniqueItems: true },
  },
  allOf: [
    {
      if: { properties: { kind: { const: 'b' } } },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's then keyword
      then: { properties: { reason: { type: 'string' } } },
    },
  ],
};

const uiSchema = {
  'ui:order': ['name', 'kind', 'level', 'applicant', 'members', 'needs', '*'],
  name: { 'ui:help': '与身份证一致', 'ui:i18n': { en: { title: 'Name', help: 'As on the ID card' } } },
  kind: { 'ui:i18n': { en: { title: 'Kind', enumNames: ['Type A', 'Type B'] } } },
  level: { 'ui:i18n': { en: { enumNames: { two: 'Level two' } } } },
  applicant: {
    'ui:i18n': { en: { title: 'Applicant', description: 'The person applying' } },
    phone: { 'ui:i18n': { en: { title: 'Phone' } } },
  },
  members: { items: { relation: { 'ui:i18n': { en: { title: 'Relation' } } } } },
  needs: { 'ui:widget': 'checkboxes', 'ui:i18n': { en: { enumNames: ['Food', 'Heating'] } } },
  reason: { 'ui:i18n': { en: { title: 'Reason' } } },
};

describe('localizeUiSchema', () => {
  it('returns the very same uiSchema in Chinese', () => {
    expect(localizeUiSchema(uiSchema, schema, 'zh-CN')).toBe(uiSchema);
  });

  it('puts the English texts where rjsf reads them, at every depth, and leaves the input alone', () => {
    const before = JSON.stringify(uiSchema);
    const en = localizeUiSchema(uiSchema, schema, 'en') as unknown as Record<string, Record<string, unknown>>;
    expect(JSON.stringify(uiSchema)).toBe(before);
    expect(en.name['ui:title']).toBe('Name');
    expect(en.name['ui:help']).toBe('As on the ID card');
    expect(en.kind['ui:title']).toBe('Kind');
    expect(en.kind['ui:enumNames']).toEqual(['Type A', 'Type B']);
    // oneOf options by value; an option without English keeps its Chinese title
    expect(en.level.oneOf).toEqual([{}, { 'ui:title': 'Level two' }]);
    expect(en.applicant['ui:title']).toBe('Applicant');
    expect(en.applicant['ui:description']).toBe('The person applying');
    expect((en.applicant.phone as Record<string, unknown>)['ui:title']).toBe('Phone');
    const items = (en.members.items as Record<string, Record<string, unknown>>).relation;
    expect(items['ui:title']).toBe('Relation');
    // a multi-select list: the labels go on its items, where rjsf looks for them
    expect(en.needs.items).toEqual({ 'ui:enumNames': ['Food', 'Heating'] });
    expect(en.needs['ui:widget']).toBe('checkboxes');
    // a conditional field (allOf/then) at the root
    expect(en.reason['ui:title']).toBe('Reason');
    // nodes without English are the same objects
    expect(en['ui:order']).toBe(uiSchema['ui:order']);
  });

  it('is cached per uiSchema and language, and unchanged when nothing has English', () => {
    expect(localizeUiSchema(uiSchema, schema, 'en')).toBe(localizeUiSchema(uiSchema, schema, 'en'));
    const plain = { name: { 'ui:help': '说明' } };
    expect(localizeUiSchema(plain, schema, 'en')).toBe(plain);
  });

  it('keeps the Chinese text where the English one is empty, and keeps ui:options in step', () => {
    const ui = {
      name: { 'ui:help': '说明', 'ui:options': { title: '旧标题' }, 'ui:i18n': { en: { title: 'Name', help: ' ' } } },
    };
    const en = localizeUiSchema(ui, schema, 'en') as unknown as Record<string, Record<string, unknown>>;
    expect(en.name['ui:help']).toBe('说明');
    expect(en.name['ui:title']).toBe('Name');
    expect(en.name['ui:options']).toEqual({ title: 'Name' });
  });

  it('reads a field’s stored texts', () => {
    expect(fieldTexts(uiSchema.name)).toEqual({ title: 'Name', help: 'As on the ID card' });
    expect(fieldTexts({})).toEqual({});
    expect(fieldTexts(undefined)).toEqual({});
  });
});
