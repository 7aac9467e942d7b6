import { ClockCircleOutlined, ExclamationCircleOutlined } from '@ant-design/icons';
import { Tag } from 'antd';
import dayjs from 'dayjs';
import { useSyncExternalStore } from 'react';
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

// Display names by user id (`GET /api/users/names`): asked for in batches as ids appear on screen, kept for
// the page's life. Any signed-in person gets the names of those who acted on what they may see, even
// outside the users they may list (a village assistant sees which county approver decided).
const names = new Map<string, string | null>();
const queued = new Set<string>();
const listeners = new Set<() => void>();
let version = 0;
let scheduled = false;

function notify() {
  version += 1;
  for (const l of listeners) l();
}

async function flushNames(): Promise<void> {
  scheduled = false;
  const ids = [...queued];
  queued.clear();
  for (let i = 0; i < ids.length; i += 100) {
    const chunk = ids.slice(i, i + 100);
    const q = new URLSearchParams();
    for (const id of chunk) q.append('ids', id);
    try {
      const res = await api.get<{ names: Record<string, string> }>(`/api/users/names?${q}`);
      for (const id of chunk) names.set(id, res.names[id] ?? null);
    } catch {
      for (const id of chunk) names.delete(id); // asked again on the next render
    }
  }
  notify();
}

function wantName(id: string): void {
  if (names.has(id) || queued.has(id)) return;
  names.set(id, null);
  queued.add(id);
  if (!scheduled) {
    scheduled = true;
    setTimeout(() => void flushNames(), 0);
  }
}

/** A person's display name by user id; the account id (without `user-`) until the name arrives or if unknown. */
export function useUserNames(): (id: string | null | undefined) => string {
  const me = useUser();
  useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => version,
  );
  return (id) => {
    if (!id) return '';
    if (id === me.id) return me.displayName;
    if (id === 'system' || id === 'public') return id;
    const name = names.get(id);
    if (name === undefined) wantName(id);
    return name ?? id.replace(/^user-/, '');
  };
}

/** Users for the transfer / delegate / cc pickers (active ones, not the caller). */
export async function pickableUsers(): Promise<UserRow[]> {
  const page = await api.get<Page<UserRow>>('/api/users?limit=200&disabled=false');
  return page.items;
}
