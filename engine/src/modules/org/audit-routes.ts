import type { FastifyInstance } from 'fastify';
import { MinflowError } from '../../errors/registry.js';
import { AUDIT_COLLECTION, type AuditEntry, verifyAuditChain } from '../../infra/audit/log.js';
import { accessibleFilter, assertCan, can } from '../../infra/auth/ability.js';
import { ORG_UNITS, type OrgUnitDoc } from '../../infra/auth/model.js';
import type { Filter } from '../../infra/store/port.js';
import { withinAbility } from './routes.js';
import { errorResponses, pageQuerySchema } from './schemas.js';

const security: Array<Record<string, string[]>> = [{ bearer: [] }, { cookie: [] }];

const auditEntrySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['seq', 'at', 'actorId', 'action', 'subjectType', 'subjectId', 'orgPath', 'prevHash', 'hash'],
  properties: {
    seq: { type: 'integer' },
    at: { type: 'string', format: 'date-time' },
    actorId: { type: 'string' },
    action: { type: 'string' },
    subjectType: { type: 'string' },
    subjectId: { type: 'string' },
    orgPath: { type: 'array', items: { type: 'string' } },
    before: {},
    after: {},
    meta: { type: 'object', additionalProperties: true },
    prevHash: { type: 'string' },
    hash: { type: 'string' },
  },
} as const;

/** Reading the audit log (auditor, city-admin), filtered by the caller's jurisdiction. */
export default async function auditRoutes(app: FastifyInstance): Promise<void> {
  const entries = app.store.collection<AuditEntry>(AUDIT_COLLECTION);

  app.get(
    '/audit',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['audit'],
        summary: 'Audit entries of the caller’s jurisdiction, newest first; cursor pagination',
        security,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            subjectType: { type: 'string', maxLength: 40 },
            subjectId: { type: 'string', maxLength: 200 },
            actorId: { type: 'string', maxLength: 200 },
            action: { type: 'string', maxLength: 80 },
            ...pageQuerySchema,
          },
        },
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['items', 'nextCursor'],
            properties: { items: { type: 'array', items: auditEntrySchema }, nextCursor: { type: ['string', 'null'] } },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      assertCan(request, 'read', 'AuditEntry');
      const q = request.query as Record<string, string | number | undefined>;
      const criteria: Filter = {};
      for (const key of ['subjectType', 'subjectId', 'actorId', 'action'] as const) {
        if (q[key] !== undefined) criteria[key] = q[key];
      }
      const filter = withinAbility(accessibleFilter(request.ability, 'read', 'AuditEntry'), criteria);
      const page = await entries.find(filter, {
        sort: { _id: -1 },
        limit: q.limit as number,
        cursor: (q.cursor as string | undefined) ?? null,
      });
      return { items: page.items, nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/audit/verify',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['audit'],
        summary: 'Checks the whole hash chain (city-level auditors and admins): edited or deleted entries',
        security,
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['ok', 'count', 'headSeq', 'problems'],
            properties: {
              ok: { type: 'boolean' },
              count: { type: 'integer' },
              headSeq: { type: 'integer' },
              problems: {
                type: 'array',
                items: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['seq', 'reason'],
                  properties: { seq: { type: 'integer' }, reason: { type: 'string' } },
                },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      // The whole chain spans every jurisdiction: only those who may read city-wide entries check it.
      const roots = (await app.store.collection<OrgUnitDoc>(ORG_UNITS).find({ parentId: null }, { limit: 100 })).items;
      if (!request.user) throw new MinflowError('MINFLOW_ERR_AUTH_UNAUTHENTICATED');
      if (!roots.some((r) => can(request.ability, 'read', 'AuditEntry', { orgPath: r.path }))) {
        throw new MinflowError('MINFLOW_ERR_AUTH_FORBIDDEN');
      }
      return verifyAuditChain(app.store);
    },
  );
}
