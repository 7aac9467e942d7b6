import { isCnMobile, isCnPostcode } from './contact.js';
import { isResidentId, type ResidentIdProblem, residentIdProblem } from './resident-id.js';
import { isUscc, type UsccProblem, usccProblem } from './uscc.js';

export { isCnMobile, isCnPostcode } from './contact.js';
export {
  ageOnDate,
  birthDateFromResidentId,
  chinaToday,
  genderFromResidentId,
  isResidentId,
  type ResidentIdProblem,
  residentIdCheckChar,
  residentIdProblem,
} from './resident-id.js';
export { isUscc, USCC_CHARSET, type UsccProblem, usccCheckChar, usccProblem } from './uscc.js';

/**
 * Minflow's custom JSON Schema formats, registered once here and used by the engine's ajv and by
 * both UIs' validators, so the server and the browser accept exactly the same values.
 */
export const MINFLOW_FORMATS = ['cn-resident-id', 'cn-mobile', 'cn-postcode', 'cn-uscc'] as const;
export type MinflowFormat = (typeof MINFLOW_FORMATS)[number];
export type FormatLang = 'zh-CN' | 'en';

interface LocalizedText {
  zh: string;
  en: string;
}

/** Validators by format name (for `@rjsf/validator-ajv8`'s `customFormats` and for ajv). */
export const minflowFormatValidators: Record<MinflowFormat, (value: string) => boolean> = {
  'cn-resident-id': isResidentId,
  'cn-mobile': isCnMobile,
  'cn-postcode': isCnPostcode,
  'cn-uscc': isUscc,
};

/** The message shown when a value fails a format, whatever the reason. */
export const formatMessages: Record<MinflowFormat, LocalizedText> = {
  'cn-resident-id': { zh: '身份证号码不正确', en: 'is not a valid resident ID number' },
  'cn-mobile': { zh: '手机号码应为11位数字，以1开头', en: 'must be an 11-digit mainland mobile number' },
  'cn-postcode': { zh: '邮政编码应为6位数字', en: 'must be a 6-digit postal code' },
  'cn-uscc': { zh: '统一社会信用代码不正确', en: 'is not a valid unified social credit code' },
};

const residentIdMessages: Record<ResidentIdProblem, LocalizedText> = {
  shape: {
    zh: '身份证号码应为18位，前17位为数字，最后一位为数字或X',
    en: 'must be 18 characters: 17 digits then a digit or X',
  },
  region: { zh: '身份证号码的地区码无效', en: 'has an unknown region code' },
  birthDate: { zh: '身份证号码中的出生日期无效', en: 'contains an invalid birth date' },
  checkDigit: { zh: '身份证号码校验位不正确', en: 'has a wrong check digit' },
};

const usccMessages: Record<UsccProblem, LocalizedText> = {
  shape: {
    zh: '统一社会信用代码应为18位数字或大写字母（不含I、O、S、V、Z）',
    en: 'must be 18 digits or capital letters (no I, O, S, V, Z)',
  },
  checkDigit: { zh: '统一社会信用代码校验位不正确', en: 'has a wrong check character' },
};

export function isMinflowFormat(name: unknown): name is MinflowFormat {
  return typeof name === 'string' && (MINFLOW_FORMATS as readonly string[]).includes(name);
}

/**
 * The message for a value failing one of Minflow's formats, as specific as the value allows
 * (e.g. "身份证号码校验位不正确" rather than a generic one). Without the value (ajv without
 * `verbose`), the format's general message. Null for formats that are not Minflow's.
 */
export function formatErrorMessage(format: string, lang: FormatLang, value?: unknown): string | null {
  if (!isMinflowFormat(format)) return null;
  const pick = (t: LocalizedText) => (lang === 'en' ? t.en : t.zh);
  if (typeof value === 'string') {
    if (format === 'cn-resident-id') {
      const problem = residentIdProblem(value);
      if (problem) return pick(residentIdMessages[problem]);
    } else if (format === 'cn-uscc') {
      const problem = usccProblem(value);
      if (problem) return pick(usccMessages[problem]);
    }
  }
  return pick(formatMessages[format]);
}

/** What `addMinflowFormats` needs of an ajv instance (ajv 8's `addFormat`). */
export interface FormatHost {
  addFormat(name: string, format: { type: 'string'; validate: (value: string) => boolean }): unknown;
}

/** Registers the Minflow formats on an ajv instance (string values only; other types pass, as in JSON Schema). */
export function addMinflowFormats<T extends FormatHost>(ajv: T): T {
  for (const name of MINFLOW_FORMATS) {
    ajv.addFormat(name, { type: 'string', validate: minflowFormatValidators[name] });
  }
  return ajv;
}
