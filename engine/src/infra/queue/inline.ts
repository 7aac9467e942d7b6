import { randomUUID } from 'node:crypto';
import { MinflowError } from '../../errors/registry.js';
import type { Clock } from '../clock.js';
import type { DocumentStore, StoredDoc } from '../store/port.js';
import type { JobHandler, JobQueue, JobSpec, QueuedJob } from './port.js';

/**
 * The default queue: jobs are documents in the store (collection `jobs`), so queued work and
 * timers survive a restart, and several processes on one store share them. A worker claims a job
 * with a version-checked write (one claimer wins) and holds a lease it renews while running; a
 * job whose lease ran out (its process died) is claimed again, with `delivery` incremented.
 */
export interface InlineQueueOptions {
  clock: Clock;
  /** How often to look for due jobs (ms). */
  pollMs?: number;
  /** How long a claim holds before another worker may take the job over (ms). */
  leaseMs?: number;
  /** Jobs run at once by this process. */
  concurrency?: number;
  /** Collection name (tests isolate themselves with their own). */
  collection?: string;
}

interface JobDoc extends StoredDoc {
  name: string;
  payload: Record<string, unknown>;
  runAt: string;
  state: 'queued' | 'running';
  leaseUntil: string | null;
  owner: string | null;
  delivery: number;
  enqueuedAt: string;
}

export async function createInlineQueue(store: DocumentStore, options: InlineQueueOptions): Promise<InlineQueue> {
  const collection = options.collection ?? 'jobs';
  await store.ensureCollection({
    name: collection,
    indexes: [
      { name: 'due', fields: { state: 1, runAt: 1 } },
      { name: 'lease', fields: { state: 1, leaseUntil: 1 } },
    ],
  });
  return new InlineQueue(store, collection, options);
}

export class InlineQueue implements JobQueue {
  readonly kind = 'inline' as const;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly errorListeners: Array<(job: QueuedJob, error: unknown) => void> = [];
  private readonly running = new Set<Promise<void>>();
  private readonly owner = randomUUID();
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private stopped = true;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly concurrency: number;

  constructor(
    private readonly store: DocumentStore,
    private readonly collectionName: string,
    private readonly options: InlineQueueOptions,
  ) {
    this.pollMs = options.pollMs ?? 250;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.concurrency = options.concurrency ?? 4;
  }

  private get jobs() {
    return this.store.collection<JobDoc>(this.collectionName);
  }

  private now(): Date {
    return this.options.clock.now();
  }

  async enqueue(job: JobSpec): Promise<boolean> {
    try {
      await this.jobs.insert({
        _id: job.key,
        name: job.name,
        payload: job.payload,
        runAt: (job.runAt ?? this.now()).toISOString(),
        state: 'queued',
        leaseUntil: null,
        owner: null,
        delivery: 0,
        enqueuedAt: this.now().toISOString(),
      });
    } catch (err) {
      if (err instanceof MinflowError && err.code === 'MINFLOW_ERR_STORE_DUPLICATE') return false;
      throw err;
    }
    if (!this.stopped && (job.runAt ?? this.now()) <= this.now()) this.kick();
    return true;
  }

  async cancel(key: string): Promise<boolean> {
    const doc = await this.jobs.get(key);
    if (!doc || doc.state !== 'queued') return false;
    return this.jobs.delete(key, doc._v);
  }

  handle(name: string, handler: JobHandler): void {
    this.handlers.set(name, handler);
  }

  onError(listener: (job: QueuedJob, error: unknown) => void): void {
    this.errorListeners.push(listener);
  }

  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), this.pollMs);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.polling;
    await Promise.allSettled([...this.running]);
  }

  async pendingCount(): Promise<number> {
    return this.jobs.count({});
  }

  /**
   * Claims and runs every job due now (up to the concurrency limit) and waits for them. The poll
   * loop calls it; tests with a manual clock call it after moving the clock.
   */
  async runDue(): Promise<number> {
    let started = 0;
    for (;;) {
      const free = this.concurrency - this.running.size;
      if (free <= 0) {
        await Promise.race(this.running);
        continue;
      }
      const now = this.now().toISOString();
      const page = await this.jobs.find(
        {
          $or: [
            { state: 'queued', runAt: { $lte: now } },
            { state: 'running', leaseUntil: { $lt: now } },
          ],
        },
        { sort: { runAt: 1 }, limit: free },
      );
      let claimedAny = false;
      for (const doc of page.items) {
        const claimed = await this.claim(doc);
        if (!claimed) continue;
        claimedAny = true;
        started++;
        const run = this.run(claimed).finally(() => this.running.delete(run));
        this.running.add(run);
      }
      if (!claimedAny) break;
      if (this.stopped) break;
    }
    await Promise.allSettled([...this.running]);
    return started;
  }

  private kick(): void {
    if (this.stopped || this.polling) return;
    this.polling = this.runDue()
      .then(() => undefined)
      .catch(() => undefined)
      .finally(() => {
        this.polling = null;
      });
  }

  private async claim(doc: JobDoc): Promise<JobDoc | null> {
    if (!this.handlers.has(doc.name)) return null;
    try {
      return await this.jobs.replace(doc._id, doc._v, {
        ...doc,
        state: 'running',
        owner: this.owner,
        leaseUntil: new Date(this.now().getTime() + this.leaseMs).toISOString(),
        delivery: doc.delivery + 1,
      });
    } catch (err) {
      // Another worker claimed it first, or it was cancelled: not ours.
      if (err instanceof MinflowError && (err.status === 409 || err.status === 404)) return null;
      throw err;
    }
  }

  private async run(doc: JobDoc): Promise<void> {
    const handler = this.handlers.get(doc.name);
    if (!handler) return;
    const job: QueuedJob = {
      key: doc._id,
      name: doc.name,
      payload: doc.payload,
      runAt: new Date(doc.runAt),
      delivery: doc.delivery,
    };
    let current = doc;
    // Renew the lease while the handler runs so a slow job is not taken over by another worker.
    const renew = setInterval(
      () => {
        this.jobs
          .replace(current._id, current._v, {
            ...current,
            leaseUntil: new Date(this.now().getTime() + this.leaseMs).toISOString(),
          })
          .then((next) => {
            current = next;
          })
          .catch(() => undefined);
      },
      Math.max(50, Math.floor(this.leaseMs / 3)),
    );
    renew.unref();
    try {
      await handler(job);
    } catch (error) {
      for (const listener of this.errorListeners) listener(job, error);
    } finally {
      clearInterval(renew);
    }
    // Finished: remove it, unless another worker took it over after our lease ran out.
    for (let attempt = 0; attempt < 5; attempt++) {
      const latest = await this.jobs.get(doc._id);
      if (!latest || latest.owner !== this.owner) return;
      // A lease renewal still in flight may bump the version under us: re-read and try again.
      if (await this.jobs.delete(doc._id, latest._v).catch(() => false)) return;
    }
  }
}
