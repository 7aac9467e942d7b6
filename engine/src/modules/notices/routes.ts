import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { MinflowError } from '../../errors/registry.js';
import { NoticeBoard, OBJECTION_MESSAGE, publicityOf } from './board.js';
import { RateLimiter } from './rate-limit.js';
import { caseParams, listQuery, noticeList, objectionBody, objectionResult } from './schemas.js';

const errorRef = { $ref: 'MinflowError#' } as const;

/** Objections per client address and window. */
export const OBJECTION_LIMIT = { max: 5, windowMs: 10 * 60 * 1000 };
/** Board reads per client address and window. */
export const READ_LIMIT = { max: 120, windowMs: 60 * 1000 };

/**
 * The public notice board under /api, without login: `GET /notices` (公示 and 公布 per village
 * and item, names and ID numbers masked, household size and amount only) and
 * `POST /notices/:caseId/objections` (an objection during the notice period lands on the case as
 * the `objection` message).
 */
async function noticesPlugin(app: FastifyInstance): Promise<void> {
  const board = new NoticeBoard(app.store);
  const now = () => app.clock.now().getTime();
  const objections = new RateLimiter(OBJECTION_LIMIT.max, OBJECTION_LIMIT.windowMs, now);
  const reads = new RateLimiter(READ_LIMIT.max, READ_LIMIT.windowMs, now);
  const tags = ['notices'];

  const limited =
    (limiter: RateLimiter) => async (request: { ip: string }, reply: { header: (k: string, v: string) => unknown }) => {
      if (!limiter.take(request.ip)) {
        reply.header('retry-after', String(limiter.retryAfter(request.ip)));
        throw new MinflowError('MINFLOW_ERR_COMMON_RATE_LIMITED');
      }
    };

  app.get<{ Querystring: { orgUnitId?: string; itemKey?: string; limit?: number } }>(
    '/notices',
    {
      onRequest: limited(reads),
      schema: {
        tags,
        summary: 'Public notice board (no login): 公示 and 公布 per village and item, personal data masked',
        querystring: listQuery,
        response: { 200: noticeList, 400: errorRef, 429: errorRef },
      },
    },
    async (request) => {
      const groups = await board.list(request.query);
      return { generatedAt: app.clock.now().toISOString(), groups };
    },
  );

  app.post<{ Params: { caseId: string }; Body: { name: string; phone: string; reason: string } }>(
    '/notices/:caseId/objections',
    {
      onRequest: limited(objections),
      schema: {
        tags,
        summary: 'Lodge an objection (异议) to a case in its notice period (no login, rate-limited)',
        params: caseParams,
        body: objectionBody,
        response: { 201: objectionResult, 400: errorRef, 404: errorRef, 409: errorRef, 429: errorRef },
      },
    },
    async (request, reply) => {
      const { caseId } = request.params;
      const doc = await board.get(caseId);
      if (!doc) throw new MinflowError('MINFLOW_ERR_COMMON_NOT_FOUND');
      if (!publicityOf(doc)) throw new MinflowError('MINFLOW_ERR_NOTICES_NOT_IN_PUBLICITY');
      const receivedAt = app.clock.now().toISOString();
      const { correlated } = await app.cases.correlate(
        caseId,
        OBJECTION_MESSAGE,
        {
          objectorName: request.body.name,
          objectorPhone: request.body.phone,
          reason: request.body.reason,
          receivedAt,
          channel: 'public-notice-board',
        },
        'public',
      );
      // The notice period ended between the read and the write (timer fired or another objection won).
      if (!correlated) throw new MinflowError('MINFLOW_ERR_NOTICES_NOT_IN_PUBLICITY');
      await app.audit.record({
        actorId: 'public',
        action: 'notice.objection',
        subjectType: 'Case',
        subjectId: caseId,
        orgPath: doc.orgPath,
        meta: { requestId: request.id, ip: request.ip },
      });
      return reply.status(201).send({ caseId, received: true, receivedAt });
    },
  );
}

export default fp(noticesPlugin, { name: 'minflow-notices', dependencies: ['minflow-cases'] });
