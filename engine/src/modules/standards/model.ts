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
} as const;

export const FIGURE_KEYS = Object.keys(figuresProperties) as Array<keyof StandardFigures>;

/**
 * Demo figures for the five counties/districts of 白银市, 2025 and 2026. They are plausible
 * orders of magnitude for Gansu (urban dibao ≈ 800 元, rural ≈ 540 元 per person and month;
 * 特困 basic = 1.3 × the urban standard), NOT the counties' published standards.
 */
export function demoStandards(): Array<{ countyId: string; countyName: string; year: number } & StandardFigures> {
  const counties: Array<[string, string, number, number]> = [
    ['baiyin/baiyinqu', '白银区', 845, 565],
    ['baiyin/pingchuan', '平川区', 835, 560],
    ['baiyin/huining', '会宁县', 815, 545],
    ['baiyin/jingyuan', '靖远县', 815, 545],
    ['baiyin/jingtai', '景泰县', 825, 550],
  ];
  const rows: Array<{ countyId: string; countyName: string; year: number } & StandardFigures> = [];
  for (const year of [2025, 2026]) {
    for (const [countyId, countyName, urban2026, rural2026] of counties) {
      // 2025 a step lower than 2026, as standards rise every year.
      const urbanMonthly = year === 2026 ? urban2026 : urban2026 - 25;
      const ruralMonthly = year === 2026 ? rural2026 : rural2026 - 20;
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
      });
    }
  }
  return rows;
}
