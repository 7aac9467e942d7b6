import Queue, { type Job } from 'bull';
import type { JobHandler, JobQueue, JobSpec, QueuedJob } from './port.js';

/**
 * Bull on Redis, for several engine processes: Redis holds the queue, each job id is the job's
 * stable key (Bull ignores an add whose id exists), delayed jobs carry timers, and Bull's
 * stalled-job check redelivers a job whose worker died (its lock expired).
 * Timers follow Redis/wall-clock time, not the injectable clock.
 */
export interface BullQueueOptions {
  redisUrl: string;
  /** Queue name; tests isolate themselves with their own. Default: MINFLOW_QUEUE_NAME, else `minflow-jobs`. */
  queueName?: string;
  concurrency?: number;
  /** Lock held by a worker on a running job; a crashed worker's job is redelivered after it (ms). */
  lockMs?: number;
}

interface BullData {
  key: string;
  payload: Record<string, unknown>;
  runAt: string;
  /** Deliveries so far, written back to Redis at the start of each, so a crash redelivery counts up. */
  delivery?: number;
}

export function createBullQueue(options: BullQueueOptions): BullQueue {
  return new BullQueue(options);
}

export class BullQueue implements JobQueue {
  readonly kind = 'bull' as const;
  private readonly queue: Queue.Queue<BullData>;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly errorListeners: Array<(job: QueuedJob, error: unknown) => void> = [];
  private started = false;
  private closed = false;

  constructor(private readonly options: BullQueueOptions) {
    const lockMs = options.lockMs ?? 30_000;
    const name = options.queueName ?? (process.env.MINFLOW_QUEUE_NAME || 'minflow-jobs');
    this.queue = new Queue<BullData>(name, options.redisUrl, {
      prefix: 'minflow',
      settings: {
        lockDuration: lockMs,
        lockRenewTime: Math.floor(lockMs / 2),
        stalledInterval: Math.max(500, Math.floor(lockMs / 2)),
        // A job may be redelivered after several crashes before Bull gives up on it.
        maxStalledCount: 5,
      },
    });
  }

  async enqueue(job: JobSpec): Promise<boolean> {
    const existing = await this.queue.getJob(job.key);
    if (existing) {
      const state = await existing.getState();
      if (state !== 'completed' && state !== 'failed') return false;
      await existing.remove().catch(() => undefined);
    }
    const runAt = job.runAt ?? new Date();
    await this.queue.add(
      job.name,
      { key: job.key, payload: job.payload, runAt: runAt.toISOString() },
      {
        jobId: job.key,
        delay: Math.max(0, runAt.getTime() - Date.now()),
        attempts: 1,
        removeOnComplete: true,
        removeOnFail: true,
      },
    );
    return true;
  }

  async cancel(key: string): Promise<boolean> {
    const job = await this.queue.getJob(key);
    if (!job) return false;
    const state = await job.getState();
    if (state !== 'delayed' && state !== 'waiting' && state !== 'paused') return false;
    await job.remove();
    return true;
  }

  handle(name: string, handler: JobHandler): void {
    this.handlers.set(name, handler);
    if (this.started) this.bindProcessor(name, handler);
  }

  onError(listener: (job: QueuedJob, error: unknown) => void): void {
    this.errorListeners.push(listener);
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.queue.isReady();
    for (const [name, handler] of this.handlers) this.bindProcessor(name, handler);
  }

  async stop(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // close() waits for active jobs of this worker to finish.
    await this.queue.close();
  }

  async pendingCount(): Promise<number> {
    const counts = await this.queue.getJobCounts();
    return counts.waiting + counts.delayed + counts.active + ((counts as { paused?: number }).paused ?? 0);
  }

  /** Test hook: drop the connection without finishing running jobs, as a killed process would. */
  async abandon(): Promise<void> {
    this.closed = true;
    await this.queue.close(true);
  }

  private bindProcessor(name: string, handler: JobHandler): void {
    this.queue.process(name, this.options.concurrency ?? 4, async (bullJob: Job<BullData>) => {
      const delivery = (bullJob.data.delivery ?? 0) + 1;
      await bullJob.update({ ...bullJob.data, delivery });
      const job: QueuedJob = {
        key: bullJob.data.key,
        name: bullJob.name,
        payload: bullJob.data.payload,
        runAt: new Date(bullJob.data.runAt),
        delivery,
      };
      try {
        await handler(job);
      } catch (error) {
        for (const listener of this.errorListeners) listener(job, error);
      }
    });
  }
}
