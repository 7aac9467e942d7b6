import { residentId } from '../../engine/test/items.js';

/** A file reference as the upload service will return it (uploads come later: the shape is fixed now). */
export const file = (name: string, contentType = 'image/jpeg') => ({
  name,
  url: `/api/files/demo/${encodeURIComponent(name)}`,
  size: 245_760,
  contentType,
});

// 会宁县 (620422): the demo village user files for 东关村 of 会师镇.
export const ids = {
  applicant: residentId('620422', '19720514', '024'),
  spouse: residentId('620422', '19700311', '013'),
  son: residentId('620422', '20050901', '035'),
};

/**
 * A valid 城市低保 application: 3 people, declared income 600 (applicant) + 400 (transfer) = 1,000
 * 元/month, so 333.33 per person against 会宁县's 2026 urban standard (demo: 815): the amount is
 * (815 − 1000/3) × 3 = 1,445 元/month. The husband's serious illness makes medical records required;
 * renting makes the rent and the contract required.
 */
export function validApplication() {
  return {
    applicant: {
      name: '李桂芳',
      idNumber: ids.applicant,
      phone: '13919012345',
      hukouType: 'urban',
      hukouAddress: '甘肃省会宁县会师镇东关村',
      address: '会宁县会师镇东关村二社18号',
      maritalStatus: 'married',
      health: 'chronic',
      workAbility: 'partial',
      employment: 'flexible',
      monthlyIncome: 600,
    },
    household: {
      size: 3,
      circumstances: ['serious-illness'],
      reason: '丈夫患尿毒症长期透析，本人打零工收入微薄，儿子在读高中。',
    },
    members: [
      {
        name: '王建军',
        idNumber: ids.spouse,
        relation: 'spouse',
        health: 'serious-illness',
        workAbility: 'none',
        employment: 'unemployed',
        monthlyIncome: 0,
      },
      {
        name: '王强',
        idNumber: ids.son,
        relation: 'son',
        health: 'healthy',
        workAbility: 'full',
        employment: 'student',
        monthlyIncome: 0,
      },
    ],
    income: {
      supportMonthly: 0,
      propertyMonthly: 0,
      transferMonthly: 400,
      otherMonthly: 0,
      savings: 3000,
      vehicles: 0,
      otherHouses: 0,
      businessRegistered: false,
    },
    housing: { type: 'rented', area: 45, monthlyRent: 500, condition: 'fair' },
    bankAccount: { bankName: '甘肃省农村信用社会宁支行', accountName: '李桂芳', accountNumber: '622827123456789012' },
    attachments: {
      idCards: [file('身份证-李桂芳.jpg'), file('身份证-王建军.jpg'), file('身份证-王强.jpg')],
      hukouBook: [file('户口簿.jpg')],
      authorization: [file('核对授权书.pdf', 'application/pdf')],
      medicalRecords: [file('王建军-诊断证明.pdf', 'application/pdf')],
      rentalContract: [file('租赁合同.pdf', 'application/pdf')],
    },
  };
}

type Application = ReturnType<typeof validApplication>;

/** Applications the server must refuse (400), each with the field it names and the zh-CN message. */
export const invalidApplications: Array<{ title: string; data: () => unknown; path: string; message: string }> = [
  {
    title: 'a member ID number with a wrong check digit',
    data: () => {
      const d: Application = validApplication();
      const id = d.members[0].idNumber;
      d.members[0].idNumber = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
      return d;
    },
    path: '/data/members/0/idNumber',
    message: '身份证号码校验位不正确',
  },
  {
    title: 'a serious illness declared without medical records',
    data: () => {
      const d: Partial<Application> & Record<string, unknown> = validApplication();
      const { medicalRecords: _m, ...rest } = d.attachments as Application['attachments'];
      d.attachments = rest as Application['attachments'];
      return d;
    },
    path: '/data/attachments/medicalRecords',
    message: '应当有必需属性 medicalRecords',
  },
  {
    title: 'a negative income',
    data: () => {
      const d = validApplication();
      d.applicant.monthlyIncome = -50;
      return d;
    },
    path: '/data/applicant/monthlyIncome',
    message: '应当为 >= 0',
  },
  {
    title: 'an inconsistent member count (household size ≠ the applicant and the members listed)',
    data: sizeMismatchApplication,
    path: '/data/household/size',
    message: '家庭人口数（4人）应与申请人及家庭成员人数（3人）一致',
  },
];

/** Household size 4 declared, 3 people listed: JSON Schema cannot compare the two, the flow's intake check does. */
export function sizeMismatchApplication() {
  const d = validApplication();
  d.household.size = 4;
  return d;
}
