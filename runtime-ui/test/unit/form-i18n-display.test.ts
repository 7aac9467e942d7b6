import { localizeUiSchema } from '@minflow/sdk/form-i18n';
import { describe, expect, it } from 'vitest';
import { fieldTitle, flattenForDisplay } from '../../src/cases/display';

// The case's data as read on screen and on the print view (审批表): with the form's English texts
// (`ui:i18n.en`, through localizeUiSchema) in English, the Chinese ones otherwise.
const schema = {
  type: 'object',
  properties: {
    name: { type: 'string', title: '姓名' },
    kind: {
      type: 'string',
      title: '类别',
      oneOf: [
        { const: 'a', title: '甲类' },
        { const: 'b', title: '乙类' },
      ],
    },
    size: { type: 'string', title: '规模', enum: ['s', 'l'] },
    members: {
      type: 'array',
      title: '家庭成员',
      items: { type: 'object', properties: { relation: { type: 'string', title: '关系' } } },
    },
  },
};
const uiSchema = {
  'ui:order': ['name', 'kind', 'size', 'members'],
  name: { 'ui:i18n': { en: { title: 'Name' } } },
  kind: { 'ui:i18n': { en: { title: 'Kind', enumNames: ['Class A', 'Class B'] } } },
  size: { 'ui:i18n': { en: { enumNames: ['Small', 'Large'] } } },
  members: {
    'ui:i18n': { en: { title: 'Family members' } },
    items: { relation: { 'ui:i18n': { en: { title: 'Relation' } } } },
  },
};
const data = { name: '王淑珍', kind: 'b', size: 'l', members: [{ relation: '配偶' }] };
const lines = (lang: 'zh-CN' | 'en', yesNo: [string, string]) =>
  flattenForDisplay(schema, data, yesNo, localizeUiSchema(uiSchema, schema, lang)).map(
    (r) => `${r.path.join(' / ')}: ${r.value}`,
  );

describe('case data display with the form’s English texts', () => {
  it('shows the Chinese titles and option names in Chinese', () => {
    expect(lines('zh-CN', ['是', '否'])).toEqual(['姓名: 王淑珍', '类别: 乙类', '规模: l', '家庭成员 1 / 关系: 配偶']);
    expect(fieldTitle(schema, 'kind', localizeUiSchema(uiSchema, schema, 'zh-CN'))).toBe('类别');
  });

  it('shows the English titles and option names in English, Chinese where there is none', () => {
    expect(lines('en', ['Yes', 'No'])).toEqual([
      'Name: 王淑珍',
      'Kind: Class B',
      '规模: Large',
      'Family members 1 / Relation: 配偶',
    ]);
    expect(fieldTitle(schema, 'kind', localizeUiSchema(uiSchema, schema, 'en'))).toBe('Kind');
    expect(fieldTitle(schema, 'size', localizeUiSchema(uiSchema, schema, 'en'))).toBe('规模');
  });
});
