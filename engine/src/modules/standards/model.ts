import type { StoredDoc } from '../../infra/store/port.js';

export const STANDARDS = 'standards';

/**
 * The social-assistance standards of one county for one year (元). The flows never carry these
 * figures as constants: the `load-standards` service task copies the case county's row into the
 * case variables (`standards.urbanMonthly`, ...) and later FEEL computes with them.
 */
export interface StandardFigures {
  /** 城市低保标准（元/人·月） */
  urbanMonthly: number;
  /** 农村低保标准（元/人·月） */
  ruralMonthly: number;
  /** 低保金最低发放额（元/户·月）：差额低于此数时按此数发放 */
  dibaoMinimumMonthly: number;
  /** 低收入家庭认定：人均收入不高于低保标准的倍数 */
  lowIncomeMultiplier: number;
  /** 特困人员基本生活标准（元/人·月） */
  tekunBasicMonthly: number;
  /** 特困人员照料护理标准（元/人·月），按生活自理能力 */
  tekunCareMonthly: { selfCare: number; partialCare: number; fullCare: number };
  /** 临时救助：乡镇（街道）审批额度上限（元/次），以下可先行救助 */
  temporaryAidTownshipLimit: number;
  /** 临时救助：单次救助上限（元/次） */
  temporaryAidCap: number;
  /** 医疗救助：政策范围内个人自付费用的救助比例，按救助对象类别 */
  medicalAidRates: { tekun: number; dibao: number; lowIncome: number; other: number };
  /** 医疗救助：年度救助限额（元/人·年） */
  medicalAidYearlyCap: number;
  /** 医疗救助：高额医疗费用预警线（元，个人自付），超过即列入主动发现 */
  medicalAidWarningThreshold: number;
  /** 自然灾害：冬春生活困难救助（元/人） */
  winterSpringPerPerson: number;
  /** 自然灾害：倒损住房恢复重建补助（元/户），按损毁程度 */
  houseRebuild: { collapsed: number; severe: number; moderate: number };
  /** 困难残疾人生活补贴（元/人·月） */
  disabilityLivingMonthly: number;
  /** 重度残疾人护理补贴（元/人·月），一级、二级 */
  disabilityNursingMonthly: { grade1: number; grade2: number };
  /** 孤儿及事实无人抚养儿童基本生活费（元/人·月）：集中养育、分散供养 */
  orphanMonthly: { institution: number; scattered: number };
  /** 义务兵家庭优待金（元/年，服役满一年） */
  conscriptFamilyYearly: number;
  /** 义务兵服役期间立功受奖的优待金增发（元/项） */
  conscriptHonourBonus: {
    'first-class': number;
    'second-class': number;
    'third-class': number;
    'excellent-soldier': number;
  };
  /** 惠民殡葬：基本殡葬服务费减免限额（元/项）与生态安葬奖补 */
  funeralCaps: {
    transport: number;
    storage: number;
    cremation: number;
    urn: number;
    ashesStorage: number;
    ecoBurial: number;
  };
  /** 高龄津贴（元/人·月），按年龄段：80–89、90–99、100周岁及以上 */
  elderlyAllowanceMonthly: { '80-89': number; '90-99': number; '100+': number };
}

export interface StandardsDoc extends StoredDoc, StandardFigures {
  countyId: string;
  countyName: string;
  year: number;
  /** True for the seeded demo figures (plausible, not the counties' official ones). */
  demo: boolean;
  note: string | null;
  updatedAt: string;
  updatedBy: string;
}

export const standardsId = (countyId: string, year: number) => `${countyId}@${year}`;

const money = (title: string, max = 1_000_000) => ({ type: 'number', minimum: 0, maximum: max, title }) as const;
const rate = (title: string) => ({ type: 'number', minimum: 0, maximum: 1, title }) as const;

/** The figures as a JSON Schema (the PUT body, the stored row and the handler result share it). */
export const figuresProperties = {
  urbanMonthly: money('城市低保标准（元/人·月）', 10_000),
  ruralMonthly: money('农村低保标准（元/人·月）', 10_000),
  dibaoMinimumMonthly: money('低保金最低发放额（元/户·月）', 10_000),
  lowIncomeMultiplier: { type: 'number', minimum: 1, maximum: 3, title: '低收入家庭认定倍数' },
  tekunBasicMonthly: money('特困人员基本生活标准（元/人·月）', 10_000),
  tekunCareMonthly: {
    type: 'object',
    additionalProperties: false,
    required: ['selfCare', 'partialCare', 'fullCare'],
    title: '特困人员照料护理标准（元/人·月）',
    properties: {
      selfCare: money('生活自理', 10_000),
      partialCare: money('部分失能（半护理）', 10_000),
      fullCare: money('完全失能（全护理）', 10_000),
    },
  },
  temporaryAidTownshipLimit: money('临时救助乡镇审批额度（元/次）', 100_000),
  temporaryAidCap: money('临时救助单次上限（元/次）', 1_000_000),
  medicalAidRates: {
    type: 'object',
    additionalProperties: false,
    required: ['tekun', 'dibao', 'lowIncome', 'other'],
    title: '医疗救助比例',
    properties: {
      tekun: rate('特困人员'),
      dibao: rate('低保对象'),
      lowIncome: rate('低收入人口'),
      other: rate('其他因病致贫对象'),
    },
  },
  medicalAidYearlyCap: money('医疗救助年度限额（元/人·年）'),
  medicalAidWarningThreshold: money('高额医疗费用预警线（元）'),
  winterSpringPerPerson: money('冬春生活救助（元/人）', 100_000),
  houseRebuild: {
    type: 'object',
    additionalProperties: false,
    required: ['collapsed', 'severe', 'moderate'],
    title: '倒损住房恢复重建补助（元/户）',
    properties: {
      collapsed: money('倒塌'),
      severe: money('严重损坏'),
      moderate: money('一般损坏'),
    },
  },
  disabilityLivingMonthly: money('困难残疾人生活补贴（元/人·月）', 10_000),
  disabilityNursingMonthly: {
    type: 'object',
    additionalProperties: false,
    required: ['grade1', 'grade2'],
    title: '重度残疾人护理补贴（元/人·月）',
    properties: { grade1: money('一级', 10_000), grade2: money('二级', 10_000) },
  },
  orphanMonthly: {
    type: 'object',
    additionalProperties: false,
    required: ['institution', 'scattered'],
    title: '孤儿基本生活费（元/人·月）',
    properties: { institution: money('集中养育', 10_000), scattered: money('分散供养', 10_000) },
  },
  conscriptFamilyYearly: money('义务兵家庭优待金（元/年）', 1_000_000),
  conscriptHonourBonus: {
    type: 'object',
    additionalProperties: false,
    required: ['first-class', 'second-class', 'third-class', 'excellent-soldier'],
    title: '立功受奖增发优待金（元/项）',
    properties: {
      'first-class': money('一等功'),
      'second-class': money('二等功'),
      'third-class': money('三等功'),
      'excellent-soldier': money('优秀士兵'),
    },
  },
  funeralCaps: {
    type: 'object',
    additionalProperties: false,
    required: ['transport', 'storage', 'cremation', 'urn', 'ashesStorage', 'ecoBurial'],
    title: '惠民殡葬补贴限额（元/项）',
    properties: {
      transport: money('遗体接运'),
      storage: money('遗体暂存'),
      cremation: money('遗体火化'),
      urn: money('骨灰盒'),
      ashesStorage: money('骨灰寄存'),
      ecoBurial: money('生态安葬奖补'),
    },
  },
  elderlyAllowanceMonthly: {
    type: 'object',
    additionalProperties: false,
    required: ['80-89', '90-99', '100+'],
    title: '高龄津贴（元/人·月）',
    properties: {
      '80-89': money('80–89周岁', 10_000),
      '90-99': money('90–99周岁', 10_000),
      '100+': money('100周岁及以上', 10_000),
    },
  },
} as const;

export const FIGURE_KEYS = Object.keys(figuresProperties) as Array<keyof StandardFigures>;

/**
 * Demo figures for the five counties/districts of 白银市, 2024 to 2026 by default (the demo cases
 * of `npm run seed:demo` reach two years back; it asks for the years it needs). They are plausible
 * orders of magnitude for Gansu (urban dibao ≈ 800 元, rural ≈ 540 元 per person and month;
 * 特困 basic = 1.3 × the urban standard; 高龄津贴 50–100 / 100–200 / 300–500 元 a month by age band),
 * NOT the counties' published standards.
 */
export function demoStandards(
  years: readonly number[] = [2024, 2025, 2026],
): Array<{ countyId: string; countyName: string; year: number } & StandardFigures> {
  // county, name, urban and rural dibao in 2026, 高龄津贴 (80–89, 90–99, 100+; the same every year)
  const counties: Array<[string, string, number, number, [number, number, number]]> = [
    ['baiyin/baiyinqu', '白银区', 845, 565, [100, 200, 500]],
    ['baiyin/pingchuan', '平川区', 835, 560, [100, 200, 500]],
    ['baiyin/huining', '会宁县', 815, 545, [80, 150, 400]],
    ['baiyin/jingyuan', '靖远县', 815, 545, [80, 150, 400]],
    ['baiyin/jingtai', '景泰县', 825, 550, [90, 180, 450]],
  ];
  const rows: Array<{ countyId: string; countyName: string; year: number } & StandardFigures> = [];
  for (const year of years) {
    for (const [countyId, countyName, urban2026, rural2026, elderly] of counties) {
      // Each year a step above the one before, as standards rise every year.
      const urbanMonthly = urban2026 + 25 * (year - 2026);
      const ruralMonthly = rural2026 + 20 * (year - 2026);
      const tekunBasicMonthly = Math.round(urbanMonthly * 1.3);
      rows.push({
        countyId,
        countyName,
        year,
        urbanMonthly,
        ruralMonthly,
        dibaoMinimumMonthly: 60,
        lowIncomeMultiplier: 1.5,
        tekunBasicMonthly,
        tekunCareMonthly: { selfCare: 110, partialCare: 330, fullCare: 1100 },
        temporaryAidTownshipLimit: 2000,
        temporaryAidCap: urbanMonthly * 12,
        medicalAidRates: { tekun: 1, dibao: 0.7, lowIncome: 0.6, other: 0.5 },
        medicalAidYearlyCap: 60_000,
        medicalAidWarningThreshold: 20_000,
        winterSpringPerPerson: 300,
        houseRebuild: { collapsed: 40_000, severe: 15_000, moderate: 5_000 },
        disabilityLivingMonthly: 90,
        disabilityNursingMonthly: { grade1: 120, grade2: 90 },
        orphanMonthly: { institution: 1_800, scattered: 1_350 },
        conscriptFamilyYearly: 24_000,
        conscriptHonourBonus: {
          'first-class': 7_200,
          'second-class': 4_800,
          'third-class': 2_400,
          'excellent-soldier': 1_200,
        },
        funeralCaps: { transport: 300, storage: 150, cremation: 500, urn: 200, ashesStorage: 300, ecoBurial: 1_000 },
        elderlyAllowanceMonthly: { '80-89': elderly[0], '90-99': elderly[1], '100+': elderly[2] },
      });
    }
  }
  return rows;
}
