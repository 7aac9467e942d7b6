import { residentId } from '../../engine/test/items.js';
import { file } from '../dibao-urban/fixtures.js';

export const patientId = residentId('620422', '19680708', '119');

/**
 * 因病致贫: a lung-cancer operation, 70,000 元 within the policy, 42,000 reimbursed: 28,000 out of
 * pocket × 50 % (会宁县 demo rate for this group) = 14,000 元, under the 60,000 yearly cap; above
 * the 20,000 warning line, so the township is also asked to look at dibao/low-income eligibility.
 */
export function validApplication() {
  return {
    applicant: { name: '郭明德', idNumber: patientId, phone: '13519012345', address: '会宁县会师镇东关村四社9号' },
    group: 'other',
    insurance: { type: 'resident', insuranceNo: '62042201234567' },
    bills: [
      {
        hospital: '兰州大学第一医院',
        kind: 'inpatient',
        admissionDate: '2026-01-12',
        dischargeDate: '2026-02-03',
        diagnosis: '右肺腺癌术后',
        totalCost: 80_000,
        policyCovered: 70_000,
        insuranceReimbursed: 42_000,
      },
    ],
    yearToDateAid: 0,
    bankAccount: { bankName: '中国农业银行会宁县支行', accountName: '郭明德', accountNumber: '6228480123456789017' },
    attachments: {
      idCard: [file('身份证-郭明德.jpg')],
      settlements: [file('医保结算单.pdf', 'application/pdf')],
      diagnosis: [file('出院记录.pdf', 'application/pdf')],
      incomeProof: [file('家庭收支情况说明.jpg')],
    },
  };
}

type Application = ReturnType<typeof validApplication>;

export const invalidApplications: Array<{ title: string; data: () => unknown; path: string; message: string }> = [
  {
    title: 'an ID number with a wrong check digit',
    data: () => {
      const d: Application = validApplication();
      d.applicant.idNumber = patientId.slice(0, 17) + (patientId[17] === '2' ? '3' : '2');
      return d;
    },
    path: '/data/applicant/idNumber',
    message: '身份证号码校验位不正确',
  },
  {
    title: 'a patient impoverished by illness without the income statement',
    data: () => {
      const d = validApplication();
      const { incomeProof: _i, ...rest } = d.attachments;
      return { ...d, attachments: rest };
    },
    path: '/data/attachments/incomeProof',
    message: '应当有必需属性 incomeProof',
  },
  {
    title: 'no hospital bill at all',
    data: () => ({ ...validApplication(), bills: [] }),
    path: '/data/bills',
    message: '不应少于 1 个项',
  },
];
