import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { MinflowError } from '../../errors/registry.js';
import { bindRevealContext } from '../../permissions/mask.js';
import { loadRoleDefinitions } from '../../permissions/rules.js';
import { seedDemo } from '../../seed/demo.js';
import { auditCollectionSpecs, createAuditLog } from '../audit/log.js';
import { buildAbility } from './ability.js';
import { createLoginGuard, type LoginGuard } from './login-guard.js';
import { authCollectionSpecs, ORG_UNITS, type OrgUnitDoc, type UserDoc } from './model.js';
import { createSessionService, SESSION_COOKIE, type SessionService } from './sessions.js';
import type { SessionUser } from './types.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Session store (login/logout routes; `authenticate` uses it). */
    sessions: SessionService;
    /** Failed-login counting and lockout. */
    loginGuard: LoginGuard;
  }
}

/** The caller's token: `Authorization: Bearer <token>` (API clients) or the session cookie (browsers). */
export function tokenFrom(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    return m ? m[1] : null;
  }
  return request.cookies?.[SESSION_COOKIE] ?? null;
}

export function toSessionUser(user: UserDoc, level: SessionUser['level']): SessionUser {
  return {
    id: user._id,
    username: user.username,
    displayName: user.displayName,
    orgUnitId: user.orgUnitId,
    level,
    orgPath: user.orgPath,
    roles: user.roles,
  };
}

/**
 * Sessions, bearer tokens, `request.user`/`request.ability`, `app.authenticate` and `app.audit`.
 * At start-up it creates the auth and audit collections and, when `config.seedDemo` (never in
 * production), seeds the demo jurisdiction and users into an empty store.
 */
export const authPlugin = fp(
  async (app: FastifyInstance) => {
    // Fail fast on a broken rule file rather than on the first request.
    loadRoleDefinitions();
    for (const spec of [...authCollectionSpecs, ...auditCollectionSpecs]) await app.store.ensureCollection(spec);

    const orgUnits = app.store.collection<OrgUnitDoc>(ORG_UNITS);
    let roots: string[] | null = null;
    app.decorate(
      'audit',
      createAuditLog(app.store, app.clock, {
        // City-wide events (definitions, system jobs) belong to the root units, so city-level auditors see them.
        defaultOrgPath: async () => {
          if (!roots?.length) roots = (await orgUnits.find({ parentId: null }, { limit: 100 })).items.map((u) => u._id);
          return roots;
        },
      }),
    );
    const sessions = createSessionService(app.store, app.clock, app.config.sessionIdleMinutes);
    app.decorate('sessions', sessions);
    app.decorate(
      'loginGuard',
      createLoginGuard(app.store, app.clock, {
        maxFailures: app.config.loginMaxFailures,
        lockMinutes: app.config.loginLockMinutes,
      }),
    );

    const anonymous = buildAbility(null);
    app.decorateRequest('user', null);
    app.decorateRequest('ability', null as never);
    app.addHook('onRequest', async (request) => {
      request.user = null;
      request.ability = anonymous;
    });

    // Unit levels change rarely; cache them briefly so authenticating costs two reads (session, user).
    const levelCache = new Map<string, { level: SessionUser['level']; at: number }>();
    async function unitLevel(id: string): Promise<SessionUser['level'] | null> {
      const hit = levelCache.get(id);
      if (hit && Date.now() - hit.at < 60_000) return hit.level;
      const unit = await orgUnits.get(id);
      if (!unit) return null;
      levelCache.set(id, { level: unit.level, at: Date.now() });
      return unit.level;
    }

    app.decorate('authenticate', async (request: FastifyRequest, _reply: FastifyReply) => {
      const token = tokenFrom(request);
      const resolved = token ? await sessions.resolve(token) : null;
      const level = resolved ? await unitLevel(resolved.user.orgUnitId) : null;
      if (!resolved || !level) throw new MinflowError('MINFLOW_ERR_AUTH_UNAUTHENTICATED');
      request.user = toSessionUser(resolved.user, level);
      request.ability = buildAbility(request.user);
      bindRevealContext(request.user, request.id);
    });

    if (app.config.seedDemo && !app.config.production) {
      await seedDemo(app.store, app.clock, { demoPassword: app.config.demoPassword, log: app.log });
    }
  },
  { name: 'minflow-auth', dependencies: ['minflow-store', 'minflow-config'] },
);
