import { isMinflowError } from '../../errors/registry.js';
import type { Clock } from '../clock.js';
import type { DocumentStore, StoredDoc } from '../store/port.js';
import { LOGIN_STATE, type LoginStateDoc } from './model.js';

/**
 * Failed-login counting and lockout, kept per username in `login_state` rather than on the user
 * document, for two reasons:
 * - sign-ins do not bump the user's version, so an administrator editing a user does not get a
 *   409 merely because that user just signed in or mistyped their password;
 * - unknown usernames are counted and locked exactly like real ones, so neither the answer nor
 *   the lockout reveals whether an account exists.
 * Counting is correct under parallel attempts: every change is an insert (unique `_id`) or a
 * version-checked replace, retried on conflict.
 */
export interface LoginGuard {
  /** The end of an active lock, or null. */
  activeLock(username: string): Promise<string | null>;
  /** Counts one failure; returns the lock end when this or an earlier failure locked the account. */
  recordFailure(username: string): Promise<{ lockedUntil: string | null; justLocked: boolean; failedLogins: number }>;
  recordSuccess(username: string): Promise<void>;
  /** Lifts a lock and forgets the failures (password reset). */
  clear(username: string): Promise<void>;
  states(usernames: string[]): Promise<Map<string, LoginStateDoc>>;
  /** Forgets failure records older than a day that hold no active lock (unknown usernames pile up otherwise). */
  sweep(): Promise<number>;
}

export const loginKey = (username: string) => username.trim().toLowerCase();

const RETRYABLE = new Set<string>(['MINFLOW_ERR_STORE_DUPLICATE', 'MINFLOW_ERR_STORE_VERSION_CONFLICT']);
const retryable = (err: unknown) => isMinflowError(err) && RETRYABLE.has(err.code);

export function createLoginGuard(
  store: DocumentStore,
  clock: Clock,
  limits: { maxFailures: number; lockMinutes: number },
): LoginGuard {
  const states = store.collection<LoginStateDoc>(LOGIN_STATE);

  /** Read-modify-write with optimistic concurrency; `change` gets the current doc (or null) and returns the next. */
  async function update(
    id: string,
    change: (current: LoginStateDoc | null) => Omit<LoginStateDoc, '_id' | '_v'> | null,
  ): Promise<LoginStateDoc | null> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const current = await states.get(id);
      const next = change(current);
      if (!next) return current;
      try {
        return current
          ? await states.replace(id, current._v, { _id: id, ...next })
          : await states.insert({ _id: id, ...next });
      } catch (err) {
        if (!retryable(err)) throw err;
      }
    }
    throw new Error('login state: too many concurrent updates');
  }

  const isActive = (until: string | null, now: number) => until !== null && Date.parse(until) > now;

  return {
    async activeLock(username) {
      const state = await states.get(loginKey(username));
      return state && isActive(state.lockedUntil, clock.now().getTime()) ? state.lockedUntil : null;
    },

    async recordFailure(username) {
      let justLocked = false;
      const saved = await update(loginKey(username), (current) => {
        justLocked = false;
        const now = clock.now().getTime();
        if (current && isActive(current.lockedUntil, now)) return null;
        // An expired lock starts a fresh count.
        const failed = (current && !current.lockedUntil ? current.failedLogins : 0) + 1;
        justLocked = limits.maxFailures > 0 && failed >= limits.maxFailures;
        return {
          failedLogins: failed,
          lockedUntil: justLocked ? new Date(now + limits.lockMinutes * 60_000).toISOString() : null,
          lastFailureAt: new Date(now).toISOString(),
          lastLoginAt: current?.lastLoginAt ?? null,
        };
      });
      const now = clock.now().getTime();
      return {
        lockedUntil: saved && isActive(saved.lockedUntil, now) ? saved.lockedUntil : null,
        justLocked,
        failedLogins: saved?.failedLogins ?? 0,
      };
    },

    async recordSuccess(username) {
      await update(loginKey(username), () => ({
        failedLogins: 0,
        lockedUntil: null,
        lastFailureAt: null,
        lastLoginAt: clock.now().toISOString(),
      }));
    },

    async clear(username) {
      await update(loginKey(username), (current) =>
        current ? { ...stripMeta(current), failedLogins: 0, lockedUntil: null, lastFailureAt: null } : null,
      );
    },

    async states(usernames) {
      const keys = [...new Set(usernames.map(loginKey))];
      const map = new Map<string, LoginStateDoc>();
      if (!keys.length) return map;
      const page = await states.find({ _id: { $in: keys } }, { limit: Math.min(1000, keys.length) });
      for (const s of page.items) map.set(s._id, s);
      return map;
    },

    async sweep() {
      const now = clock.now();
      const dayAgo = new Date(now.getTime() - 86_400_000).toISOString();
      return states.deleteMany({
        $and: [
          { lastFailureAt: { $lt: dayAgo } },
          { lastLoginAt: null },
          { $or: [{ lockedUntil: null }, { lockedUntil: { $lt: now.toISOString() } }] },
        ],
      });
    },
  };
}

function stripMeta<T extends StoredDoc>(doc: T): Omit<T, '_id' | '_v'> {
  const { _id, _v, ...rest } = doc;
  return rest;
}
