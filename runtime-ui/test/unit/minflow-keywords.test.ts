import { residentIdCheckChar } from '@minflow/sdk/formats';
import type { RJSFSchema } from '@rjsf/utils';
import { describe, expect, it } from 'vitest';
import dibaoUrban from '../../../definitions/dibao-urban/form.schema.json';
import elderlyAllowance from '../../../definitions/elderly-allowance/form.schema.json';
import { formValidator } from '../../src/forms/validator.ts';

const schema = dibaoUrban as unknown as RJSFSchema;
const member = { name: '李四', relation: 'spouse' };

describe('household size against the members listed, in the browser as on the server', () => {
  it('names the household size field with the same message as the engine (zh-CN and English)', () => {
    const data = { household: { size: 4 }, members: [member, member] };
    const zh = formValidator(schema, 'zh-CN').validateFormData(data, schema);
    const size = zh.errors.filter((e) => e.property === '.household.size');
    expect(size.map((e) => e.message)).toEqual(['家庭人口数（4人）应与申请人及家庭成员人数（3人）一致']);
    expect(zh.errorSchema.household?.size?.__errors).toEqual(['家庭人口数（4人）应与申请人及家庭成员人数（3人）一致']);
    const en = formValidator(schema, 'en').validateFormData(data, schema);
    expect(en.errors.find((e) => e.property === '.household.size')?.message).toBe(
      'The household size (4) must equal the applicant plus the members listed (3)',
    );
  });

  it('says nothing about the size when it matches the applicant and the members', () => {
    const data = { household: { size: 3 }, members: [member, member] };
    const { errors } = formValidator(schema, 'zh-CN').validateFormData(data, schema);
    expect(errors.filter((e) => e.property === '.household.size')).toEqual([]);
  });
});

describe('age from the ID number (高龄津贴 80+), in the browser as on the server', () => {
  const elderly = elderlyAllowance as unknown as RJSFSchema;
  const idOf = (body17: string) => body17 + residentIdCheckChar(body17);
  const bornYearsAgo = (years: number) => {
    const now = new Date(Date.now() + 8 * 3600_000);
    const birth = new Date(Date.UTC(now.getUTCFullYear() - years, now.getUTCMonth() - 1, 15));
    return idOf(`620422${birth.toISOString().slice(0, 10).replaceAll('-', '')}002`.slice(0, 17));
  };

  it('refuses 79 at the ID number field with the engine message, accepts 80', () => {
    const v = formValidator(elderly, 'zh-CN');
    const young = v.validateFormData({ applicant: { idNumber: bornYearsAgo(79) } }, elderly);
    expect(young.errors.filter((e) => e.property === '.applicant.idNumber').map((e) => e.message)).toEqual([
      '按身份证号码计算现年79周岁，应年满80周岁',
    ]);
    const old = v.validateFormData({ applicant: { idNumber: bornYearsAgo(80) } }, elderly);
    expect(old.errors.filter((e) => e.property === '.applicant.idNumber')).toEqual([]);
  });
});
