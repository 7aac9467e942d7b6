/**
 * Generated people for the demo cases: common Chinese surnames and given names, and resident ID
 * numbers (GB 11643-1999) with a valid check digit, the county's region code and a birth date
 * chosen so the person's age fits the item (高龄津贴 80+, 孤儿 under 18, ...).
 */

/** A small seeded PRNG (mulberry32): the same seed gives the same demo data. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

// The most common surnames (in rough order of frequency), with the local 马/杨/魏 of 会宁 and 靖远.
const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '高',
  '林',
  '罗',
  '郑',
  '梁',
  '谢',
  '宋',
  '唐',
  '许',
  '韩',
  '冯',
  '邓',
  '曹',
  '彭',
  '曾',
  '肖',
  '田',
  '董',
  '袁',
  '潘',
  '于',
  '蒋',
  '蔡',
  '余',
  '杜',
  '叶',
  '程',
  '苏',
  '魏',
  '吕',
  '丁',
  '任',
  '沈',
  '姚',
  '卢',
  '姜',
  '崔',
  '钟',
  '谭',
  '陆',
  '汪',
  '范',
  '金',
  '石',
  '廖',
  '贾',
  '夏',
  '韦',
  '付',
  '方',
  '白',
  '邹',
  '孟',
  '熊',
  '秦',
  '邱',
  '江',
  '尹',
  '薛',
  '闫',
  '段',
  '雷',
  '侯',
] as const;
const MALE_CHARS = '建国明华军伟强平志文斌海涛刚勇杰永春福成德荣忠义胜利宏俊鹏飞龙虎宝山林生学贵金全兴旺'.split('');
const FEMALE_CHARS = '秀英兰芳玉梅桂霞丽娟红燕华珍凤琴云莲花萍敏静丹婷雪淑慧君洁艳娥巧香月'.split('');

/** A 3-character name (surname + 2-character given name), male or female. */
export function personName(rng: Rng, male: boolean): string {
  const chars = male ? MALE_CHARS : FEMALE_CHARS;
  let given = rng.pick(chars) + rng.pick(chars);
  while (given[0] === given[1]) given = rng.pick(chars) + rng.pick(chars);
  return rng.pick(SURNAMES) + given;
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** The GB 11643 check character of the first 17 digits. */
export function checkDigit(body17: string): string {
  const sum = WEIGHTS.reduce((s, w, i) => s + w * Number(body17[i]), 0);
  return '10X98765432'[sum % 11];
}

/** A resident ID number: region (6 digits), birth date (YYYYMMDD), sequence (3 digits; odd = male). */
export function residentIdNumber(region: string, birth: string, seq: number): string {
  const body = `${region}${birth}${String(seq).padStart(3, '0')}`;
  return body + checkDigit(body);
}

/** Whether an ID number's check digit and birth date are valid (what the forms' `resident-id` format checks). */
export function isValidResidentId(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  if (checkDigit(id.slice(0, 17)) !== id[17]) return false;
  const birth = id.slice(6, 14);
  const d = new Date(`${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10).replaceAll('-', '') === birth;
}

/** Age in whole years on `at` (a YYYY-MM-DD day) of someone born on `birth` (YYYYMMDD). */
export function ageOn(birth: string, at: string): number {
  const [y, m, d] = [Number(birth.slice(0, 4)), Number(birth.slice(4, 6)), Number(birth.slice(6, 8))];
  const [ay, am, ad] = at.split('-').map(Number);
  return ay - y - (am < m || (am === m && ad < d) ? 1 : 0);
}

/** The age classes a replacement person keeps (so item rules on age still hold: 80+, under 18, ...). */
const AGE_CLASSES: Array<[number, number]> = [
  [0, 17],
  [18, 59],
  [60, 79],
  [80, 89],
  [90, 99],
  [100, 104],
];

/**
 * A birth date (YYYYMMDD) for a replacement of someone who was `age` on the sample's day: an age
 * near the original (the elderly spread over all of 80–104), in the same class, on `at`.
 */
export function replacementBirth(rng: Rng, age: number, at: string): string {
  const [lo, hi] = AGE_CLASSES.find(([a, b]) => age >= a && age <= b) ?? [age, age];
  // Children stay under 16 on the day of filing, so they are still under 18 when checked today.
  const top = hi === 17 ? 15 : hi;
  const wanted = age >= 80 ? rng.int(80, 104) : Math.min(top, Math.max(lo, age + rng.int(-6, 6)));
  const [ay, am, ad] = at.split('-').map(Number);
  // Born `wanted` years before `at`, minus 1..364 days: still `wanted` years old on `at`.
  const date = new Date(Date.UTC(ay - wanted, am - 1, ad) - rng.int(1, 364) * 86_400_000);
  return date.toISOString().slice(0, 10).replaceAll('-', '');
}
