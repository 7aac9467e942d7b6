import type { RJSFSchema } from '@rjsf/utils';
import { describe, expect, it } from 'vitest';
import { previewValidator } from '../src/form/validator';

/** The household shape the 低保 forms use: the size must equal the applicant plus the members listed. */
const schema = {
  type: 'object',
  minflowSizeMatches: { size: '/household/size', list: '/members', offset: 1 },
  properties: {
    household: { type: 'object', properties: { size: { type: 'integer', title: '家庭人口数' } } },
    members: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
  },
} as RJSFSchema;

describe('designer form preview validation', () => {
  it('refuses a household size that does not match the members listed, with the server’s zh-CN message', () => {
    const bad = previewValidator().validateFormData(
      { household: { size: 4 }, members: [{ name: '李四' }, { name: '李五' }] },
      schema,
    );
    expect(bad.errors.map((e) => e.message)).toContain('家庭人口数（4人）应与申请人及家庭成员人数（3人）一致');
    const good = previewValidator().validateFormData(
      { household: { size: 3 }, members: [{ name: '李四' }, { name: '李五' }] },
      schema,
    );
    expect(good.errors).toEqual([]);
  });
});
