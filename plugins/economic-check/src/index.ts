import { createHash } from 'node:crypto';
import { definePlugin } from '@minflow/sdk';
import recorded from './recorded-results.json' with { type: 'json' };

interface Finding {
  source: string;
  item: { zh: string; en?: string };
  monthlyIncome: number;
  blocking: boolean;
}

const records = (recorded as { records: Record<string, Finding[]> }).records;

/** Collects the resident ID numbers of the applicant and every household member from the case variables. */
export function householdIdNumbers(variables: Readonly<Record<string, unknown>>): string[] {
  const ids = new Set<string>();
  const visit = (value: unknown, key: string) => {
    if (typeof value === 'string' && /idnumber$/i.test(key) && /^\d{17}[\dX]$/i.test(value))
      ids.add(value.toUpperCase());
    else if (Array.isArray(value)) for (const v of value) visit(v, key);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, k);
  };
  visit(variables, '');
  return [...ids].sort();
}

const resultSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['reportNo', 'checkedAt', 'checkedIdNumbers', 'findings', 'verifiedMonthlyIncome', 'passed'],
  properties: {
    reportNo: { type: 'string' },
    checkedAt: { type: 'string', format: 'date-time' },
    checkedIdNumbers: { type: 'integer', minimum: 0 },
    findings: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['idNumber', 'source', 'item', 'monthlyIncome', 'blocking'],
        properties: {
          idNumber: { type: 'string' },
          source: { type: 'string' },
          item: { type: 'string' },
          monthlyIncome: { type: 'number', minimum: 0 },
          blocking: { type: 'boolean' },
        },
      },
    },
    verifiedMonthlyIncome: { type: 'number', minimum: 0 },
    passed: { type: 'boolean' },
  },
} as const;

export default definePlugin({
  name: 'economic-check',
  version: '0.1.0',
  title: { zh: '家庭经济状况核对', en: 'Household economic-status check' },
  handlers: {
    'economic-check': {
      title: { zh: '家庭经济状况核对', en: 'Household economic-status check' },
      description: {
        zh: '按申请人及家庭成员身份证号向核对平台查询车辆、工商、社保、房产等信息；目前使用已记录的核对结果。',
        en: 'Queries vehicles, company registration, social insurance and property for every household member; answers from recorded results for now.',
      },
      resultSchema,
      async run(ctx) {
        const ids = householdIdNumbers(ctx.variables);
        const findings = ids.flatMap((idNumber) =>
          (records[idNumber] ?? []).map((f) => ({
            // The report names people by masked ID only: it is shown to township staff and kept in the case.
            idNumber: `${idNumber.slice(0, 6)}********${idNumber.slice(14)}`,
            source: f.source,
            item: f.item.zh,
            monthlyIncome: f.monthlyIncome,
            blocking: f.blocking,
          })),
        );
        const verifiedMonthlyIncome = findings.reduce((sum, f) => sum + f.monthlyIncome, 0);
        // The job key is stable across redeliveries, so the report number is too.
        const reportNo = `HD-${createHash('sha256').update(ctx.jobKey).digest('hex').slice(0, 12).toUpperCase()}`;
        ctx.log.info('economic check answered', { caseId: ctx.caseId, people: ids.length, findings: findings.length });
        return {
          reportNo,
          checkedAt: ctx.now.toISOString(),
          checkedIdNumbers: ids.length,
          findings,
          verifiedMonthlyIncome,
          passed: !findings.some((f) => f.blocking),
        };
      },
    },
  },
});
