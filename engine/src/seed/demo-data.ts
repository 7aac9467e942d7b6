import type { Level, Role } from '../infra/auth/types.js';

/**
 * The demo jurisdiction: 白银市 (Baiyin, Gansu) with its five counties/districts, three real
 * townships each and two or three villages/communities per township. Ids are stable slugs
 * (`baiyin`, `baiyin/huining`, `baiyin/huining/huishi`, `baiyin/huining/huishi/dongguan`) so
 * tests and fixtures can name them. City and county codes are the real GB/T 2260 codes; the
 * township (9-digit) and village (12-digit) codes follow the national pattern but are
 * illustrative.
 */
export interface DemoUnit {
  slug: string;
  name: string;
  code: string;
  children?: DemoUnit[];
}

const villages = (townCode: string, list: Array<[string, string]>): DemoUnit[] =>
  list.map(([slug, name], i) => ({ slug, name, code: `${townCode}${String(201 + i)}` }));

export const DEMO_TREE: DemoUnit = {
  slug: 'baiyin',
  name: '白银市',
  code: '620400',
  children: [
    {
      slug: 'baiyinqu',
      name: '白银区',
      code: '620402',
      children: [
        {
          slug: 'shuichuan',
          name: '水川镇',
          code: '620402101',
          children: villages('620402101', [
            ['jiangjiawan', '蒋家湾村'],
            ['gujiashan', '顾家善村'],
            ['jintan', '金滩村'],
          ]),
        },
        {
          slug: 'silong',
          name: '四龙镇',
          code: '620402102',
          children: villages('620402102', [
            ['silong', '四龙村'],
            ['minqin', '民勤村'],
            ['shuanghe', '双合村'],
          ]),
        },
        {
          slug: 'wangxian',
          name: '王岘镇',
          code: '620402103',
          children: villages('620402103', [
            ['wangxian', '王岘村'],
            ['dagou', '大沟村'],
          ]),
        },
      ],
    },
    {
      slug: 'pingchuan',
      name: '平川区',
      code: '620403',
      children: [
        {
          slug: 'wangjiashan',
          name: '王家山镇',
          code: '620403101',
          children: villages('620403101', [
            ['wangjiashan', '王家山村'],
            ['shahe', '沙河村'],
          ]),
        },
        {
          slug: 'shuiquan',
          name: '水泉镇',
          code: '620403102',
          children: villages('620403102', [
            ['shuiquan', '水泉村'],
            ['weiquan', '尾泉村'],
            ['doucheng', '陡城村'],
          ]),
        },
        {
          slug: 'gonghe',
          name: '共和镇',
          code: '620403103',
          children: villages('620403103', [
            ['gonghe', '共和村'],
            ['diaogou', '吊沟村'],
          ]),
        },
      ],
    },
    {
      slug: 'huining',
      name: '会宁县',
      code: '620422',
      children: [
        {
          slug: 'huishi',
          name: '会师镇',
          code: '620422100',
          children: villages('620422100', [
            ['dongguan', '东关村'],
            ['xiguan', '西关社区'],
            ['nanshilipu', '南十里铺村'],
          ]),
        },
        {
          slug: 'guochengyi',
          name: '郭城驿镇',
          code: '620422101',
          children: villages('620422101', [
            ['guocheng', '郭城村'],
            ['hongbaozi', '红堡子村'],
            ['xinbaozi', '新堡子村'],
          ]),
        },
        {
          slug: 'hepan',
          name: '河畔镇',
          code: '620422102',
          children: villages('620422102', [
            ['hepan', '河畔村'],
            ['gaoyao', '高窑村'],
          ]),
        },
      ],
    },
    {
      slug: 'jingyuan',
      name: '靖远县',
      code: '620421',
      children: [
        {
          slug: 'wulan',
          name: '乌兰镇',
          code: '620421100',
          children: villages('620421100', [
            ['dongguan', '东关社区'],
            ['xijie', '西街社区'],
            ['hongzui', '红嘴村'],
          ]),
        },
        {
          slug: 'dongwan',
          name: '东湾镇',
          code: '620421101',
          children: villages('620421101', [
            ['dongwan', '东湾村'],
            ['daba', '大坝村'],
          ]),
        },
        {
          slug: 'beiwan',
          name: '北湾镇',
          code: '620421102',
          children: villages('620421102', [
            ['beiwan', '北湾村'],
            ['fuping', '富坪村'],
          ]),
        },
      ],
    },
    {
      slug: 'jingtai',
      name: '景泰县',
      code: '620423',
      children: [
        {
          slug: 'yitiaoshan',
          name: '一条山镇',
          code: '620423100',
          children: villages('620423100', [
            ['chengbei', '城北社区'],
            ['xinhua', '新华村'],
            ['dongguan', '东关村'],
          ]),
        },
        {
          slug: 'luyang',
          name: '芦阳镇',
          code: '620423101',
          children: villages('620423101', [
            ['luyang', '芦阳村'],
            ['xiangshui', '响水村'],
          ]),
        },
        {
          slug: 'xiquan',
          name: '喜泉镇',
          code: '620423102',
          children: villages('620423102', [
            ['xiquan', '喜泉村'],
            ['tiaoshan', '条山村'],
          ]),
        },
      ],
    },
  ],
};

/** Frequently used unit ids. */
export const DEMO_UNITS = {
  city: 'baiyin',
  huining: 'baiyin/huining',
  jingyuan: 'baiyin/jingyuan',
  huishi: 'baiyin/huining/huishi',
  guochengyi: 'baiyin/huining/guochengyi',
  wulan: 'baiyin/jingyuan/wulan',
  huishiDongguan: 'baiyin/huining/huishi/dongguan',
  huishiXiguan: 'baiyin/huining/huishi/xiguan',
  guochengyiGuocheng: 'baiyin/huining/guochengyi/guocheng',
} as const;

export interface DemoUser {
  id: string;
  username: string;
  displayName: string;
  orgUnitId: string;
  roles: Role[];
}

export const DEMO_USERS: DemoUser[] = [
  {
    id: 'user-admin',
    username: 'admin',
    displayName: '李红梅（市民政局管理员）',
    orgUnitId: DEMO_UNITS.city,
    roles: ['city-admin'],
  },
  {
    id: 'user-county',
    username: 'county',
    displayName: '张建华（会宁县民政局）',
    orgUnitId: DEMO_UNITS.huining,
    roles: ['county-approver'],
  },
  {
    id: 'user-township',
    username: 'township',
    displayName: '王小兵（会师镇民政所）',
    orgUnitId: DEMO_UNITS.huishi,
    roles: ['township-staff', 'investigator'],
  },
  {
    id: 'user-village',
    username: 'village',
    displayName: '马文丽（东关村协理员）',
    orgUnitId: DEMO_UNITS.huishiDongguan,
    roles: ['village-assistant'],
  },
  {
    id: 'user-auditor',
    username: 'auditor',
    displayName: '赵刚（市民政局审计）',
    orgUnitId: DEMO_UNITS.city,
    roles: ['auditor'],
  },
  {
    id: 'user-township2',
    username: 'township2',
    displayName: '刘芳（郭城驿镇民政所）',
    orgUnitId: DEMO_UNITS.guochengyi,
    roles: ['township-staff'],
  },
  {
    id: 'user-county2',
    username: 'county2',
    displayName: '陈伟（靖远县民政局）',
    orgUnitId: DEMO_UNITS.jingyuan,
    roles: ['county-approver'],
  },
  {
    id: 'user-investigator2',
    username: 'investigator2',
    displayName: '杨军（会师镇调查员）',
    orgUnitId: DEMO_UNITS.huishi,
    roles: ['investigator'],
  },
];

/** Flattens the tree into units with their ids, levels and paths, parents before children. */
export function flattenDemoTree(): Array<{
  id: string;
  name: string;
  code: string;
  level: Level;
  parentId: string | null;
  path: string[];
}> {
  const levels: Level[] = ['city', 'county', 'township', 'village'];
  const out: Array<{ id: string; name: string; code: string; level: Level; parentId: string | null; path: string[] }> =
    [];
  const walk = (unit: DemoUnit, parentPath: string[], depth: number) => {
    const id = parentPath.length ? `${parentPath[parentPath.length - 1]}/${unit.slug}` : unit.slug;
    const path = [...parentPath, id];
    out.push({ id, name: unit.name, code: unit.code, level: levels[depth], parentId: parentPath.at(-1) ?? null, path });
    for (const child of unit.children ?? []) walk(child, path, depth + 1);
  };
  walk(DEMO_TREE, [], 0);
  return out;
}
