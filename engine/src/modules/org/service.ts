import { randomUUID } from 'node:crypto';
import { isMinflowError, MinflowError } from '../../errors/registry.js';
import {
  CHILD_LEVEL,
  type LoginStateDoc,
  ORG_UNITS,
  type OrgUnitDoc,
  SESSIONS,
  type SessionDoc,
  USERS,
  type UserDoc,
} from '../../infra/auth/model.js';
import { hashPassword } from '../../infra/auth/password.js';
import type { Level, Role } from '../../infra/auth/types.js';
import type { Clock } from '../../infra/clock.js';
import type { DocumentStore } from '../../infra/store/port.js';
import { roleLevels } from '../../permissions/rules.js';
import { invalidateRegions } from './regions.js';

/** A user as the API shows it: never the password hash or the lockout counters' internals. */
export interface PublicUser {
  id: string;
  username: string;
  displayName: string;
  orgUnitId: string;
  orgPath: string[];
  roles: Role[];
  disabled: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** `state` is the user's sign-in bookkeeping (login guard), when known. */
export function toPublicUser(doc: UserDoc, state?: LoginStateDoc | null): PublicUser {
  return {
    id: doc._id,
    username: doc.username,
    displayName: doc.displayName,
    orgUnitId: doc.orgUnitId,
    orgPath: doc.orgPath,
    roles: doc.roles,
    disabled: doc.disabled,
    lockedUntil: state?.lockedUntil ?? null,
    lastLoginAt: state?.lastLoginAt ?? null,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    version: doc._v,
  };
}

export interface PublicOrgUnit {
  id: string;
  name: string;
  level: Level;
  parentId: string | null;
  path: string[];
  code: string;
  version: number;
}

export function toPublicOrgUnit(doc: OrgUnitDoc): PublicOrgUnit {
  return {
    id: doc._id,
    name: doc.name,
    level: doc.level,
    parentId: doc.parentId,
    path: doc.path,
    code: doc.code,
    version: doc._v,
  };
}

/** Level names for zh-CN messages. */
export const LEVEL_ZH: Record<Level, string> = {
  city: '市',
  county: '县（区）',
  township: '乡镇（街道）',
  village: '村（社区）',
};

export const isDuplicate = (err: unknown) =>
  isMinflowError(err) && (err.code as string) === 'MINFLOW_ERR_STORE_DUPLICATE';
export const isVersionConflict = (err: unknown) =>
  isMinflowError(err) && (err.code as string) === 'MINFLOW_ERR_STORE_VERSION_CONFLICT';

export async function requireOrgUnit(store: DocumentStore, id: string, pointer: string): Promise<OrgUnitDoc> {
  const unit = await store.collection<OrgUnitDoc>(ORG_UNITS).get(id);
  if (!unit) {
    throw new MinflowError('MINFLOW_ERR_AUTH_ORG_UNIT_NOT_FOUND', {
      params: { id },
      details: [{ path: pointer, message: id }],
    });
  }
  return unit;
}

export interface NewOrgUnit {
  /** Full id; by default `<parentId>/<slug>`. */
  id: string;
  name: string;
  code: string;
  parentId: string | null;
  level: Level;
}

/** Inserts a unit below an existing parent (one level down), or a root city when parentId is null. */
export async function createOrgUnit(store: DocumentStore, clock: Clock, input: NewOrgUnit): Promise<OrgUnitDoc> {
  let path: string[];
  if (input.parentId) {
    const parent = await requireOrgUnit(store, input.parentId, '/parentId');
    const expected = CHILD_LEVEL[parent.level];
    if (expected !== input.level) {
      throw new MinflowError('MINFLOW_ERR_AUTH_ORG_UNIT_LEVEL_INVALID', {
        params: { parentLevel: parent.level, expected: expected ?? '-' },
        details: [{ path: '/level', message: `expected ${expected ?? 'none'}` }],
      });
    }
    path = [...parent.path, input.id];
  } else {
    if (input.level !== 'city') {
      throw new MinflowError('MINFLOW_ERR_AUTH_ORG_UNIT_LEVEL_INVALID', {
        params: { parentLevel: '-', expected: 'city' },
        details: [{ path: '/level', message: 'a root unit is a city' }],
      });
    }
    path = [input.id];
  }
  try {
    const unit = await store.collection<OrgUnitDoc>(ORG_UNITS).insert({
      _id: input.id,
      name: input.name,
      level: input.level,
      parentId: input.parentId,
      path,
      code: input.code,
      createdAt: clock.now().toISOString(),
    });
    invalidateRegions(store);
    return unit;
  } catch (err) {
    if (isDuplicate(err)) {
      throw new MinflowError('MINFLOW_ERR_AUTH_ORG_UNIT_EXISTS', {
        params: { id: `${input.id} / ${input.code}` },
        details: [{ path: '/code', message: input.code }],
      });
    }
    throw err;
  }
}

/** Every role must be allowed at the unit's level (declared in its rule file). */
export function assertRolesFitLevel(roles: Role[], level: Level): void {
  for (const [i, role] of roles.entries()) {
    if (!roleLevels(role).includes(level)) {
      throw new MinflowError('MINFLOW_ERR_AUTH_ROLE_LEVEL_MISMATCH', {
        params: { role, level },
        details: [{ path: `/roles/${i}`, message: `${role} @ ${level}` }],
      });
    }
  }
}

export interface NewUser {
  id?: string;
  username: string;
  displayName: string;
  orgUnitId: string;
  roles: Role[];
  password: string;
}

export async function createUser(store: DocumentStore, clock: Clock, input: NewUser): Promise<UserDoc> {
  const unit = await requireOrgUnit(store, input.orgUnitId, '/orgUnitId');
  const roles = [...new Set(input.roles)];
  assertRolesFitLevel(roles, unit.level);
  const now = clock.now().toISOString();
  try {
    return await store.collection<UserDoc>(USERS).insert({
      _id: input.id ?? `user-${randomUUID()}`,
      username: input.username,
      displayName: input.displayName,
      orgUnitId: unit._id,
      orgPath: unit.path,
      roles,
      disabled: false,
      passwordHash: await hashPassword(input.password),
      passwordChangedAt: now,
      createdAt: now,
      updatedAt: now,
    });
  } catch (err) {
    if (isDuplicate(err)) {
      throw new MinflowError('MINFLOW_ERR_AUTH_USERNAME_TAKEN', {
        params: { username: input.username },
        details: [{ path: '/username', message: input.username }],
      });
    }
    throw err;
  }
}

/** Ends every session of a user (disabled, password reset). */
export async function revokeUserSessions(store: DocumentStore, userId: string): Promise<number> {
  return store.collection<SessionDoc>(SESSIONS).deleteMany({ userId });
}

/** The unit and its ancestors as `{ id, name, level }`, root first (for display). */
export async function pathWithNames(
  store: DocumentStore,
  unit: OrgUnitDoc,
): Promise<Array<{ id: string; name: string; level: Level }>> {
  const page = await store.collection<OrgUnitDoc>(ORG_UNITS).find({ _id: { $in: unit.path } }, { limit: 100 });
  const byId = new Map(page.items.map((u) => [u._id, u]));
  return unit.path.map((id) => {
    const u = byId.get(id);
    return { id, name: u?.name ?? id, level: u?.level ?? unit.level };
  });
}
