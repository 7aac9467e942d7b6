import { useCallback } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import { format } from '../i18n/messages';

/** The address field's strings, zh-CN first; `en` must have the same keys. */
const zh = {
  pick: '请选择{level}',
  search: '可输入名称搜索',
  detail: '详细地址（门牌号、组等）',
  detailPlaceholder: '如：三组12号',
  loading: '正在加载行政区划…',
  failed: '行政区划加载失败',
  retry: '重试',
  none: '未填写',
  county: '县（区）',
  township: '乡镇（街道）',
  village: '村（社区）',
};
type Key = keyof typeof zh;
const en: Record<Key, string> = {
  pick: 'Choose the {level}',
  search: 'Type a name to search',
  detail: 'Street address (house number, group)',
  detailPlaceholder: 'e.g. Group 3, No. 12',
  loading: 'Loading the administrative divisions…',
  failed: 'Could not load the administrative divisions',
  retry: 'Retry',
  none: 'Not filled in',
  county: 'county (district)',
  township: 'township (subdistrict)',
  village: 'village (community)',
};

export function useAddressText() {
  const { lang } = useI18n();
  return useCallback(
    (key: Key, params?: Record<string, string | number>) => format((lang === 'en' ? en : zh)[key], params),
    [lang],
  );
}
