import type { FastifyInstance } from 'fastify';
import { engineVersion } from '../../version.js';

const healthResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['status', 'store', 'queue', 'version'],
  properties: {
    status: { type: 'string', enum: ['ok', 'degraded'] },
    store: { type: 'string', enum: ['embedded', 'mongodb'] },
    queue: { type: 'string', enum: ['inline', 'bull'] },
    version: { type: 'string' },
  },
} as const;

export default async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness and configuration: store and queue adapters, engine version',
        response: { 200: healthResponse, 503: healthResponse },
      },
    },
    async (_request, reply) => {
      let status: 'ok' | 'degraded' = 'ok';
      try {
        await app.store.ping();
      } catch {
        status = 'degraded';
      }
      return reply.status(status === 'ok' ? 200 : 503).send({
        status,
        store: app.store.kind,
        queue: app.queue.kind,
        version: engineVersion,
      });
    },
  );
}
