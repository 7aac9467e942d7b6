import { ClockCircleOutlined, ExclamationCircleOutlined } from '@ant-design/icons';
import { Tag } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { Page, UserRow } from '../api/types';
import { useUser } from '../auth/AuthProvider';
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

let usersPromise: Promise<Map<string, string>> | null = null;

/**
 * Display names of the people the caller may see (`GET /api/users`, filtered by their jurisdiction),
 * loaded once per page load. Someone outside it is shown by account name.
 */
function loadUserNames(): Promise<Map<string, string>> {
  usersPromise ??= api
    .get<Page<UserRow>>('/api/users?limit=200')
    .then((page) => new Map(page.items.map((u) => [u.id, u.displayName])))
    .catch(() => new Map<string, string>());
  return usersPromise;
}

export function useUserNames(): (id: string | null | undefined) => string {
  const me = useUser();
  const [names, setNames] = useState<Map<string, string> | null>(null);
  useEffect(() => {
    let live = true;
    void loadUserNames().then((m) => {
      if (live) setNames(m);
    });
    return () => {
      live = false;
    };
  }, []);
  return (id) => {
    if (!id) return '';
    if (id === me.id) return me.displayName;
    return names?.get(id) ?? id.replace(/^user-/, '');
  };
}

/** Users for the transfer / delegate / cc pickers (active ones, not the caller). */
export async function pickableUsers(): Promise<UserRow[]> {
  const page = await api.get<Page<UserRow>>('/api/users?limit=200&disabled=false');
  return page.items;
}
