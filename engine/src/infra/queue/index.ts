import type { MinflowConfig } from '../../config.js';
import type { Clock } from '../clock.js';
import type { DocumentStore } from '../store/port.js';
import { createBullQueue } from './bull.js';
import { createInlineQueue } from './inline.js';
import type { JobQueue } from './port.js';

/** Opens the configured queue: Bull when `redisUrl` is set, otherwise the inline queue on the store. */
export async function createQueue(config: MinflowConfig, store: DocumentStore, clock: Clock): Promise<JobQueue> {
  if (config.redisUrl) return createBullQueue({ redisUrl: config.redisUrl });
  // MINFLOW_QUEUE_LEASE_MS: how long a dead worker's job stays claimed before it is redelivered (default 60 s).
  const leaseMs = Number(process.env.MINFLOW_QUEUE_LEASE_MS) || undefined;
  return createInlineQueue(store, { clock, leaseMs });
}

export type { JobHandler, JobQueue, JobSpec, QueuedJob } from './port.js';
