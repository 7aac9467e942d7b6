import { residentId } from '../../engine/test/items.js';
import { file } from '../dibao-urban/fixtures.js';

export const ids = {
  applicant: residentId('620422', '19680923', '015'),
  daughter: residentId('620422', '19981104', '026'),
};

/**
 * A mother and her daughter, urban hukou: 1,500 + 500 = 2,000 元/month, 1,000 per person: above
 * 会宁县's urban dibao standard (demo: 815) and under 1.5 × 815 = 1,222.5, so a low-income household.
 */
export function validApplication() {
  return {
    applicant: {
      name: '赵淑珍',
      idNumber: ids.applicant,
      phone: '15193012345',
      hukouType: 'urban',
      hukouAddress: '甘肃省会宁县会师镇东关村',
      address: '会宁县会师镇东关村东街27号',
      maritalStatus: 'widowed',
      health: 'chronic',
      workAbility: 'partial',
      employment: 'flexible',
      monthlyIncome: 1500,
    },
    household: { size: 2, circumstances: ['single-parent'], reason: '丈夫病故，本人做保洁，女儿刚毕业收入低。' },
    members: [
      {
        name: '王丽',
        idNumber: ids.daughter,
        relation: 'daughter',
        health: 'healthy',
        workAbility: 'full',
        employment: 'flexible',
        monthlyIncome: 500,
      },
    ],
    income: {
      supportMonthly: 0,
      propertyMonthly: 0,
      transferMonthly: 0,
      otherMonthly: 0,
      savings: 8000,
      vehicles: 0,
      otherHouses: 0,
      businessRegistered: false,
    },
    housing: { type: 'owned', area: 58, condition: 'fair' },
    bankAccount: {
      bankName: '中国邮政储蓄银行会宁县支行',
      accountName: '赵淑珍',
      accountNumber: '6217995123456789012',
    },
    attachments: {
      idCards: [file('身份证-赵淑珍.jpg'), file('身份证-王丽.jpg')],
      hukouBook: [file('户口簿.jpg')],
      authorization: [file('核对授权书.pdf', 'application/pdf')],
    },
  };
}

type Application = ReturnType<typeof validApplication>;

export const invalidApplications: Array<{ title: string; data: () => unknown; path: string; message: string }> = [
  {
    title: 'a member ID number with a wrong check digit',
    data: () => {
      const d: Application = validApplication();
      const id = d.members[0].idNumber;
      d.members[0].idNumber = id.slice(0, 17) + (id[17] === '3' ? '4' : '3');
      return d;
    },
    path: '/data/members/0/idNumber',
    message: '身份证号码校验位不正确',
  },
  {
    title: 'no signed authorization for the economic check',
    data: () => {
      const d = validApplication();
      (d.attachments as Record<string, unknown>).authorization = [];
      return d;
    },
    path: '/data/attachments/authorization',
    message: '不应少于 1 个项',
  },
  {
    title: 'a rented home without the rent and the contract',
    data: () => {
      const d = validApplication();
      d.housing = { type: 'rented', area: 40, condition: 'fair' };
      return d;
    },
    path: '/data/housing/monthlyRent',
    message: '应当有必需属性 monthlyRent',
  },
  {
    title: 'an inconsistent member count (household size ≠ the applicant and the members listed)',
    data: sizeMismatchApplication,
    path: '/data/household/size',
    message: '家庭人口数（3人）应与申请人及家庭成员人数（2人）一致',
  },
];

/** 3 declared, 2 listed. */
export function sizeMismatchApplication() {
  const d = validApplication();
  d.household.size = 3;
  return d;
}
