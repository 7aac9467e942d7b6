import type { Lang } from './i18n';

/**
 * Levels, item categories, actions and calendars with the names a bureau admin knows them by (`label`
 * in Chinese, `en` in English; `options(list, lang)` gives antd options in the current language). Roles
 * and service-task handlers come from the engine (GET /api/meta/roles, /api/meta/handlers: see meta.ts).
 */
export interface LabelledOption {
  value: string;
  label: string;
  en: string;
}

export const LEVEL_OPTIONS: LabelledOption[] = [
  { value: 'village', label: '村（社区）', en: 'Village (community)' },
  { value: 'township', label: '乡镇（街道）', en: 'Township (sub-district)' },
  { value: 'county', label: '县（区）', en: 'County (district)' },
  { value: 'city', label: '市', en: 'City' },
];

export const CATEGORY_OPTIONS: LabelledOption[] = [
  { value: 'social-assistance', label: '社会救助', en: 'Social assistance' },
  { value: 'special-care', label: '优抚安置', en: 'Special care' },
  { value: 'grassroots-democracy', label: '基层民主', en: 'Grassroots democracy' },
  { value: 'social-welfare', label: '社会福利', en: 'Social welfare' },
  { value: 'social-affairs', label: '社会事务', en: 'Social affairs' },
];

export const ACTION_OPTIONS: LabelledOption[] = [
  { value: 'approve', label: '通过', en: 'Approve' },
  { value: 'reject', label: '不予通过', en: 'Reject' },
  { value: 'return', label: '退回', en: 'Return' },
  { value: 'transfer', label: '转办', en: 'Transfer' },
  { value: 'delegate', label: '委派', en: 'Delegate' },
  { value: 'addSigner', label: '加签', en: 'Add signer' },
  { value: 'cc', label: '抄送', en: 'Carbon copy' },
  { value: 'comment', label: '意见', en: 'Comment' },
];

export const CALENDAR_OPTIONS: LabelledOption[] = [
  { value: 'workdays', label: '工作日', en: 'Working days' },
  { value: 'days', label: '自然日', en: 'Calendar days' },
];

/** The options as antd wants them, labelled in `lang`. */
export function options(list: LabelledOption[], lang: Lang): Array<{ value: string; label: string }> {
  return list.map((o) => ({ value: o.value, label: lang === 'en' ? o.en : o.label }));
}

/** One value's label in `lang` (the value itself when unknown). */
export function labelOf(list: LabelledOption[], value: string, lang: Lang): string {
  const o = list.find((x) => x.value === value);
  return o ? (lang === 'en' ? o.en : o.label) : value;
}
