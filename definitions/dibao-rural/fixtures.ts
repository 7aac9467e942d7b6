import { residentId } from '../../engine/test/items.js';
import { file } from '../dibao-urban/fixtures.js';

// 会宁县 (620422), 会师镇东关村: an elderly farming couple raising their grandson.
export const ids = {
  applicant: residentId('620422', '19580217', '051'),
  wife: residentId('620422', '19600806', '062'),
  grandson: residentId('620422', '20140312', '071'),
};

/**
 * Declared: farming 200 + livestock 100 + pensions 150 = 450 元/month for 3 people (150 each),
 * against 会宁县's 2026 rural standard (demo: 545): (545 − 150) × 3 = 1,185 元/month.
 */
export function validApplication() {
  return {
    applicant: {
      name: '马福成',
      idNumber: ids.applicant,
      phone: '13830012345',
      hukouType: 'rural',
      hukouAddress: '甘肃省会宁县会师镇东关村',
      address: '会宁县会师镇东关村五社3号',
      maritalStatus: 'married',
      health: 'chronic',
      workAbility: 'partial',
      employment: 'farming',
      monthlyIncome: 0,
    },
    household: {
      size: 3,
      circumstances: ['severe-disability'],
      reason: '老两口年老体弱，妻子肢体重度残疾，抚养孙子，仅靠几亩旱地和两只羊为生。',
    },
    members: [
      {
        name: '杨秀英',
        idNumber: ids.wife,
        relation: 'spouse',
        health: 'disabled',
        workAbility: 'none',
        employment: 'farming',
        monthlyIncome: 0,
      },
      {
        name: '马小龙',
        idNumber: ids.grandson,
        relation: 'grandchild',
        health: 'healthy',
        workAbility: 'none',
        employment: 'student',
        monthlyIncome: 0,
      },
    ],
    income: {
      landMu: 6.5,
      farmingNetMonthly: 200,
      livestock: { cattle: 0, sheep: 2, pigs: 0 },
      livestockNetMonthly: 100,
      migrantWorkMonthly: 0,
      supportMonthly: 0,
      propertyMonthly: 0,
      transferMonthly: 150,
      otherMonthly: 0,
      savings: 1200,
      vehicles: 0,
      otherHouses: 0,
      businessRegistered: false,
    },
    housing: { type: 'owned', area: 60, condition: 'dilapidated' },
    bankAccount: { bankName: '甘肃省农村信用社会宁支行', accountName: '马福成', accountNumber: '622827765432109876' },
    attachments: {
      idCards: [file('身份证-马福成.jpg'), file('身份证-杨秀英.jpg')],
      hukouBook: [file('户口簿.jpg')],
      authorization: [file('核对授权书.pdf', 'application/pdf')],
      disabilityCertificates: [file('残疾人证-杨秀英.jpg')],
    },
  };
}

type Application = ReturnType<typeof validApplication>;

export const invalidApplications: Array<{ title: string; data: () => unknown; path: string; message: string }> = [
  {
    title: "the applicant's ID number with a wrong check digit",
    data: () => {
      const d: Application = validApplication();
      const id = d.applicant.idNumber;
      d.applicant.idNumber = id.slice(0, 17) + (id[17] === '1' ? '2' : '1');
      return d;
    },
    path: '/data/applicant/idNumber',
    message: '身份证号码校验位不正确',
  },
  {
    title: 'a severe disability declared without the disability certificate',
    data: () => {
      const d = validApplication() as Record<string, unknown> & Application;
      const { disabilityCertificates: _d, ...rest } = d.attachments;
      (d as Record<string, unknown>).attachments = rest;
      return d;
    },
    path: '/data/attachments/disabilityCertificates',
    message: '应当有必需属性 disabilityCertificates',
  },
  {
    title: 'a negative livestock income',
    data: () => {
      const d = validApplication();
      d.income.livestockNetMonthly = -1;
      return d;
    },
    path: '/data/income/livestockNetMonthly',
    message: '应当为 >= 0',
  },
  {
    title: 'an inconsistent member count (household size ≠ the applicant and the members listed)',
    data: sizeMismatchApplication,
    path: '/data/household/size',
    message: '家庭人口数（2人）应与申请人及家庭成员人数（3人）一致',
  },
];

/** 2 people declared, 3 listed. */
export function sizeMismatchApplication() {
  const d = validApplication();
  d.household.size = 2;
  return d;
}
