import type { CollectionSpec, StoredDoc } from '../store/port.js';
import type { Level, Role } from './types.js';

/** A node of the jurisdiction tree (collection `org_units`). */
export interface OrgUnitDoc extends StoredDoc {
  name: string;
  level: Level;
  parentId: string | null;
  /** Ids of the ancestors, root first, then the unit itself. */
  path: string[];
  /** Administrative division code (行政区划代码), unique. */
  code: string;
  createdAt: string;
}

/** An account (collection `users`). */
export interface UserDoc extends StoredDoc {
  username: string;
  displayName: string;
  orgUnitId: string;
  /** The unit's `path`: the user is a record of their unit, so jurisdiction rules match on it. */
  orgPath: string[];
  roles: Role[];
  disabled: boolean;
  passwordHash: string;
  passwordChangedAt: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * Sign-in bookkeeping per username (collection `login_state`, `_id` = lower-cased username), kept
 * apart from the user document: see `login-guard.ts`.
 */
export interface LoginStateDoc extends StoredDoc {
  failedLogins: number;
  /** ISO time until which sign-in is refused, or null. */
  lockedUntil: string | null;
  lastFailureAt: string | null;
  lastLoginAt: string | null;
}

/** A signed-in session (collection `sessions`); `_id` is the SHA-256 of the token, never the token. */
export interface SessionDoc extends StoredDoc {
  userId: string;
  createdAt: string;
  lastSeenAt: string;
  /** Sliding idle expiry. */
  idleExpiresAt: string;
  /** Hard limit, whatever the activity. */
  absoluteExpiresAt: string;
  ip: string | null;
  userAgent: string | null;
}

export const ORG_UNITS = 'org_units';
export const USERS = 'users';
export const SESSIONS = 'sessions';
export const LOGIN_STATE = 'login_state';

export const authCollectionSpecs: CollectionSpec[] = [
  {
    name: ORG_UNITS,
    indexes: [
      { name: 'code', fields: { code: 1 }, unique: true },
      { name: 'path', fields: { path: 1 }, multikey: true },
      { name: 'parentId', fields: { parentId: 1 } },
    ],
  },
  {
    name: USERS,
    indexes: [
      { name: 'username', fields: { username: 1 }, unique: true },
      { name: 'orgPath', fields: { orgPath: 1, username: 1 }, multikey: true },
      { name: 'roles', fields: { roles: 1 }, multikey: true },
    ],
  },
  { name: LOGIN_STATE, indexes: [{ name: 'lastFailureAt', fields: { lastFailureAt: 1 } }] },
  {
    name: SESSIONS,
    indexes: [
      { name: 'userId', fields: { userId: 1 } },
      { name: 'idleExpiresAt', fields: { idleExpiresAt: 1 } },
      { name: 'absoluteExpiresAt', fields: { absoluteExpiresAt: 1 } },
    ],
  },
];

/** Levels top-down; a unit's children are one level below it. */
export const CHILD_LEVEL: Record<Level, Level | null> = {
  city: 'county',
  county: 'township',
  township: 'village',
  village: null,
};
