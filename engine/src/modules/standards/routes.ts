import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { MinflowError } from '../../errors/registry.js';
import type { SessionUser } from '../../infra/auth/types.js';
import { standardsPlugin } from './handlers.js';
import { FIGURE_KEYS, figuresProperties, type StandardFigures, type StandardsDoc } from './model.js';
import { StandardsService } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Assistance standards per county and year (低保、特困、临时救助、医疗救助 ...). */
    standards: StandardsService;
  }
}

const errorRef = { $ref: 'MinflowError#' } as const;
const errors = { 400: errorRef, 401: errorRef, 403: errorRef, 404: errorRef, 409: errorRef } as const;
const figureKeys = Object.keys(figuresProperties);

const standardsSchema = {
  $id: 'MinflowStandards',
  type: 'object',
  additionalProperties: false,
  // The figures are not required here: a row stored before a figure existed is still shown (with
  // `missingFigures`), so the administrator can read it and PUT it back complete.
  required: ['countyId', 'countyName', 'year', 'version', 'demo', 'note', 'updatedAt', 'updatedBy'],
  properties: {
    countyId: { type: 'string' },
    countyName: { type: 'string' },
    year: { type: 'integer' },
    version: {
      type: 'integer',
      description: 'Send it back with PUT: the write succeeds only if nobody changed the row since',
    },
    demo: { type: 'boolean', description: 'Seeded demo figures, not an official standard' },
    note: { type: ['string', 'null'] },
    updatedAt: { type: 'string', format: 'date-time' },
    updatedBy: { type: 'string' },
    missingFigures: {
      type: 'array',
      items: { enum: figureKeys },
      description:
        'Only on a row stored before these figures existed: load-standards refuses the row (an incident naming them) until a PUT gives every figure',
    },
    ...figuresProperties,
  },
} as const;

const params = {
  type: 'object',
  additionalProperties: false,
  required: ['countyId', 'year'],
  properties: {
    countyId: { type: 'string', minLength: 1, maxLength: 200 },
    year: { type: 'integer', minimum: 2000, maximum: 2100 },
  },
} as const;

const putBody = {
  type: 'object',
  additionalProperties: false,
  required: figureKeys,
  properties: {
    version: {
      type: 'integer',
      minimum: 0,
      description: 'The version read (absent or 0 to create the row for a new year); 409 when stale',
    },
    note: { type: ['string', 'null'], maxLength: 500 },
    ...figuresProperties,
  },
} as const;

function present(doc: StandardsDoc) {
  const { _id, _v, ...rest } = doc;
  const missing = FIGURE_KEYS.filter((k) => doc[k] === undefined || doc[k] === null);
  return { ...rest, version: _v, ...(missing.length ? { missingFigures: missing } : {}) };
}

/** GET /api/standards (any signed-in user), PUT /api/standards/:countyId/:year (city-admin, version-checked, audited). */
async function standardsRoutes(app: FastifyInstance): Promise<void> {
  app.addSchema(standardsSchema);
  const service = new StandardsService({ store: app.store, clock: app.clock, audit: app.audit });
  await service.ensureCollection();
  if (app.config.seedDemo) await service.seedDemo();
  app.decorate('standards', service);
  // The flows reach the standards through service tasks: register the built-in handlers.
  app.handlers.add(standardsPlugin({ store: app.store, standards: service }));

  const tags = ['standards'];
  app.get<{ Querystring: { countyId?: string; year?: number } }>(
    '/standards',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'Assistance standards per county and year (低保、特困、临时救助、医疗救助、灾害救助)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            countyId: { type: 'string', maxLength: 200 },
            year: { type: 'integer', minimum: 2000, maximum: 2100 },
          },
        },
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['items'],
            properties: { items: { type: 'array', items: { $ref: 'MinflowStandards#' } } },
          },
          ...errors,
        },
      },
    },
    async (request) => ({ items: (await service.list(request.query)).map(present) }),
  );

  app.get<{ Params: { countyId: string; year: number } }>(
    '/standards/:countyId/:year',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: "One county's standards for one year",
        params,
        response: { 200: { $ref: 'MinflowStandards#' }, ...errors },
      },
    },
    async (request) => {
      const doc = await service.get(decodeURIComponent(request.params.countyId), request.params.year);
      if (!doc) throw new MinflowError('MINFLOW_ERR_COMMON_NOT_FOUND');
      return present(doc);
    },
  );

  app.put<{
    Params: { countyId: string; year: number };
    Body: StandardFigures & { version?: number; note?: string | null };
  }>(
    '/standards/:countyId/:year',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: "Set a county's standards for a year (city administrators; version-checked, audited)",
        description:
          'The county id is URL-encoded (`baiyin%2Fhuining`). Cases already decided keep the amounts they were decided with.',
        params,
        body: putBody,
        response: { 200: { $ref: 'MinflowStandards#' }, ...errors },
      },
    },
    async (request) => {
      const user = request.user as SessionUser;
      if (!user.roles.includes('city-admin')) {
        throw new MinflowError('MINFLOW_ERR_AUTH_FORBIDDEN', {
          details: [{ path: '', message: 'update Standards' }],
        });
      }
      const countyId = decodeURIComponent(request.params.countyId);
      return present(await service.put(user.id, countyId, request.params.year, request.body));
    },
  );
}

export default fp(standardsRoutes, { name: 'minflow-standards', dependencies: ['minflow-plugins', 'minflow-auth'] });
