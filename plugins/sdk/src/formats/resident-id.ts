/**
 * Chinese resident identity number (居民身份证号码), GB 11643-1999: 6-digit administrative region
 * code, 8-digit birth date (YYYYMMDD), 3-digit sequence code (odd for men, even for women) and an
 * ISO 7064 MOD 11-2 check character (0-9 or X). Pure TypeScript: runs in the browser too.
 */

/** Weights of the 17 body digits: 2^(17 - i) mod 11 for positions i = 1..17. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Check character by (weighted sum mod 11). */
const CHECK_CHARS = '10X98765432';

/**
 * Province-level codes of GB/T 2260 (11 北京 … 65 新疆), plus 71 台湾, 81 香港, 82 澳门 and 83, used
 * by the residence permits of Hong Kong, Macao and Taiwan residents (港澳台居民居住证).
 */
const PROVINCE_CODES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
  '83',
]);

/** Earliest birth year accepted (nobody alive was born earlier). */
const MIN_BIRTH_YEAR = 1890;

export type ResidentIdProblem = 'shape' | 'region' | 'birthDate' | 'checkDigit';

/** The MOD 11-2 check character of the first 17 digits. */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/** Today's calendar date in China (UTC+8, no daylight saving), as YYYY-MM-DD. */
export function chinaToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

function isCalendarDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  return d <= days;
}

/**
 * Why `value` is not a valid resident ID number, or null when it is. `today` (YYYY-MM-DD, China
 * time by default) bounds the birth date.
 */
export function residentIdProblem(value: string, today: string = chinaToday()): ResidentIdProblem | null {
  if (!/^\d{17}[\dX]$/.test(value)) return 'shape';
  const region = value.slice(0, 6);
  // 9xxxxx: the foreign permanent resident ID card (2023 edition) carries the province in digits 2-3.
  const province = region[0] === '9' ? region.slice(1, 3) : region.slice(0, 2);
  if (!PROVINCE_CODES.has(province)) return 'region';
  // A person is registered at a prefecture or county, never at the province itself (xx00xx),
  // except on the Hong Kong/Macao/Taiwan residence permits (810000, 820000, 830000).
  if (region[0] !== '9' && ['81', '82', '83'].includes(province)) {
    if (region.slice(2) !== '0000') return 'region';
  } else if (region[0] !== '9' && region.slice(2, 4) === '00') {
    return 'region';
  }
  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  if (y < MIN_BIRTH_YEAR || !isCalendarDate(y, m, d)) return 'birthDate';
  if (`${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}` > today) return 'birthDate';
  if (residentIdCheckChar(value) !== value[17]) return 'checkDigit';
  return null;
}

export function isResidentId(value: string): boolean {
  return residentIdProblem(value) === null;
}

/** The birth date encoded in a valid resident ID number, as YYYY-MM-DD; null when the number is invalid. */
export function birthDateFromResidentId(value: string): string | null {
  if (residentIdProblem(value) !== null) return null;
  return `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
}

/** 'male' when the sequence code (17th digit) is odd, 'female' when even; null when the number is invalid. */
export function genderFromResidentId(value: string): 'male' | 'female' | null {
  if (residentIdProblem(value) !== null) return null;
  return Number(value[16]) % 2 === 1 ? 'male' : 'female';
}

/**
 * Age in completed years (周岁) on a date. `birthDate` is YYYY-MM-DD; `on` is YYYY-MM-DD or a
 * Date (read as the calendar date in China). Someone born on 29 February turns a year older on
 * 1 March in common years. Returns null for malformed dates or a date before the birth.
 */
export function ageOnDate(birthDate: string, on: string | Date): number | null {
  const day = typeof on === 'string' ? on : chinaToday(on);
  const b = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  const o = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!b || !o) return null;
  const [by, bm, bd] = [Number(b[1]), Number(b[2]), Number(b[3])];
  const [oy, om, od] = [Number(o[1]), Number(o[2]), Number(o[3])];
  if (!isCalendarDate(by, bm, bd) || !isCalendarDate(oy, om, od)) return null;
  let age = oy - by;
  if (om < bm || (om === bm && od < bd)) age -= 1;
  return age < 0 ? null : age;
}
