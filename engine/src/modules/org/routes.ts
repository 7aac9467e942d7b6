import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MinflowError } from '../../errors/registry.js';
import { accessibleFilter, assertCan, can } from '../../infra/auth/ability.js';
import { loginKey } from '../../infra/auth/login-guard.js';
import { CHILD_LEVEL, ORG_UNITS, type OrgUnitDoc, USERS, type UserDoc } from '../../infra/auth/model.js';
import { assertPasswordPolicy, generatePassword, hashPassword } from '../../infra/auth/password.js';
import type { Level, Role } from '../../infra/auth/types.js';
import type { Filter } from '../../infra/store/port.js';
import auditRoutes from './audit-routes.js';
import regionsRoutes from './regions.js';
import {
  errorResponses,
  idSchema,
  levelSchema,
  orgTreeNodeSchema,
  orgUnitSchema,
  pageQuerySchema,
  publicUserSchema,
  roleSchema,
} from './schemas.js';
import {
  assertRolesFitLevel,
  createOrgUnit,
  createUser,
  type PublicOrgUnit,
  requireOrgUnit,
  revokeUserSessions,
  toPublicOrgUnit,
  toPublicUser,
} from './service.js';

const security: Array<Record<string, string[]>> = [{ bearer: [] }, { cookie: [] }];

/** AND of the ability's filter and the caller's own criteria (the ability part is never optional). */
export function withinAbility(abilityFilter: Filter, criteria: Filter): Filter {
  return Object.keys(criteria).length ? { $and: [abilityFilter, criteria] } : abilityFilter;
}

type TreeNode = PublicOrgUnit & { children: TreeNode[] };

/** Builds the visible forest: a unit whose parent is not visible becomes a root of its own. */
export function buildTree(units: PublicOrgUnit[]): TreeNode[] {
  const nodes = new Map<string, TreeNode>(units.map((u) => [u.id, { ...u, children: [] }]));
  const roots: TreeNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

function requireUser(request: FastifyRequest) {
  if (!request.user) throw new MinflowError('MINFLOW_ERR_AUTH_UNAUTHENTICATED');
  return request.user;
}

/**
 * Org units and users (city-admin manages; others read within their jurisdiction), every change
 * audited; plus the audit-log routes.
 */
export default async function orgRoutes(app: FastifyInstance): Promise<void> {
  const orgUnits = app.store.collection<OrgUnitDoc>(ORG_UNITS);
  const users = app.store.collection<UserDoc>(USERS);
  app.addSchema(orgTreeNodeSchema);

  // ---------------------------------------------------------------- org units
  app.get(
    '/org-units',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['org'],
        summary: 'Org units the caller may see: a list (paginated) or the whole visible tree',
        security,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            format: { type: 'string', enum: ['list', 'tree'], default: 'list' },
            parentId: idSchema,
            level: levelSchema,
            ...pageQuerySchema,
          },
        },
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['items', 'nextCursor'],
            properties: {
              items: { type: 'array', items: orgUnitSchema },
              tree: { type: 'array', items: { $ref: 'MinflowOrgTreeNode#' } },
              nextCursor: { type: ['string', 'null'] },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const q = request.query as {
        format: 'list' | 'tree';
        parentId?: string;
        level?: Level;
        cursor?: string;
        limit: number;
      };
      const criteria: Filter = {};
      if (q.parentId) criteria.parentId = q.parentId;
      if (q.level) criteria.level = q.level;
      const filter = withinAbility(accessibleFilter(request.ability, 'read', 'OrgUnit'), criteria);
      if (q.format === 'tree') {
        const all: PublicOrgUnit[] = [];
        let cursor: string | null = null;
        do {
          const page = await orgUnits.find(filter, { sort: { code: 1 }, limit: 1000, cursor });
          all.push(...page.items.map(toPublicOrgUnit));
          cursor = page.nextCursor;
        } while (cursor && all.length < 50_000);
        return { items: all, tree: buildTree(all), nextCursor: null };
      }
      const page = await orgUnits.find(filter, { sort: { code: 1 }, limit: q.limit, cursor: q.cursor ?? null });
      return { items: page.items.map(toPublicOrgUnit), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/org-units/:id',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['org'],
        summary: 'One org unit (404 outside the caller’s jurisdiction)',
        security,
        params: { type: 'object', additionalProperties: false, required: ['id'], properties: { id: idSchema } },
        response: { 200: orgUnitSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const unit = await orgUnits.get(id);
      if (!unit) throw new MinflowError('MINFLOW_ERR_COMMON_NOT_FOUND');
      assertCan(request, 'read', 'OrgUnit', unit);
      return toPublicOrgUnit(unit);
    },
  );

  app.post(
    '/org-units',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['org'],
        summary: 'Create an org unit one level below an existing one (city-admin)',
        security,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['parentId', 'slug', 'name', 'code'],
          properties: {
            parentId: idSchema,
            slug: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,39}$', description: 'Last segment of the id' },
            name: { type: 'string', minLength: 1, maxLength: 60 },
            code: { type: 'string', pattern: '^[0-9]{6,12}$', description: 'Administrative division code' },
            level: levelSchema,
          },
        },
        response: { 201: orgUnitSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = requireUser(request);
      const body = request.body as { parentId: string; slug: string; name: string; code: string; level?: Level };
      assertCan(request, 'create', 'OrgUnit');
      const parent = await orgUnits.get(body.parentId);
      // A parent outside the jurisdiction is reported exactly like a missing one.
      if (!parent || !can(request.ability, 'read', 'OrgUnit', parent)) {
        throw new MinflowError('MINFLOW_ERR_AUTH_ORG_UNIT_NOT_FOUND', {
          params: { id: body.parentId },
          details: [{ path: '/parentId', message: body.parentId }],
        });
      }
      const level = body.level ?? CHILD_LEVEL[parent.level] ?? 'village';
      const id = `${parent._id}/${body.slug}`;
      if (!can(request.ability, 'create', 'OrgUnit', { _id: id, path: [...parent.path, id], level })) {
        throw new MinflowError('MINFLOW_ERR_AUTH_FORBIDDEN', { details: [{ path: '/parentId', message: parent._id }] });
      }
      const unit = await createOrgUnit(app.store, app.clock, {
        id,
        name: body.name,
        code: body.code,
        parentId: parent._id,
        level,
      });
      await app.audit.record({
        actorId: user.id,
        action: 'org-unit.create',
        subjectType: 'OrgUnit',
        subjectId: unit._id,
        orgPath: unit.path,
        after: toPublicOrgUnit(unit),
        meta: { requestId: request.id },
      });
      return reply.status(201).send(toPublicOrgUnit(unit));
    },
  );

  // ---------------------------------------------------------------- users
  app.get(
    '/users',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['users'],
        summary: 'Users the caller may see, by username; cursor pagination',
        security,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            orgUnitId: { ...idSchema, description: 'That unit and everything below it' },
            role: roleSchema,
            disabled: { type: 'boolean' },
            q: { type: 'string', pattern: '^[a-z0-9_]{1,32}$', description: 'Username prefix' },
            ...pageQuerySchema,
          },
        },
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['items', 'nextCursor'],
            properties: { items: { type: 'array', items: publicUserSchema }, nextCursor: { type: ['string', 'null'] } },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const q = request.query as {
        orgUnitId?: string;
        role?: Role;
        disabled?: boolean;
        q?: string;
        cursor?: string;
        limit: number;
      };
      const criteria: Filter = {};
      if (q.orgUnitId) criteria.orgPath = q.orgUnitId;
      if (q.role) criteria.roles = q.role;
      if (q.disabled !== undefined) criteria.disabled = q.disabled;
      if (q.q) criteria.username = { $regex: `^${q.q}` };
      const filter = withinAbility(accessibleFilter(request.ability, 'read', 'User'), criteria);
      const page = await users.find(filter, { sort: { username: 1 }, limit: q.limit, cursor: q.cursor ?? null });
      const states = await app.loginGuard.states(page.items.map((u) => u.username));
      return {
        items: page.items.map((u) => toPublicUser(u, states.get(loginKey(u.username)))),
        nextCursor: page.nextCursor,
      };
    },
  );

  const userParams = {
    type: 'object',
    additionalProperties: false,
    required: ['id'],
    properties: { id: idSchema },
  } as const;

  app.get(
    '/users/:id',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['users'],
        summary: 'One user (404 outside the caller’s jurisdiction)',
        security,
        params: userParams,
        response: { 200: publicUserSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = await users.get((request.params as { id: string }).id);
      if (!user) throw new MinflowError('MINFLOW_ERR_COMMON_NOT_FOUND');
      assertCan(request, 'read', 'User', user);
      return toPublicUser(user, (await app.loginGuard.states([user.username])).get(loginKey(user.username)));
    },
  );

  /** The target unit must exist and be visible to the caller (otherwise: "no such unit"). */
  async function visibleUnit(request: FastifyRequest, id: string): Promise<OrgUnitDoc> {
    const unit = await orgUnits.get(id);
    if (!unit || !can(request.ability, 'read', 'OrgUnit', unit)) {
      throw new MinflowError('MINFLOW_ERR_AUTH_ORG_UNIT_NOT_FOUND', {
        params: { id },
        details: [{ path: '/orgUnitId', message: id }],
      });
    }
    return unit;
  }

  app.post(
    '/users',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['users'],
        summary: 'Create a user in a unit with roles (city-admin); a generated password is returned once',
        security,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['username', 'displayName', 'orgUnitId', 'roles'],
          properties: {
            username: { type: 'string', pattern: '^[a-z][a-z0-9_.-]{2,31}$' },
            displayName: { type: 'string', minLength: 1, maxLength: 60 },
            orgUnitId: idSchema,
            roles: { type: 'array', items: roleSchema, minItems: 1, maxItems: 6, uniqueItems: true },
            password: { type: 'string', minLength: 10, maxLength: 256 },
          },
        },
        response: {
          201: {
            type: 'object',
            additionalProperties: false,
            required: ['user'],
            properties: {
              user: publicUserSchema,
              initialPassword: { type: 'string', description: 'Only when generated; shown this once' },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const actor = requireUser(request);
      const body = request.body as {
        username: string;
        displayName: string;
        orgUnitId: string;
        roles: Role[];
        password?: string;
      };
      assertCan(request, 'create', 'User');
      const unit = await visibleUnit(request, body.orgUnitId);
      if (!can(request.ability, 'create', 'User', { orgPath: unit.path, orgUnitId: unit._id, roles: body.roles })) {
        throw new MinflowError('MINFLOW_ERR_AUTH_FORBIDDEN', { details: [{ path: '/orgUnitId', message: unit._id }] });
      }
      if (body.password) assertPasswordPolicy(body.password);
      const initialPassword = body.password ? undefined : generatePassword();
      const created = await createUser(app.store, app.clock, {
        username: body.username,
        displayName: body.displayName,
        orgUnitId: unit._id,
        roles: body.roles,
        password: body.password ?? (initialPassword as string),
      });
      await app.audit.record({
        actorId: actor.id,
        action: 'user.create',
        subjectType: 'User',
        subjectId: created._id,
        orgPath: created.orgPath,
        after: toPublicUser(created),
        meta: { requestId: request.id },
      });
      return reply.status(201).send({ user: toPublicUser(created), ...(initialPassword ? { initialPassword } : {}) });
    },
  );

  app.patch(
    '/users/:id',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['users'],
        summary: 'Change roles, display name, unit or disabled; `version` must be the one read (409 when stale)',
        security,
        params: userParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['version'],
          minProperties: 2,
          properties: {
            version: { type: 'integer', minimum: 1 },
            displayName: { type: 'string', minLength: 1, maxLength: 60 },
            roles: { type: 'array', items: roleSchema, minItems: 1, maxItems: 6, uniqueItems: true },
            orgUnitId: idSchema,
            disabled: { type: 'boolean' },
          },
        },
        response: { 200: publicUserSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireUser(request);
      const { id } = request.params as { id: string };
      const body = request.body as {
        version: number;
        displayName?: string;
        roles?: Role[];
        orgUnitId?: string;
        disabled?: boolean;
      };
      const current = await users.get(id);
      if (!current) throw new MinflowError('MINFLOW_ERR_COMMON_NOT_FOUND');
      assertCan(request, 'update', 'User', current);
      // Field-level rules (e.g. nobody changes their own roles) come from the rule files.
      for (const field of ['displayName', 'roles', 'orgUnitId', 'disabled'] as const) {
        if (body[field] !== undefined) assertCan(request, 'update', 'User', current, field);
      }
      if (current._v !== body.version) {
        throw new MinflowError('MINFLOW_ERR_COMMON_CONFLICT', {
          details: [{ path: '/version', message: `current version is ${current._v}` }],
        });
      }
      let unit: OrgUnitDoc | null = null;
      if (body.orgUnitId !== undefined && body.orgUnitId !== current.orgUnitId) {
        unit = await visibleUnit(request, body.orgUnitId);
        if (!can(request.ability, 'update', 'User', { ...current, orgUnitId: unit._id, orgPath: unit.path })) {
          throw new MinflowError('MINFLOW_ERR_AUTH_FORBIDDEN', {
            details: [{ path: '/orgUnitId', message: unit._id }],
          });
        }
      }
      const roles = body.roles ? [...new Set(body.roles)] : current.roles;
      const level = (unit ?? (await requireOrgUnit(app.store, current.orgUnitId, '/orgUnitId'))).level;
      if (body.roles || unit) assertRolesFitLevel(roles, level);
      const next: UserDoc = {
        ...current,
        displayName: body.displayName ?? current.displayName,
        roles,
        disabled: body.disabled ?? current.disabled,
        orgUnitId: unit?._id ?? current.orgUnitId,
        orgPath: unit?.path ?? current.orgPath,
        updatedAt: app.clock.now().toISOString(),
      };
      let saved: UserDoc;
      try {
        saved = await users.replace(id, body.version, next);
      } catch (err) {
        if ((err as { status?: number }).status === 409) throw new MinflowError('MINFLOW_ERR_COMMON_CONFLICT');
        throw err;
      }
      if (saved.disabled && !current.disabled) await revokeUserSessions(app.store, id);
      await app.audit.record({
        actorId: actor.id,
        action: saved.disabled && !current.disabled ? 'user.disable' : 'user.update',
        subjectType: 'User',
        subjectId: id,
        orgPath: saved.orgPath,
        before: toPublicUser(current),
        after: toPublicUser(saved),
        meta: { requestId: request.id },
      });
      return toPublicUser(saved, (await app.loginGuard.states([saved.username])).get(loginKey(saved.username)));
    },
  );

  app.post(
    '/users/:id/reset-password',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['users'],
        summary: 'Set a new password (given, or generated and returned once); unlocks and signs the user out',
        security,
        params: userParams,
        body: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: { password: { type: 'string', minLength: 10, maxLength: 256 } },
        },
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['user'],
            properties: { user: publicUserSchema, password: { type: 'string' } },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const actor = requireUser(request);
      const { id } = request.params as { id: string };
      const given = (request.body as { password?: string } | null)?.password;
      if (given) assertPasswordPolicy(given);
      const password = given ?? generatePassword();
      const passwordHash = await hashPassword(password);
      for (let attempt = 0; attempt < 20; attempt++) {
        const current = await users.get(id);
        if (!current) throw new MinflowError('MINFLOW_ERR_COMMON_NOT_FOUND');
        assertCan(request, 'update', 'User', current);
        const now = app.clock.now().toISOString();
        try {
          const saved = await users.replace(id, current._v, {
            ...current,
            passwordHash,
            passwordChangedAt: now,
            updatedAt: now,
          });
          await revokeUserSessions(app.store, id);
          await app.loginGuard.clear(saved.username);
          await app.audit.record({
            actorId: actor.id,
            action: 'user.reset-password',
            subjectType: 'User',
            subjectId: id,
            orgPath: saved.orgPath,
            meta: { requestId: request.id, generated: !given },
          });
          return { user: toPublicUser(saved), ...(given ? {} : { password }) };
        } catch (err) {
          if ((err as { status?: number }).status !== 409) throw err;
        }
      }
      throw new MinflowError('MINFLOW_ERR_COMMON_CONFLICT');
    },
  );

  await app.register(auditRoutes);
  await app.register(regionsRoutes);
}
