import { ClockCircleOutlined, ExclamationCircleOutlined } from '@ant-design/icons';
import { Tag } from 'antd';
import dayjs from 'dayjs';
import { api } from '../api/client';
import type { Page, UserRow } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { dueState } from './logic';

export const STATUS_COLOR: Record<string, string> = {
  active: 'processing',
  completed: 'success',
  rejected: 'error',
  withdrawn: 'default',
  terminated: 'default',
};

export function StatusTag({ status }: { status: string }) {
  const { t } = useI18n();
  const key = `status.${status}` as MessageKey;
  return (
    <Tag color={STATUS_COLOR[status]} data-testid="case-status">
      {['active', 'completed', 'rejected', 'withdrawn', 'terminated'].includes(status) ? t(key) : status}
    </Tag>
  );
}

export function fmtTime(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '';
}

/** The deadline as a person reads it: red when overdue, orange within a day, plain otherwise. */
export function DueTag({ dueAt, now }: { dueAt: string | null | undefined; now?: number }) {
  const { t } = useI18n();
  const state = dueState(dueAt, now);
  if (state === 'none') return <span className="mf-muted">{t('inbox.noDue')}</span>;
  const time = dayjs(dueAt!).format('MM-DD HH:mm');
  if (state === 'overdue')
    return (
      <Tag color="error" icon={<ExclamationCircleOutlined />} data-testid="due-overdue">
        {t('inbox.overdue')} · {time}
      </Tag>
    );
  if (state === 'soon')
    return (
      <Tag color="warning" icon={<ClockCircleOutlined />} data-testid="due-soon">
        {t('inbox.dueSoon')} · {time}
      </Tag>
    );
  return <span data-testid="due-ok">{t('inbox.dueAt', { time })}</span>;
}

// Display names by user id: placeholder while loading, 未知用户 when unknown, never the raw id (names.ts).
export { useUserNames } from './names';

/** Users for the transfer / delegate / cc pickers (active ones, not the caller). */
export async function pickableUsers(): Promise<UserRow[]> {
  const page = await api.get<Page<UserRow>>('/api/users?limit=200&disabled=false');
  return page.items;
}
