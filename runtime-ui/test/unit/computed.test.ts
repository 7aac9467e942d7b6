import { describe, expect, it } from 'vitest';
import { type ComputedDecl, computedRows, formatComputed, valueAt } from '../../src/cases/computed';

const decls: ComputedDecl[] = [
  { path: 'assessment.standard', title: { zh: '当地低保标准（元/月）', en: 'Local standard' }, format: 'money' },
  { path: 'assessment.perCapitaIncome', title: { zh: '家庭月人均收入（元）' }, format: 'money' },
  { path: 'assessment.eligible', title: { zh: '是否符合条件', en: 'Eligible' }, format: 'boolean' },
  { path: 'assessment.monthlyAmount', title: { zh: '核算月保障金（元）' }, format: 'money' },
  { path: 'benefit.startMonth', title: { zh: '起始月份' }, format: 'date' },
];

describe('computed results (核算结果)', () => {
  it('formats money, numbers, booleans and dates', () => {
    expect(formatComputed(1185, 'money', 'zh-CN')).toBe('¥1,185.00');
    expect(formatComputed(12345.5, 'money', 'en')).toBe('¥12,345.50');
    expect(formatComputed(0.35, 'number', 'zh-CN')).toBe('0.35');
    expect(formatComputed(true, 'boolean', 'zh-CN')).toBe('是');
    expect(formatComputed(false, 'boolean', 'zh-CN')).toBe('否');
    expect(formatComputed(false, 'boolean', 'en')).toBe('No');
    expect(formatComputed('2026-03-01T00:00:00Z', 'date', 'zh-CN')).toBe('2026-03-01');
    expect(formatComputed('90-99', 'text', 'zh-CN')).toBe('90-99');
    expect(formatComputed('not a number', 'money', 'zh-CN')).toBe('not a number');
  });

  it('reads dotted paths', () => {
    expect(valueAt({ a: { b: { c: 1 } } }, 'a.b.c')).toBe(1);
    expect(valueAt({ a: null }, 'a.b')).toBeUndefined();
    expect(valueAt(undefined, 'a')).toBeUndefined();
  });

  it('lists the declared values present, leaving out masked (null) and missing ones', () => {
    const variables = {
      assessment: { standard: 620, perCapitaIncome: null, eligible: true, monthlyAmount: 1185 },
    };
    expect(computedRows(decls, variables, 'zh-CN')).toEqual([
      { path: 'assessment.standard', title: '当地低保标准（元/月）', text: '¥620.00' },
      { path: 'assessment.eligible', title: '是否符合条件', text: '是' },
      { path: 'assessment.monthlyAmount', title: '核算月保障金（元）', text: '¥1,185.00' },
    ]);
    expect(computedRows(decls, variables, 'en').map((r) => r.title)).toEqual([
      'Local standard',
      'Eligible',
      '核算月保障金（元）',
    ]);
    expect(computedRows(decls, {}, 'zh-CN')).toEqual([]);
    expect(computedRows(undefined, variables, 'zh-CN')).toEqual([]);
  });
});
