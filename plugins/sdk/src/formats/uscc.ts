/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015: registration authority code (1),
 * organisation type code (1), administrative region code (6 digits), organisation code (9, GB
 * 11714) and a check character. Characters come from 0-9 and the capital letters without I, O,
 * S, V and Z (31 in all); the check character is 31 - (Σ value·weight mod 31), weights 3^i mod 31.
 */

export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
/** Registration authorities: 1 机构编制, 2 外交, 3 司法行政, 4 文化, 5 民政, 6 旅游, 7 宗教, 8 工会, 9 市场监管, A 中央军委改革和编制, N 农业农村, Y 其他. */
const AUTHORITIES = '123456789ANY';

export type UsccProblem = 'shape' | 'checkDigit';

/** The GB 32100 check character of the first 17 characters (which must come from the charset). */
export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARSET.indexOf(first17[i]) * WEIGHTS[i];
  return USCC_CHARSET[(31 - (sum % 31)) % 31];
}

export function usccProblem(value: string): UsccProblem | null {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(value)) return 'shape';
  if (!AUTHORITIES.includes(value[0])) return 'shape';
  if (usccCheckChar(value) !== value[17]) return 'checkDigit';
  return null;
}

export function isUscc(value: string): boolean {
  return usccProblem(value) === null;
}
