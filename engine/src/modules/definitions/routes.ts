import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { accessibleFilter, assertCan } from '../../infra/auth/ability.js';
import type { SessionUser } from '../../infra/auth/types.js';
import { type ItemFile, itemFileSchema } from './exchange.js';
import { importDefinitions } from './import.js';
import type { Category, DefinitionInput } from './model.js';
import {
  catalogEntrySchema,
  createDefinitionBody,
  diffQuery,
  diffSchema,
  draftSchema,
  draftSummarySchema,
  exportQuery,
  importQuery,
  itemQuery,
  itemSchema,
  keyParams,
  pageOf,
  pageQuery,
  publishResponseSchema,
  retireResponseSchema,
  simulateBody,
  simulateQuery,
  simulateResponseSchema,
  updateDefinitionBody,
  validationResultSchema,
  versionSummarySchema,
} from './schemas.js';
import { DefinitionsService } from './service.js';
import type { SimulateInput } from './simulate.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The definitions registry (drafts, publish, published versions, catalog). */
    definitions: DefinitionsService;
  }
}

const errorRef = { $ref: 'MinflowError#' } as const;
const errors = { 400: errorRef, 401: errorRef, 403: errorRef, 404: errorRef, 409: errorRef } as const;

interface PageQuery {
  limit?: number;
  cursor?: string;
  category?: Category;
}
interface KeyParams {
  key: string;
}

function actor(request: FastifyRequest): SessionUser {
  // `authenticate` ran in onRequest and `assertCan` threw for anonymous callers.
  return request.user as SessionUser;
}

/**
 * Definitions registry routes under /api: drafts (`/definitions`), publishing, versions, and the
 * start catalog (`/items`). Registered with fastify-plugin so `app.definitions` is visible to the
 * modules registered after it (cases call `getPublishedVersion` / `validateFormData`). On ready,
 * the folders under `config.definitionsDir` are imported and published (first start).
 */
async function definitionsPlugin(app: FastifyInstance): Promise<void> {
  const service = new DefinitionsService({ store: app.store, clock: app.clock, audit: app.audit });
  await service.ensureCollections();
  app.decorate('definitions', service);

  if (app.config.definitionsDir) {
    const dir = app.config.definitionsDir;
    app.addHook('onReady', async () => {
      await importDefinitions(service, dir, app.log);
    });
  }

  const tags = ['definitions'];

  app.get<{ Querystring: PageQuery }>(
    '/definitions',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'List definition drafts (cursor pagination)',
        querystring: pageQuery,
        response: { 200: pageOf(draftSummarySchema), ...errors },
      },
    },
    async (request) => {
      assertCan(request, 'read', 'Definition');
      return service.list(request.query);
    },
  );

  app.post<{ Body: DefinitionInput }>(
    '/definitions',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'Create a definition draft (409 when the key exists)',
        body: createDefinitionBody,
        response: { 201: draftSchema, ...errors },
      },
    },
    async (request, reply) => {
      assertCan(request, 'create', 'Definition');
      const draft = await service.create(request.body, actor(request).id, request.lang);
      return reply.status(201).send(draft);
    },
  );

  app.get<{ Params: KeyParams }>(
    '/definitions/:key',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'A definition draft with its schemas and BPMN',
        params: keyParams,
        response: { 200: draftSchema, ...errors },
      },
    },
    async (request) => {
      assertCan(request, 'read', 'Definition');
      return service.get(request.params.key);
    },
  );

  app.put<{ Params: KeyParams; Body: Omit<DefinitionInput, 'key'> & { version: number } }>(
    '/definitions/:key',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'Replace a draft; `version` must be the current draft version (409 when stale)',
        params: keyParams,
        body: updateDefinitionBody,
        response: { 200: draftSchema, ...errors },
      },
    },
    async (request) => {
      assertCan(request, 'update', 'Definition');
      const { version, ...content } = request.body;
      return service.update(request.params.key, version, content, actor(request).id, request.lang);
    },
  );

  app.post<{ Params: KeyParams }>(
    '/definitions/:key/validate',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'Run the publish validation on the draft without publishing',
        params: keyParams,
        response: { 200: validationResultSchema, ...errors },
      },
    },
    async (request) => {
      assertCan(request, 'read', 'Definition');
      const problems = await service.validate(request.params.key, request.lang);
      return { valid: problems.length === 0, problems };
    },
  );

  app.post<{ Params: KeyParams; Querystring: { version?: number } }>(
    '/definitions/:key/publish',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary:
          'Validate the draft and publish it as the next immutable version (201); an unchanged draft returns the latest version (200, created: false)',
        description:
          'No body. `?version=N` publishes only if the draft is still at version N (409 otherwise), so the designer publishes exactly what it shows.',
        params: keyParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            version: { type: 'integer', minimum: 1, description: 'Publish only if the draft is still at this version' },
          },
        },
        response: { 200: publishResponseSchema, 201: publishResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      assertCan(request, 'publish', 'Definition');
      const result = await service.publish(request.params.key, actor(request).id, request.lang, {
        expectedVersion: request.query.version,
      });
      return reply.status(result.created ? 201 : 200).send({ ...result.version, created: result.created });
    },
  );

  app.get<{ Params: KeyParams; Querystring: Omit<PageQuery, 'category'> }>(
    '/definitions/:key/versions',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'Published versions of a definition, newest first',
        params: keyParams,
        querystring: {
          ...pageQuery,
          properties: { limit: pageQuery.properties.limit, cursor: pageQuery.properties.cursor },
        },
        response: { 200: pageOf(versionSummarySchema), ...errors },
      },
    },
    async (request) => {
      assertCan(request, 'read', 'Definition');
      return service.listVersions(request.params.key, request.query);
    },
  );

  for (const [verb, retired] of [
    ['retire', true],
    ['unretire', false],
  ] as const) {
    app.post<{ Params: KeyParams }>(
      `/definitions/:key/${verb}`,
      {
        onRequest: app.authenticate,
        schema: {
          tags,
          summary: retired
            ? 'Retire a published item: hidden from the catalog, POST /api/cases refuses it; running cases continue on their version'
            : 'Bring a retired item back into the catalog',
          params: keyParams,
          response: { 200: retireResponseSchema, ...errors },
        },
      },
      async (request) => {
        assertCan(request, 'publish', 'Definition');
        return service.setRetired(request.params.key, retired, actor(request).id);
      },
    );
  }

  app.get<{ Params: KeyParams; Querystring: { from: number | 'draft'; to: number | 'draft' } }>(
    '/definitions/:key/diff',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary:
          'What changed between two versions (or a version and the draft): form fields, task forms, flow elements',
        params: keyParams,
        querystring: diffQuery,
        response: { 200: diffSchema, ...errors },
      },
    },
    async (request) => {
      assertCan(request, 'read', 'Definition');
      const { from, to } = request.query;
      return { from, to, ...(await service.diff(request.params.key, from, to, request.lang)) };
    },
  );

  app.get<{ Params: KeyParams; Querystring: { version: number | 'draft' } }>(
    '/definitions/:key/export',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'The item as one JSON file (format minflow.item/1): the draft or a published version',
        params: keyParams,
        querystring: exportQuery,
        response: { 200: itemFileSchema, ...errors },
      },
    },
    async (request, reply) => {
      assertCan(request, 'read', 'Definition');
      const file = await service.exportItem(request.params.key, request.query.version);
      const suffix = file.version ? `-v${file.version}` : '-draft';
      reply.header('Content-Disposition', `attachment; filename="${file.key}${suffix}.minflow.json"`);
      return file;
    },
  );

  app.post<{ Body: ItemFile; Querystring: { key?: string } }>(
    '/definitions/import',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'Import an item file as a new draft (validated like a publish); 409 when the key is taken',
        description:
          'Never overwrites: when a draft or a published item already has the key, answers 409 MINFLOW_ERR_DEFINITIONS_IMPORT_CONFLICT; send `?key=<new-key>` to import it under another key.',
        querystring: importQuery,
        body: itemFileSchema,
        response: { 201: draftSchema, ...errors },
      },
    },
    async (request, reply) => {
      assertCan(request, 'create', 'Definition');
      const draft = await service.importItem(request.body, actor(request).id, request.lang, request.query.key);
      return reply.status(201).send(draft);
    },
  );

  app.post<{ Params: KeyParams; Body: SimulateInput; Querystring: { version: number | 'draft' } }>(
    '/definitions/:key/simulate',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'Dry-run the flow with sample data in memory (nothing is stored): the path taken and where it stopped',
        params: keyParams,
        querystring: simulateQuery,
        body: simulateBody,
        response: { 200: simulateResponseSchema, ...errors },
      },
    },
    async (request) => {
      assertCan(request, 'update', 'Definition');
      return service.simulate(request.params.key, request.body, {
        version: request.query.version,
        lang: request.lang,
      });
    },
  );

  app.get<{ Querystring: PageQuery }>(
    '/items',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['items'],
        summary: 'The catalog: the latest published version of each item the caller may start',
        querystring: pageQuery,
        response: { 200: pageOf(catalogEntrySchema), ...errors },
      },
    },
    async (request) => {
      const user = actor(request);
      // The ability's conditions (e.g. `startLevels: <the user's level>`) as a store filter, and
      // the level rule itself, so a rule file granting `start` without conditions still cannot
      // offer items to levels outside `startLevels`.
      const filter = { $and: [accessibleFilter(request.ability, 'start', 'Item'), { startLevels: user.level }] };
      return service.catalog(filter, request.query);
    },
  );

  app.get<{ Params: KeyParams; Querystring: { version?: number } }>(
    '/items/:key',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['items'],
        summary: "A published item's schemas and BPMN (the latest version unless `version` is given)",
        params: keyParams,
        querystring: itemQuery,
        response: { 200: itemSchema, ...errors },
      },
    },
    async (request) => {
      const entry = await service.catalogEntry(request.params.key);
      assertCan(request, 'read', 'Item', entry ? { ...entry } : null);
      const published = await service.getPublished(request.params.key, request.query.version);
      return {
        key: published.key,
        name: published.name,
        category: published.category,
        description: published.description,
        startLevels: published.startLevels,
        version: published.version,
        publishedAt: published.publishedAt,
        formSchema: published.formSchema,
        uiSchema: published.uiSchema,
        taskForms: published.taskForms,
        bpmnXml: published.bpmnXml,
        ...(published.computed ? { computed: published.computed } : {}),
      };
    },
  );
}

export default fp(definitionsPlugin, {
  name: 'minflow-definitions',
  dependencies: ['minflow-store', 'minflow-auth'],
});
