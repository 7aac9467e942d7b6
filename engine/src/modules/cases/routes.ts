import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { assertCan } from '../../infra/auth/ability.js';
import type { SessionUser } from '../../infra/auth/types.js';
import { CASES, type CaseDoc } from './model.js';
import { presentCase } from './present.js';
import {
  casePage,
  caseSchema,
  createCaseBody,
  idempotencyHeaders,
  idParams,
  incidentPage,
  listCasesQuery,
  messageBody,
  messageParams,
  messageResult,
  taskSchema,
  withdrawBody,
} from './schemas.js';
import { type Caller, CaseService } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Cases and their process instances (the tasks module acts through it too). */
    cases: CaseService;
  }
}

const errorRef = { $ref: 'MinflowError#' } as const;
const errors = { 400: errorRef, 401: errorRef, 403: errorRef, 404: errorRef, 409: errorRef } as const;

export function callerOf(request: FastifyRequest): Caller {
  return { user: request.user as SessionUser, ability: request.ability, lang: request.lang };
}

/** Cases API under /api: file an application, list and read cases, messages, withdraw, incidents. */
async function casesPlugin(app: FastifyInstance): Promise<void> {
  app.addSchema(taskSchema);
  app.addSchema(caseSchema);
  const service = new CaseService({
    store: app.store,
    clock: app.clock,
    queue: app.queue,
    handlers: app.handlers,
    audit: app.audit,
    definitions: app.definitions,
    log: app.log,
  });
  await service.ensureCollections();
  service.registerJobHandlers();
  app.decorate('cases', service);
  app.addHook('onReady', async () => {
    // Repairs effects lost to a crash (jobs, timers, inbox rows); in the background so start-up stays fast.
    void service
      .reconcile()
      .then((r) => app.log.info(r, 'cases reconciled'))
      .catch((err) => app.log.error({ err }, 'case reconcile failed'));
  });

  const tags = ['cases'];

  app.post<{ Body: { itemKey: string; data: Record<string, unknown>; orgUnitId?: string } }>(
    '/cases',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'File an application: validates the data against the published form and starts its flow',
        description:
          'Send an `Idempotency-Key` header: the same key again (same user, same body) returns the same case with 200, never a second one.',
        headers: idempotencyHeaders,
        body: createCaseBody,
        response: { 200: { $ref: 'MinflowCase#' }, 201: { $ref: 'MinflowCase#' }, ...errors },
      },
    },
    async (request, reply) => {
      assertCan(request, 'create', 'Case');
      const key = (request.headers['idempotency-key'] as string | undefined) ?? null;
      const caller = callerOf(request);
      // Referenced uploads must be the submitter's own, not yet another case's (an idempotent replay's case is fine).
      const attachments = await app.attachments.checkReferences(caller, request.body.data, async (caseId) => {
        const existing = key ? await app.store.collection<CaseDoc>(CASES).get(caseId) : null;
        return existing?.idempotency?.userId === caller.user.id && existing.idempotency.key === key;
      });
      const { doc, created } = await service.create(caller, request.body, key);
      await app.attachments.linkToCase(caller.user.id, doc, attachments);
      return reply.status(created ? 201 : 200).send(await presentCase(request, doc, false));
    },
  );

  app.get<{ Querystring: Parameters<CaseService['list']>[1] }>(
    '/cases',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'Cases in the caller’s jurisdiction (filters, newest first, cursor pagination)',
        querystring: listCasesQuery,
        response: { 200: casePage, ...errors },
      },
    },
    async (request) => {
      assertCan(request, 'read', 'Case');
      const page = await service.list(callerOf(request), request.query);
      return {
        items: await Promise.all(page.items.map((d) => presentCase(request, d, false))),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/cases/:id',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'A case: data, status, open tasks, history timeline and incidents',
        params: idParams,
        response: { 200: { $ref: 'MinflowCase#' }, ...errors },
      },
    },
    async (request) => presentCase(request, await service.getForCaller(callerOf(request), request.params.id), true),
  );

  app.post<{ Params: { id: string }; Body: { comment?: string } }>(
    '/cases/:id/withdraw',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'Withdraw (撤回) by the submitter, until the next step has acted',
        params: idParams,
        body: withdrawBody,
        response: { 200: { $ref: 'MinflowCase#' }, ...errors },
      },
    },
    async (request) => {
      const doc = await service.withdraw(callerOf(request), request.params.id, request.body?.comment ?? null);
      return presentCase(request, doc, true);
    },
  );

  app.post<{ Params: { id: string; name: string }; Body: { payload?: Record<string, unknown>; comment?: string } }>(
    '/cases/:id/messages/:name',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        summary: 'Deliver a message to the case (e.g. an objection 异议 during 公示)',
        params: messageParams,
        body: messageBody,
        response: { 200: messageResult, ...errors },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const doc = await service.getForCaller(caller, request.params.id);
      assertCan(request, 'update', 'Case', doc);
      const payload = {
        ...(request.body?.payload ?? {}),
        ...(request.body?.comment ? { comment: request.body.comment } : {}),
      };
      const result = await service.correlate(doc._id, request.params.name, payload, caller.user.id);
      return { correlated: result.correlated, case: await presentCase(request, result.doc, true) };
    },
  );

  app.get<{ Querystring: { limit?: number; cursor?: string } }>(
    '/incidents',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['incidents'],
        summary: 'Cases stopped by an incident (a failing service task, an expression error), with the error',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 100 },
            cursor: { type: 'string', maxLength: 2000 },
          },
        },
        response: { 200: incidentPage, ...errors },
      },
    },
    async (request) => {
      assertCan(request, 'read', 'Case');
      const page = await service.listIncidents(callerOf(request), request.query);
      return {
        items: page.items.map((d) => ({
          caseId: d._id,
          itemKey: d.itemKey,
          orgUnitId: d.orgUnitId,
          incidents: d.state.incidents.map(({ tokenId: _t, ...i }) => i),
        })),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.post<{ Params: { id: string } }>(
    '/incidents/:id/retry',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['incidents'],
        summary: 'Resolve an incident: the failed step runs once more',
        params: idParams,
        response: { 200: { $ref: 'MinflowCase#' }, ...errors },
      },
    },
    async (request) => presentCase(request, await service.retryIncident(callerOf(request), request.params.id), true),
  );
}

export default fp(casesPlugin, {
  name: 'minflow-cases',
  dependencies: ['minflow-store', 'minflow-queue', 'minflow-plugins', 'minflow-auth', 'minflow-definitions'],
});
