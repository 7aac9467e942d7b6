import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createQueue } from './index.js';
import type { JobQueue } from './port.js';

export interface QueuePluginOptions {
  queue?: JobQueue;
}

/**
 * Decorates `app.queue`. Modules register their handlers while the app is being built; the queue
 * starts taking jobs once the app is ready and stops (finishing running jobs) when it closes.
 */
export const queuePlugin = fp<QueuePluginOptions>(
  async (app: FastifyInstance, opts) => {
    const queue = opts.queue ?? (await createQueue(app.config, app.store, app.clock));
    app.decorate('queue', queue);
    app.addHook('onReady', async () => queue.start());
    app.addHook('onClose', async () => queue.stop());
  },
  { name: 'minflow-queue', dependencies: ['minflow-store'] },
);
