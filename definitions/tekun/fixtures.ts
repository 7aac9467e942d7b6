import { residentId } from '../../engine/test/items.js';
import { file } from '../dibao-urban/fixtures.js';

export const applicantId = residentId('620422', '19500618', '037');

/**
 * 张福堂, 75, widowed, childless, 150 元/month basic pension: no work ability (elderly), no
 * income (under the urban dibao standard), no supporter. 会宁县 2026 (demo): basic 1,060 +
 * care for partial loss of self-care 330 = 1,390 元/month, dispersed at home.
 */
export function validApplication() {
  return {
    applicant: {
      name: '张福堂',
      idNumber: applicantId,
      phone: '13993012345',
      hukouType: 'urban',
      hukouAddress: '甘肃省会宁县会师镇东关村',
      address: '会宁县会师镇东关村一社7号',
      maritalStatus: 'widowed',
      health: 'chronic',
    },
    eligibility: {
      workAbilityBasis: 'elderly',
      monthlyIncome: 150,
      incomeNote: '仅有城乡居民基础养老金每月150元，无其他收入',
      savings: 0,
    },
    supporters: [] as Array<Record<string, unknown>>,
    care: {
      careType: 'dispersed',
      selfCare: 'partialCare',
      caregiver: { name: '李彩霞', phone: '13893019876', relation: 'neighbour' },
    },
    bankAccount: { bankName: '甘肃省农村信用社会宁支行', accountName: '张福堂', accountNumber: '622827100020003000' },
    attachments: {
      idCard: [file('身份证-张福堂.jpg')],
      hukouBook: [file('户口簿.jpg')],
    },
  };
}

type Application = ReturnType<typeof validApplication>;

export const invalidApplications: Array<{ title: string; data: () => unknown; path: string; message: string }> = [
  {
    title: 'an ID number with a wrong check digit',
    data: () => {
      const d: Application = validApplication();
      d.applicant.idNumber = applicantId.slice(0, 17) + (applicantId[17] === '5' ? '6' : '5');
      return d;
    },
    path: '/data/applicant/idNumber',
    message: '身份证号码校验位不正确',
  },
  {
    title: 'a supporter listed without proof that they cannot support',
    data: () => {
      const d = validApplication();
      d.supporters = [{ name: '张小军', relation: 'child', supportAbility: 'none', note: '本人亦为低保对象' }];
      return d;
    },
    path: '/data/attachments/supporterProof',
    message: '应当有必需属性 supporterProof',
  },
  {
    title: 'dispersed support without a caregiver',
    data: () => {
      const d = validApplication();
      const { caregiver: _c, ...care } = d.care;
      return { ...d, care };
    },
    path: '/data/care/caregiver',
    message: '应当有必需属性 caregiver',
  },
];
