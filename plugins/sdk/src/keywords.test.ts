import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { addMinflowKeywords, ageFromIdNumber, keywordErrorMessage } from './keywords.js';

const household = {
  type: 'object',
  minflowSizeMatches: { size: '/household/size', list: '/members', offset: 1 },
} as const;

describe('Minflow keywords', () => {
  it('counts full years from the birth date in the ID number, the day before and on the birthday', () => {
    // born 1946-03-05
    expect(ageFromIdNumber('620422194603050013', '2026-03-04')).toBe(79);
    expect(ageFromIdNumber('620422194603050013', '2026-03-05')).toBe(80);
    expect(ageFromIdNumber('620422194602300013', '2026-03-05')).toBeNull(); // 30 February
    expect(ageFromIdNumber('6204221946', '2026-03-05')).toBeNull();
  });

  it('refuses a household size other than the applicant plus the members, at the size field', () => {
    const validate = (addMinflowKeywords(new Ajv({ allErrors: true, strict: true }) as never) as Ajv).compile(
      household,
    );
    expect(validate({ household: { size: 3 }, members: [{}, {}] })).toBe(true);
    expect(validate({ household: { size: 4 }, members: [{}, {}] })).toBe(false);
    expect(validate.errors?.map((e) => [e.instancePath, e.keyword, e.params])).toEqual([
      ['/household/size', 'minflowSizeMatches', { size: 4, listed: 3, list: '/members' }],
    ]);
    const e = validate.errors?.[0];
    expect(keywordErrorMessage(e?.keyword ?? '', 'zh-CN', e?.params)).toBe(
      '家庭人口数（4人）应与申请人及家庭成员人数（3人）一致',
    );
    // Missing values are left to `required`.
    expect(validate({ members: [] })).toBe(true);
  });

  it('rejects a keyword value that is not a pair of JSON pointers (strict ajv compiles schemas only once they are right)', () => {
    const ajv = addMinflowKeywords(new Ajv({ strict: true }) as never) as Ajv;
    expect(() =>
      ajv.compile({ type: 'object', minflowSizeMatches: { size: 'household.size', list: '/members' } }),
    ).toThrow();
    expect(() => ajv.compile({ type: 'object', minflowAge: { idNumber: '/applicant/idNumber', min: -1 } })).toThrow();
  });
});
