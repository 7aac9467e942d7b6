import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MinflowError } from '../../errors/registry.js';
import { packAbilityRules } from '../../infra/auth/ability.js';
import { ORG_UNITS, type OrgUnitDoc, SESSIONS, USERS, type UserDoc } from '../../infra/auth/model.js';
import {
  assertPasswordPolicy,
  hashPassword,
  needsRehash,
  verifyAgainstDummy,
  verifyPassword,
} from '../../infra/auth/password.js';
import { tokenFrom, toSessionUser } from '../../infra/auth/plugin.js';
import { hashToken, SESSION_COOKIE } from '../../infra/auth/sessions.js';
import { loadRoleDefinitions } from '../../permissions/rules.js';
import { levelSchema, pathEntrySchema, roleSchema, sessionUserSchema } from '../org/schemas.js';
import { isVersionConflict, pathWithNames } from '../org/service.js';

/** `2026-01-05 09:15 (UTC+8)`: lock-out times are shown in Beijing time, the users' time. */
export function formatBeijingTime(iso: string): string {
  const d = new Date(Date.parse(iso) + 8 * 3_600_000);
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} (UTC+8)`;
}

const loginResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['token', 'user', 'expiresAt', 'absoluteExpiresAt'],
  properties: {
    token: { type: 'string', description: 'Send as `Authorization: Bearer <token>`; browsers use the cookie instead' },
    user: sessionUserSchema,
    expiresAt: { type: 'string', format: 'date-time', description: 'Idle expiry (slides with activity)' },
    absoluteExpiresAt: { type: 'string', format: 'date-time' },
  },
} as const;

const meResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['user', 'orgUnit', 'roles', 'rules'],
  properties: {
    user: sessionUserSchema,
    orgUnit: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'name', 'level', 'code', 'path'],
      properties: {
        id: { type: 'string' },
        name: { type: 'string' },
        level: levelSchema,
        code: { type: 'string' },
        path: { type: 'array', items: pathEntrySchema },
      },
    },
    roles: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['role', 'name'],
        properties: {
          role: roleSchema,
          name: {
            type: 'object',
            additionalProperties: false,
            required: ['zh', 'en'],
            properties: { zh: { type: 'string' }, en: { type: 'string' } },
          },
        },
      },
    },
    rules: {
      type: 'array',
      description: 'CASL rules packed with `packRules`; unpack with `unpackRules` from @casl/ability/extra',
      items: { type: 'array', items: {} },
    },
  },
} as const;

const errorRef = { $ref: 'MinflowError#' } as const;

export default async function authRoutes(app: FastifyInstance): Promise<void> {
  const users = app.store.collection<UserDoc>(USERS);
  const orgUnits = app.store.collection<OrgUnitDoc>(ORG_UNITS);
  let lastSweep = 0;

  /** Re-hashes with the current scrypt parameters after a successful sign-in with an older hash. */
  async function upgradeHash(user: UserDoc, password: string): Promise<void> {
    if (!needsRehash(user.passwordHash)) return;
    const passwordHash = await hashPassword(password);
    try {
      await users.replace(user._id, user._v, { ...user, passwordHash });
    } catch (err) {
      // Changed meanwhile (e.g. by an admin): keep it, the next sign-in upgrades.
      if (!isVersionConflict(err)) throw err;
    }
  }

  const locked = (until: string) =>
    new MinflowError('MINFLOW_ERR_AUTH_ACCOUNT_LOCKED', {
      params: { until: formatBeijingTime(until) },
      details: [{ path: '/lockedUntil', message: until }],
    });

  app.post(
    '/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in: sets the HTTP-only session cookie and returns a bearer token',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['username', 'password'],
          properties: {
            username: { type: 'string', minLength: 1, maxLength: 64 },
            password: { type: 'string', minLength: 1, maxLength: 256 },
          },
        },
        response: { 200: loginResponse, 400: errorRef, 401: errorRef, 403: errorRef, 423: errorRef },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body as { username: string; password: string };
      // Unknown usernames go through the same steps (lock check, hashing, failure count) as real
      // ones, so neither the answer, its timing nor the lockout tells whether an account exists.
      const activeLock = await app.loginGuard.activeLock(username);
      if (activeLock) throw locked(activeLock);
      const user = await users.findOne({ username: username.trim() });
      let valid = false;
      if (user) valid = await verifyPassword(password, user.passwordHash);
      else await verifyAgainstDummy(password);
      if (!user || !valid) {
        const failure = await app.loginGuard.recordFailure(username);
        if (failure.justLocked && user) {
          await app.audit.record({
            actorId: 'system',
            action: 'user.lock',
            subjectType: 'User',
            subjectId: user._id,
            orgPath: user.orgPath,
            after: { failedLogins: failure.failedLogins, lockedUntil: failure.lockedUntil },
            meta: { ip: request.ip, requestId: request.id },
          });
        }
        if (failure.lockedUntil) throw locked(failure.lockedUntil);
        throw new MinflowError('MINFLOW_ERR_AUTH_INVALID_CREDENTIALS');
      }
      if (user.disabled) throw new MinflowError('MINFLOW_ERR_AUTH_ACCOUNT_DISABLED');
      const unit = await orgUnits.get(user.orgUnitId);
      if (!unit) throw new MinflowError('MINFLOW_ERR_AUTH_INVALID_CREDENTIALS');

      await app.loginGuard.recordSuccess(username);
      await upgradeHash(user, password);
      const saved = user;
      const now = app.clock.now();
      const { token, session } = await app.sessions.create(saved._id, {
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
      });
      if (now.getTime() - lastSweep > 10 * 60_000) {
        lastSweep = now.getTime();
        await app.sessions.sweep();
        await app.loginGuard.sweep();
      }
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: request.protocol === 'https',
        path: '/',
      });
      await app.audit.record({
        actorId: saved._id,
        action: 'auth.login',
        subjectType: 'User',
        subjectId: saved._id,
        orgPath: saved.orgPath,
        meta: { ip: request.ip, requestId: request.id },
      });
      return {
        token,
        user: toSessionUser(saved, unit.level),
        expiresAt: session.idleExpiresAt,
        absoluteExpiresAt: session.absoluteExpiresAt,
      };
    },
  );

  app.post(
    '/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign out: the session token stops working at once',
        response: { 204: { type: 'null' } },
      },
    },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const token = tokenFrom(request);
      if (token) {
        const resolved = await app.sessions.resolve(token);
        await app.sessions.revoke(token);
        if (resolved) {
          await app.audit.record({
            actorId: resolved.user._id,
            action: 'auth.logout',
            subjectType: 'User',
            subjectId: resolved.user._id,
            orgPath: resolved.user.orgPath,
            meta: { requestId: request.id },
          });
        }
      }
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  const roleDefs = loadRoleDefinitions();
  app.get(
    '/me',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user, their org unit with its path, roles and the CASL rules for the UI',
        security: [{ bearer: [] }, { cookie: [] }] as Array<Record<string, string[]>>,
        response: { 200: meResponse, 401: errorRef },
      },
    },
    async (request) => {
      const user = request.user;
      if (!user) throw new MinflowError('MINFLOW_ERR_AUTH_UNAUTHENTICATED');
      const unit = await orgUnits.get(user.orgUnitId);
      if (!unit) throw new MinflowError('MINFLOW_ERR_AUTH_UNAUTHENTICATED');
      return {
        user,
        orgUnit: {
          id: unit._id,
          name: unit.name,
          level: unit.level,
          code: unit.code,
          path: await pathWithNames(app.store, unit),
        },
        roles: user.roles.map((role) => ({ role, name: roleDefs.get(role)?.name ?? { zh: role, en: role } })),
        rules: packAbilityRules(request.ability),
      };
    },
  );

  app.post(
    '/password',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['auth'],
        summary: 'Change one’s own password; other sessions of the user end, this one stays',
        security: [{ bearer: [] }, { cookie: [] }] as Array<Record<string, string[]>>,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['currentPassword', 'newPassword'],
          properties: {
            currentPassword: { type: 'string', minLength: 1, maxLength: 256 },
            newPassword: { type: 'string', minLength: 10, maxLength: 256 },
          },
        },
        response: { 204: { type: 'null' }, 400: errorRef, 401: errorRef, 409: errorRef, 423: errorRef },
      },
    },
    async (request, reply) => {
      const me = request.user;
      if (!me) throw new MinflowError('MINFLOW_ERR_AUTH_UNAUTHENTICATED');
      const { currentPassword, newPassword } = request.body as { currentPassword: string; newPassword: string };
      const activeLock = await app.loginGuard.activeLock(me.username);
      if (activeLock) throw locked(activeLock);
      const user = await users.get(me.id);
      if (!user) throw new MinflowError('MINFLOW_ERR_AUTH_UNAUTHENTICATED');
      if (!(await verifyPassword(currentPassword, user.passwordHash))) {
        // Counted like a failed sign-in, so a stolen session cannot be used to guess the password.
        const failure = await app.loginGuard.recordFailure(me.username);
        if (failure.lockedUntil) throw locked(failure.lockedUntil);
        throw new MinflowError('MINFLOW_ERR_AUTH_CURRENT_PASSWORD_WRONG', {
          details: [{ path: '/currentPassword', message: 'wrong' }],
        });
      }
      try {
        assertPasswordPolicy(newPassword);
      } catch (err) {
        throw new MinflowError('MINFLOW_ERR_AUTH_PASSWORD_WEAK', {
          details: [{ path: '/newPassword', message: 'weak password' }],
          cause: err,
        });
      }
      const now = app.clock.now().toISOString();
      const passwordHash = await hashPassword(newPassword);
      try {
        await users.replace(user._id, user._v, { ...user, passwordHash, passwordChangedAt: now, updatedAt: now });
      } catch (err) {
        if (isVersionConflict(err)) throw new MinflowError('MINFLOW_ERR_COMMON_CONFLICT');
        throw err;
      }
      const token = tokenFrom(request) as string;
      await app.store.collection(SESSIONS).deleteMany({ userId: user._id, _id: { $ne: hashToken(token) } });
      await app.loginGuard.recordSuccess(me.username);
      await app.audit.record({
        actorId: user._id,
        action: 'user.change-password',
        subjectType: 'User',
        subjectId: user._id,
        orgPath: user.orgPath,
        meta: { requestId: request.id },
      });
      return reply.status(204).send();
    },
  );
}
