import { createHash, randomBytes } from 'node:crypto';
import { isMinflowError } from '../../errors/registry.js';
import type { Clock } from '../clock.js';
import type { DocumentStore } from '../store/port.js';
import { SESSIONS, type SessionDoc, USERS, type UserDoc } from './model.js';

/** A session ends after this long whatever the activity (the idle timeout is configured). */
export const SESSION_ABSOLUTE_HOURS = 12;
export const SESSION_COOKIE = 'minflow_session';

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface SessionService {
  /** Opens a session; the token is returned once and only its SHA-256 is stored. */
  create(
    userId: string,
    meta: { ip?: string | null; userAgent?: string | null },
  ): Promise<{ token: string; session: SessionDoc }>;
  /** The live session and its (enabled) user, sliding the idle expiry; null when missing, expired or disabled. */
  resolve(token: string): Promise<{ session: SessionDoc; user: UserDoc } | null>;
  revoke(token: string): Promise<void>;
  /** Deletes expired sessions; returns how many. */
  sweep(): Promise<number>;
}

export function createSessionService(store: DocumentStore, clock: Clock, idleMinutes: number): SessionService {
  const sessions = store.collection<SessionDoc>(SESSIONS);
  const users = store.collection<UserDoc>(USERS);
  const idleMs = idleMinutes * 60_000;
  // Sliding the expiry is a write; do it at most once per this interval per session.
  const touchEveryMs = Math.min(60_000, idleMs / 10);

  return {
    async create(userId, meta) {
      const token = randomBytes(32).toString('base64url');
      const now = clock.now();
      const absolute = new Date(now.getTime() + SESSION_ABSOLUTE_HOURS * 3_600_000);
      const idle = new Date(Math.min(now.getTime() + idleMs, absolute.getTime()));
      const session = await sessions.insert({
        _id: hashToken(token),
        userId,
        createdAt: now.toISOString(),
        lastSeenAt: now.toISOString(),
        idleExpiresAt: idle.toISOString(),
        absoluteExpiresAt: absolute.toISOString(),
        ip: meta.ip ?? null,
        userAgent: meta.userAgent?.slice(0, 300) ?? null,
      });
      return { token, session };
    },

    async resolve(token) {
      if (!token || token.length > 200) return null;
      const id = hashToken(token);
      const session = await sessions.get(id);
      if (!session) return null;
      const now = clock.now();
      const nowMs = now.getTime();
      if (nowMs >= Date.parse(session.idleExpiresAt) || nowMs >= Date.parse(session.absoluteExpiresAt)) {
        await sessions.delete(id);
        return null;
      }
      const user = await users.get(session.userId);
      if (!user || user.disabled) {
        await sessions.delete(id);
        return null;
      }
      if (nowMs - Date.parse(session.lastSeenAt) >= touchEveryMs) {
        const idle = Math.min(nowMs + idleMs, Date.parse(session.absoluteExpiresAt));
        const next = { ...session, lastSeenAt: now.toISOString(), idleExpiresAt: new Date(idle).toISOString() };
        try {
          return { session: await sessions.replace(id, session._v, next), user };
        } catch (err) {
          // A parallel request already slid it, or it was logged out meanwhile: neither is an error here.
          if (!isMinflowError(err)) throw err;
        }
      }
      return { session, user };
    },

    async revoke(token) {
      await sessions.delete(hashToken(token));
    },

    async sweep() {
      const now = clock.now().toISOString();
      return sessions.deleteMany({ $or: [{ idleExpiresAt: { $lte: now } }, { absoluteExpiresAt: { $lte: now } }] });
    },
  };
}
