import { useCallback } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import { format } from '../i18n/messages';

/** The attachment widget's strings, zh-CN first; `en` must have the same keys. */
const zh = {
  choose: '选择文件上传',
  hint: '支持 {types}，单个文件不超过 {size}',
  hintAny: '单个文件不超过 {size}',
  uploading: '正在上传 {percent}%',
  done: '上传完成',
  failed: '上传失败',
  retry: '重试',
  remove: '删除',
  download: '下载',
  tooBig: '“{name}”太大（{actual}），单个文件不能超过 {size}',
  wrongType: '“{name}”的文件类型不符合要求，只能上传 {types}',
  tooMany: '最多只能上传 {max} 个文件',
  network: '网络连接失败，请检查网络后点“重试”',
  none: '未上传',
  listTitle: '附件',
  empty: '本案没有附件',
};
type Key = keyof typeof zh;
const en: Record<Key, string> = {
  choose: 'Choose a file to upload',
  hint: '{types}, at most {size} per file',
  hintAny: 'At most {size} per file',
  uploading: 'Uploading {percent}%',
  done: 'Uploaded',
  failed: 'Upload failed',
  retry: 'Retry',
  remove: 'Remove',
  download: 'Download',
  tooBig: '"{name}" is too large ({actual}); one file may be at most {size}',
  wrongType: '"{name}" is not an accepted type; accepted: {types}',
  tooMany: 'At most {max} files',
  network: 'Network connection failed; check it and press "Retry"',
  none: 'None uploaded',
  listTitle: 'Attachments',
  empty: 'This case has no attachments',
};

export function useAttachmentText() {
  const { lang } = useI18n();
  return useCallback(
    (key: Key, params?: Record<string, string | number>) => format((lang === 'en' ? en : zh)[key], params),
    [lang],
  );
}

const TYPE_NAMES: Record<string, string> = {
  'image/jpeg': 'JPG',
  'image/png': 'PNG',
  'application/pdf': 'PDF',
  'image/gif': 'GIF',
  'image/webp': 'WEBP',
};

/** `image/jpeg,application/pdf` → `JPG、PDF` (zh) / `JPG, PDF` (en). */
export function typeNames(types: string[], lang: string): string {
  return types.map((t) => TYPE_NAMES[t] ?? t).join(lang === 'en' ? ', ' : '、');
}

export function fileSize(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}
