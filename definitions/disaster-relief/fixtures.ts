import { residentId } from '../../engine/test/items.js';
import { file } from '../dibao-urban/fixtures.js';

export const ids = {
  applicant: residentId('620422', '19751120', '083'),
  son: residentId('620422', '20010509', '091'),
  mother: residentId('620422', '19490903', '102'),
};

/** 灾情初报: a hailstorm over 东关村 at 07:30 on 2 Mar, reported by the village liaison. */
export function initialReport() {
  return {
    filingType: 'initial-report',
    report: {
      disasterType: 'hail',
      occurredAt: '2026-03-02T07:30:00+08:00',
      location: '会师镇东关村一至五社',
      peopleAffected: 860,
      peopleEvacuated: 12,
      deaths: 0,
      missing: 0,
      injured: 2,
      housesCollapsed: 3,
      housesSeverelyDamaged: 11,
      housesModeratelyDamaged: 40,
      cropAreaMu: 2300,
      directLoss: 1_850_000,
      urgentNeeds: '帐篷15顶、棉被40床',
      reporterPhone: '13909431234',
    },
    attachments: { photos: [file('冰雹-一社.jpg'), file('倒塌房屋-三社.jpg')] },
  };
}

/** 倒损住房恢复重建: a household of 3 whose house the hail left severely damaged (demo standard: 15,000 元). */
export function reliefApplication() {
  return {
    filingType: 'relief',
    reliefType: 'house-rebuild',
    applicant: { name: '陈兴旺', idNumber: ids.applicant, phone: '13830987654', address: '会宁县会师镇东关村三社5号' },
    household: { size: 3 },
    members: [
      {
        name: '陈小斌',
        idNumber: ids.son,
        relation: 'son',
        health: 'healthy',
        workAbility: 'full',
        employment: 'migrant',
        monthlyIncome: 2500,
      },
      {
        name: '王秀莲',
        idNumber: ids.mother,
        relation: 'mother',
        health: 'chronic',
        workAbility: 'none',
        employment: 'retired',
        monthlyIncome: 150,
      },
    ],
    damage: {
      disasterType: 'hail',
      disasterDate: '2026-03-02',
      houseDamage: 'severe',
      description: '冰雹砸穿屋顶，后墙开裂，已不能安全居住',
    },
    bankAccount: { bankName: '甘肃省农村信用社会宁支行', accountName: '陈兴旺', accountNumber: '622827500060007000' },
    attachments: { idCard: [file('身份证-陈兴旺.jpg')], photos: [file('受损房屋.jpg')] },
  };
}

export const invalidApplications: Array<{ title: string; data: () => unknown; path: string; message: string }> = [
  {
    title: 'an initial report without photos',
    data: () => ({ ...initialReport(), attachments: {} }),
    path: '/data/attachments/photos',
    message: '应当有必需属性 photos',
  },
  {
    title: 'a relief application with a wrong ID check digit',
    data: () => {
      const d = reliefApplication();
      d.members[0].idNumber = ids.son.slice(0, 17) + (ids.son[17] === '9' ? '8' : '9');
      return d;
    },
    path: '/data/members/0/idNumber',
    message: '身份证号码校验位不正确',
  },
  {
    title: 'a relief application without the bank account',
    data: () => {
      const { bankAccount: _b, ...rest } = reliefApplication();
      return rest;
    },
    path: '/data/bankAccount',
    message: '应当有必需属性 bankAccount',
  },
  {
    title: 'an inconsistent member count (household size ≠ the applicant and the members listed)',
    data: sizeMismatchApplication,
    path: '/data/household/size',
    message: '家庭人口数（5人）应与申请人及家庭成员人数（3人）一致',
  },
];

/** 5 people declared, fewer listed (the applicant and the members). */
export function sizeMismatchApplication() {
  const d = reliefApplication();
  d.household.size = 5;
  return d;
}
