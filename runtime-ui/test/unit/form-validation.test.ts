import { residentIdCheckChar } from '@minflow/sdk/formats';
import type { RJSFSchema } from '@rjsf/utils';
import { describe, expect, it } from 'vitest';
import { detailsToErrorSchema } from '../../src/forms/server-errors.ts';
import { propertyToFieldId, visibleErrors } from '../../src/forms/touched.ts';
import { formValidator, schemaDraft } from '../../src/forms/validator.ts';

const schema: RJSFSchema = {
  type: 'object',
  required: ['name', 'idNumber'],
  properties: {
    name: { type: 'string', title: '姓名', minLength: 2 },
    idNumber: { type: 'string', title: '身份证号', format: 'cn-resident-id' },
    phone: { type: 'string', format: 'cn-mobile' },
    applicant: { type: 'object', properties: { postcode: { type: 'string', format: 'cn-postcode' } } },
  },
};

function validId(first17: string): string {
  return first17 + residentIdCheckChar(first17);
}

const wrongCheckDigit = (id: string) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0');

describe('form validation in the browser', () => {
  it('accepts a valid resident ID and mobile number, as the server does', () => {
    const v = formValidator(schema, 'zh-CN');
    const data = { name: '张三', idNumber: validId('62042219400101001'), phone: '13912345678' };
    expect(v.validateFormData(data, schema).errors).toEqual([]);
  });

  it('explains in Chinese what is wrong with an ID number (the sdk’s own message) and marks missing fields', () => {
    const v = formValidator(schema, 'zh-CN');
    const id = wrongCheckDigit(validId('62042219400101001'));
    const { errors, errorSchema } = v.validateFormData({ idNumber: id, phone: '2391234567' }, schema);
    const byField = Object.fromEntries(errors.map((e) => [e.property, e.message]));
    expect(byField['.idNumber']).toBe('身份证号码校验位不正确');
    expect(byField['.phone']).toBe('手机号码应为11位数字，以1开头');
    // rjsf names a missing top-level property without the leading dot
    expect(byField['name']).toBe('此项为必填项');
    expect(errorSchema.idNumber?.__errors).toEqual(['身份证号码校验位不正确']);
  });

  it('uses ajv-i18n Chinese for standard keywords and English when the interface is in English', () => {
    const zh = formValidator(schema, 'zh-CN').validateFormData({ name: '张', idNumber: 'x' }, schema);
    expect(zh.errors.find((e) => e.property === '.name')?.message).toBe('不应少于 2 个字符');
    const en = formValidator(schema, 'en').validateFormData({ name: '张', idNumber: '1234' }, schema);
    expect(en.errors.find((e) => e.property === '.idNumber')?.message).toMatch(/18 characters/);
    expect(en.errors.find((e) => e.property === '.name')?.message).toBe('must NOT have fewer than 2 characters');
  });

  it('validates 2020-12 schemas with the 2020 dialect', () => {
    const s2020: RJSFSchema = { ...schema, $schema: 'https://json-schema.org/draft/2020-12/schema' };
    expect(schemaDraft(s2020)).toBe('2020');
    expect(schemaDraft(schema)).toBe('07');
    const { errors } = formValidator(s2020, 'zh-CN').validateFormData({ name: '张三', idNumber: '123' }, s2020);
    expect(errors.map((e) => e.property)).toEqual(['.idNumber']);
  });
});

describe('errors shown only where the person has been', () => {
  const errors = formValidator(schema, 'zh-CN').validateFormData(
    { idNumber: 'bad', applicant: { postcode: '12' } },
    schema,
  ).errors;

  it('maps an error path to the rjsf field id', () => {
    expect(propertyToFieldId('.applicant.postcode')).toBe('root_applicant_postcode');
    expect(propertyToFieldId('name')).toBe('root_name');
    expect(propertyToFieldId('.members.0.name')).toBe('root_members_0_name');
  });

  it('shows a field’s error after it was left, not the untouched required fields, and everything on submit', () => {
    const touched = new Set(['root_idNumber']);
    expect(visibleErrors(errors, touched, false).map((e) => e.property)).toEqual(['.idNumber']);
    expect(visibleErrors(errors, new Set(['root_applicant_postcode']), false).map((e) => e.property)).toEqual([
      '.applicant.postcode',
    ]);
    expect(
      visibleErrors(errors, new Set(), true)
        .map((e) => e.property)
        .sort(),
    ).toEqual(['.applicant.postcode', '.idNumber', 'name'].sort());
  });
});

describe('server errors at their fields', () => {
  it('puts /data/... details at the form fields and keeps the rest for the message above the form', () => {
    const { errorSchema, general } = detailsToErrorSchema(
      [
        { path: '/data/idNumber', message: '身份证号码校验位不正确' },
        { path: '/data/applicant/postcode', message: '邮政编码应为6位数字' },
        { path: '/itemKey', message: '事项不存在' },
        { path: '', message: '请求无效' },
      ],
      schema as { properties: Record<string, unknown> },
    );
    expect(errorSchema).toEqual({
      idNumber: { __errors: ['身份证号码校验位不正确'] },
      applicant: { postcode: { __errors: ['邮政编码应为6位数字'] } },
    });
    expect(general).toEqual(['事项不存在', '请求无效']);
  });
});
