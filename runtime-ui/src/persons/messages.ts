import { useCallback } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import { format } from '../i18n/messages';

/** The person lookup page's strings, zh-CN first; `en` must have the same keys. */
const zh = {
  title: '人员查询',
  intro: '按身份证号码或姓名查询一个人及其家庭成员在各项业务中的全部申请和待遇（仅限本辖区）。',
  byId: '按身份证号码',
  byName: '按姓名',
  idPlaceholder: '18位身份证号码',
  namePlaceholder: '申请人姓名（可只输入姓）',
  idInvalid: '请输入18位身份证号码（最后一位可为X）',
  required: '请输入查询内容',
  search: '查询',
  persons: '人员',
  cases: '业务和待遇',
  applicant: '申请人',
  member: '家庭成员',
  searched: '查询对象',
  caseCount: '{count} 件业务',
  masked: '按您的权限，身份证号码已脱敏显示。',
  none: '本辖区内没有找到相关人员的业务',
  truncated: '结果过多，只显示了一部分，请输入更完整的查询条件。',
  item: '业务事项',
  applicantName: '申请人及家庭成员',
  status: '状态',
  benefit: '待遇',
  granted: '已批准',
  perMonth: '{amount} 元/月',
  from: '自 {month} 起',
  noBenefit: '—',
  createdAt: '申请时间',
  open: '查看',
};
type Key = keyof typeof zh;
const en: Record<Key, string> = {
  title: 'Person lookup',
  intro:
    'Every application and benefit of a person and their household across items, by ID number or name (your jurisdiction only).',
  byId: 'By ID number',
  byName: 'By name',
  idPlaceholder: '18-character resident ID number',
  namePlaceholder: 'Applicant name (the surname alone will do)',
  idInvalid: 'Enter an 18-character ID number (the last may be X)',
  required: 'Enter what to look for',
  search: 'Search',
  persons: 'People',
  cases: 'Applications and benefits',
  applicant: 'Applicant',
  member: 'Household member',
  searched: 'Searched for',
  caseCount: '{count} case(s)',
  masked: 'ID numbers are masked for your role.',
  none: 'No cases of such a person in your jurisdiction',
  truncated: 'Too many results; only some are shown. Make the search more specific.',
  item: 'Item',
  applicantName: 'Applicant and household',
  status: 'Status',
  benefit: 'Benefit',
  granted: 'Granted',
  perMonth: '{amount} yuan/month',
  from: 'from {month}',
  noBenefit: '—',
  createdAt: 'Filed',
  open: 'Open',
};

export function usePersonText() {
  const { lang } = useI18n();
  return useCallback(
    (key: Key, params?: Record<string, string | number>) => format((lang === 'en' ? en : zh)[key], params),
    [lang],
  );
}
