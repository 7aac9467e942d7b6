import { describePluginContract } from '@minflow/sdk/testkit';
import { expect } from 'vitest';
import plugin from './index.js';

describePluginContract(plugin, {
  samples: {
    'economic-check': [
      {
        title: 'a household with no recorded findings passes',
        variables: { applicant: { name: '王建国', idNumber: '620422195605060013' }, members: [] },
        check: (r) => {
          expect(r.passed).toBe(true);
          expect(r.findings).toEqual([]);
          expect(r.checkedIdNumbers).toBe(1);
        },
      },
      {
        title: 'a member with a registered car fails, masked in the report',
        variables: {
          applicant: { name: '李秀英', idNumber: '62042219780812002X' },
          members: [{ name: '李明', idNumber: '620422198503150011', relation: 'son' }],
        },
        check: (r) => {
          expect(r.passed).toBe(false);
          expect(r.checkedIdNumbers).toBe(2);
          expect(r.verifiedMonthlyIncome).toBe(3200);
          expect(JSON.stringify(r)).not.toContain('620422198503150011');
          expect(r.findings).toContainEqual(
            expect.objectContaining({ idNumber: '620422********0011', source: 'vehicle', blocking: true }),
          );
        },
      },
    ],
  },
});
