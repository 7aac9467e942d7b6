import { residentId } from '../../engine/test/items.js';
import { file } from '../dibao-urban/fixtures.js';

export const ids = {
  applicant: residentId('620422', '19800402', '058'),
  wife: residentId('620422', '19820715', '064'),
};

/** 急难型: a kitchen fire on 1 Mar destroyed bedding and grain; 1,500 元 asked, within 会宁县's township limit (demo: 2,000). */
export function emergencyApplication() {
  return {
    aidType: 'emergency',
    applicant: {
      name: '刘永平',
      idNumber: ids.applicant,
      phone: '13619012345',
      address: '会宁县会师镇东关村三社21号',
      residence: 'local',
      monthlyIncome: 1200,
    },
    incident: {
      category: 'fire',
      date: '2026-03-01',
      location: '会师镇东关村三社21号',
      description: '3月1日夜厨房电线老化起火，烧毁被褥、衣物和口粮，一家人暂住亲戚家。',
    },
    household: { size: 2 },
    members: [
      {
        name: '何小燕',
        idNumber: ids.wife,
        relation: 'spouse',
        health: 'healthy',
        workAbility: 'full',
        employment: 'farming',
        monthlyIncome: 0,
      },
    ],
    request: {
      expenses: [
        { item: '被褥衣物', amount: 900 },
        { item: '口粮', amount: 600 },
      ],
      requestedAmount: 1500,
      inKind: true,
    },
    bankAccount: { bankName: '甘肃省农村信用社会宁支行', accountName: '刘永平', accountNumber: '622827300040005000' },
    attachments: {
      idCard: [file('身份证-刘永平.jpg')],
      incidentProof: [file('火灾情况证明.jpg')],
      photos: [file('现场1.jpg'), file('现场2.jpg')],
    },
  };
}

/** 支出型: a child's hospital stay leaves 4,800 元 out of pocket; 4,500 asked: above the township limit. */
export function expenditureApplication() {
  const d = emergencyApplication();
  return {
    ...d,
    aidType: 'expenditure',
    incident: {
      category: 'medical',
      date: '2026-02-10',
      description: '妻子住院手术，医保报销后个人负担4800元，家庭无力承担。',
    },
    request: {
      expenses: [{ item: '住院医疗费', amount: 12_000, reimbursed: 7200 }],
      requestedAmount: 4500,
      inKind: false,
    },
    attachments: {
      idCard: [file('身份证-刘永平.jpg')],
      medicalBills: [file('住院结算单.pdf', 'application/pdf')],
    },
  };
}

export const invalidApplications: Array<{ title: string; data: () => unknown; path: string; message: string }> = [
  {
    title: 'an ID number with a wrong check digit',
    data: () => {
      const d = emergencyApplication();
      d.applicant.idNumber = ids.applicant.slice(0, 17) + (ids.applicant[17] === '7' ? '8' : '7');
      return d;
    },
    path: '/data/applicant/idNumber',
    message: '身份证号码校验位不正确',
  },
  {
    title: 'a medical expenditure without the bills',
    data: () => {
      const d = expenditureApplication();
      d.attachments = { idCard: d.attachments.idCard } as typeof d.attachments;
      return d;
    },
    path: '/data/attachments/medicalBills',
    message: '应当有必需属性 medicalBills',
  },
  {
    title: 'a negative expense',
    data: () => {
      const d = emergencyApplication();
      d.request.expenses[0].amount = -100;
      return d;
    },
    path: '/data/request/expenses/0/amount',
    message: '应当为 >= 0',
  },
  {
    title: 'an inconsistent member count (household size ≠ the applicant and the members listed)',
    data: sizeMismatchApplication,
    path: '/data/household/size',
    message: '家庭人口数（3人）应与申请人及家庭成员人数（2人）一致',
  },
];

/** 3 people declared, another number listed (the applicant and the members). */
export function sizeMismatchApplication() {
  const d = emergencyApplication();
  d.household.size = 3;
  return d;
}
