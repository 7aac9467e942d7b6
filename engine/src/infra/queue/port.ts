/**
 * The job-queue port: service tasks, timers and other deferred work. Adapters: `inline` (default;
 * in-process, jobs persisted in the document store so a restart loses nothing) and `bull` (Redis;
 * several engine processes share the work). Both pass the contract suite in `contract.ts`.
 *
 * Delivery is at least once: a job whose worker died mid-run is delivered again after its lease
 * expires. Handlers must therefore be idempotent; the engine makes them so by giving each job a
 * stable `key` and ignoring a result for work that is no longer pending. Retry policy (attempts,
 * backoff, incidents) belongs to the engine, which re-enqueues under a new key: the queue itself
 * runs each delivery once and reports a thrown error to `onError`.
 */

export interface JobSpec {
  /** Stable idempotency key: enqueueing a key that is still queued or running adds nothing. */
  key: string;
  /** Handler name the job is routed to (e.g. `service-task`, `timer`). */
  name: string;
  payload: Record<string, unknown>;
  /** Earliest time to run; now when omitted. */
  runAt?: Date;
}

export interface QueuedJob extends Required<Omit<JobSpec, 'runAt'>> {
  runAt: Date;
  /** 1 on first delivery, more after a crash redelivery. */
  delivery: number;
}

export type JobHandler = (job: QueuedJob) => Promise<void>;

export interface JobQueue {
  readonly kind: 'inline' | 'bull';
  /** Adds the job unless one with the same key is queued or running. Returns whether it was added. */
  enqueue(job: JobSpec): Promise<boolean>;
  /** Removes a queued job (a timer whose activity ended). Returns whether one was removed. */
  cancel(key: string): Promise<boolean>;
  /** Routes jobs of `name` to `handler`. Register every handler before `start()`. */
  handle(name: string, handler: JobHandler): void;
  /** Called when a handler throws; the job is then finished (the engine decides about retries). */
  onError(listener: (job: QueuedJob, error: unknown) => void): void;
  /** Starts taking jobs. */
  start(): Promise<void>;
  /** Stops taking jobs and waits for running ones to finish. */
  stop(): Promise<void>;
  /** Jobs queued or running (for health and tests). */
  pendingCount(): Promise<number>;
}
