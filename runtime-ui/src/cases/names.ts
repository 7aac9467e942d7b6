import { useCallback, useSyncExternalStore } from 'react';
import { api } from '../api/client';
import { useUser } from '../auth/AuthProvider';
import { useI18n } from '../i18n/I18nProvider';
import type { Lang } from '../i18n/messages';

// Display names by user id (`GET /api/users/names`): asked for in batches as ids appear on screen, kept for
// the page's life. Any signed-in person gets the names of those who acted on what they may see, even
// outside the users they may list (a village assistant sees which county approver decided).
//
// An account id is never shown in place of a name: until the name has arrived a neutral placeholder (…) is,
// and an id the engine does not know (a removed account) reads 未知用户 / Unknown user.

/** What stands in for a name not known yet: the same width in every language, and no id in it. */
export const NAME_PENDING = '…';

const TEXT: Record<Lang, { unknown: string; system: string; public: string }> = {
  'zh-CN': { unknown: '未知用户', system: '系统', public: '公众' },
  en: { unknown: 'Unknown user', system: 'System', public: 'The public' },
};

/** A name, or `null`: asked and the engine knows no such user. Absent: not asked yet or on its way. */
const names = new Map<string, string | null>();
const inFlight = new Set<string>();
const queued = new Set<string>();
const listeners = new Set<() => void>();
let version = 0;
let scheduled = false;
const RETRY_MS = 5_000;

function notify() {
  version += 1;
  for (const l of listeners) l();
}

function subscribe(l: () => void) {
  listeners.add(l);
  return () => {
    listeners.delete(l);
  };
}

const snapshot = () => version;

async function flushNames(): Promise<void> {
  scheduled = false;
  const ids = [...queued];
  queued.clear();
  let failed = false;
  for (let i = 0; i < ids.length; i += 100) {
    const chunk = ids.slice(i, i + 100);
    const q = new URLSearchParams();
    for (const id of chunk) q.append('ids', id);
    try {
      const res = await api.get<{ names: Record<string, string> }>(`/api/users/names?${q}`);
      for (const id of chunk) names.set(id, res.names[id] ?? null);
    } catch {
      failed = true; // still pending (the placeholder stays); asked again below
    } finally {
      for (const id of chunk) inFlight.delete(id);
    }
  }
  notify();
  // A failed request (offline for a moment): the components re-render later and ask again.
  if (failed) setTimeout(notify, RETRY_MS);
}

function wantName(id: string): void {
  if (names.has(id) || inFlight.has(id)) return;
  inFlight.add(id);
  queued.add(id);
  if (!scheduled) {
    scheduled = true;
    setTimeout(() => void flushNames(), 0);
  }
}

/**
 * A person's display name by user id: `…` while it is on its way, 未知用户 / "Unknown user" when the engine
 * knows no such account; never the id itself.
 */
export function useUserNames(): (id: string | null | undefined) => string {
  const me = useUser();
  const { lang } = useI18n();
  const v = useSyncExternalStore(subscribe, snapshot);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `v` changes when names arrive, so callers re-read them
  return useCallback(
    (id) => {
      if (!id) return '';
      if (id === me.id) return me.displayName;
      const text = TEXT[lang] ?? TEXT['zh-CN'];
      if (id === 'system') return text.system;
      if (id === 'public') return text.public;
      const name = names.get(id);
      if (name === undefined) {
        wantName(id);
        return NAME_PENDING;
      }
      return name ?? text.unknown;
    },
    [me.id, me.displayName, lang, v],
  );
}
