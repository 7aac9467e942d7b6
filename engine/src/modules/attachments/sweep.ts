import { randomBytes } from 'node:crypto';
import { attachmentReferences } from '@minflow/sdk/attachments';
import type { FastifyBaseLogger } from 'fastify';
import { MinflowError } from '../../errors/registry.js';
import type { AuditLog } from '../../infra/audit/types.js';
import type { Clock } from '../../infra/clock.js';
import type { JobQueue } from '../../infra/queue/port.js';
import type { DocumentStore, StoredDoc } from '../../infra/store/port.js';
import type { BlobStore } from './blobs.js';
import { ATTACHMENTS, type AttachmentDoc } from './model.js';

/** The queue job that removes uploads no case refers to (name the queue routes to the sweeper). */
export const ORPHAN_SWEEP_JOB = 'attachments.orphan-sweep';
const DAY_MS = 24 * 60 * 60 * 1000;
/** How many unreferenced uploads one sweep removes at most (the next sweep takes the rest). */
const BATCH = 500;

export interface OrphanSweepOptions {
  /**
   * Uploads no case refers to are removed once older than this many days (default 7, env
   * `MINFLOW_ATTACHMENT_ORPHAN_DAYS`); 0 turns the sweep off.
   */
  orphanDays?: number;
  /** How often the periodic sweep runs (ms; default one hour). */
  sweepEveryMs?: number;
  /** Sweep once when the engine starts (default true). */
  sweepOnStart?: boolean;
}

export interface ResolvedSweepOptions {
  orphanDays: number;
  sweepEveryMs: number;
  sweepOnStart: boolean;
}

/** The options in force: explicit ones (buildApp) win over `MINFLOW_ATTACHMENT_ORPHAN_DAYS`, then the defaults. */
export function resolveSweepOptions(env: NodeJS.ProcessEnv, given: OrphanSweepOptions = {}): ResolvedSweepOptions {
  const fromEnv = env.MINFLOW_ATTACHMENT_ORPHAN_DAYS;
  const envDays = fromEnv === undefined || fromEnv.trim() === '' ? Number.NaN : Number(fromEnv);
  const days = given.orphanDays ?? (Number.isFinite(envDays) && envDays >= 0 ? envDays : 7);
  if (!Number.isFinite(days) || days < 0) throw new RangeError(`orphanDays must be a number ≥ 0, not ${days}`);
  const every = given.sweepEveryMs ?? 60 * 60 * 1000;
  if (!Number.isFinite(every) || every < 1000) throw new RangeError(`sweepEveryMs must be ≥ 1000, not ${every}`);
  return { orphanDays: days, sweepEveryMs: every, sweepOnStart: given.sweepOnStart ?? true };
}

export interface SweepResult {
  /** Uploads removed (record and, when no other upload shares them, bytes). */
  deleted: string[];
  /** Unlinked uploads found in a case's data after all (a link lost to a crash): linked now, kept. */
  relinked: string[];
}

interface CaseLike extends StoredDoc {
  itemKey: string;
  orgPath: string[];
  updatedAt: string;
}

export interface SweepDeps {
  store: DocumentStore;
  blobs: BlobStore;
  clock: Clock;
  audit: AuditLog;
  queue: JobQueue;
  log: FastifyBaseLogger;
  /** Links uploads found in a case's data to that case (the attachment service's own link, audited). */
  link: (actorId: string, caseDoc: { _id: string; orgPath: string[] }, docs: AttachmentDoc[]) => Promise<void>;
}

const isConflict = (err: unknown) => err instanceof MinflowError && (err.status === 409 || err.status === 404);

/**
 * Removes uploads no case refers to once they are older than the retention period: a form's file the
 * person uploaded and then never submitted. Runs as a periodic job on the queue port (each run queues the
 * next one under a key of its time slot, so several engine processes queue it once, with either queue),
 * and once at start-up. An upload a case refers to is never removed: those are linked (`caseId` set), and
 * before removing an unlinked one the cases of its item changed since its upload are searched for its url.
 */
export class OrphanSweeper {
  constructor(
    private readonly deps: SweepDeps,
    readonly options: ResolvedSweepOptions,
  ) {}

  private get col() {
    return this.deps.store.collection<AttachmentDoc>(ATTACHMENTS);
  }

  get enabled(): boolean {
    return this.options.orphanDays > 0;
  }

  /** Routes the sweep job; call before the queue starts. */
  registerJob(): void {
    this.deps.queue.handle(ORPHAN_SWEEP_JOB, async () => {
      try {
        await this.sweep();
      } finally {
        await this.scheduleNext();
      }
    });
  }

  /** Queues the next periodic sweep (at the start of the next slot of `sweepEveryMs`); a no-op when queued already. */
  async scheduleNext(): Promise<void> {
    if (!this.enabled) return;
    const every = this.options.sweepEveryMs;
    const next = new Date((Math.floor(this.deps.clock.now().getTime() / every) + 1) * every);
    await this.deps.queue.enqueue({
      key: `${ORPHAN_SWEEP_JOB}@${next.toISOString()}`,
      name: ORPHAN_SWEEP_JOB,
      payload: {},
      runAt: next,
    });
  }

  /** At start-up: one sweep now (on the queue, so closing the app waits for it) and the periodic one. */
  async start(): Promise<void> {
    if (!this.enabled) return;
    if (this.options.sweepOnStart) {
      await this.deps.queue.enqueue({
        key: `${ORPHAN_SWEEP_JOB}@start-${randomBytes(6).toString('hex')}`,
        name: ORPHAN_SWEEP_JOB,
        payload: { startUp: true },
      });
    }
    await this.scheduleNext();
  }

  /** One sweep: removes unreferenced uploads older than the retention period; one audit entry when any went. */
  async sweep(): Promise<SweepResult> {
    const result: SweepResult = { deleted: [], relinked: [] };
    if (!this.enabled) return result;
    const now = this.deps.clock.now();
    const cutoff = new Date(now.getTime() - this.options.orphanDays * DAY_MS).toISOString();
    const page = await this.col.find(
      { caseId: null, uploadedAt: { $lt: cutoff } },
      { sort: { uploadedAt: 1 }, limit: BATCH },
    );
    if (page.items.length === 0) return result;

    const referencedBy = await this.casesReferring(page.items);
    const removed: AttachmentDoc[] = [];
    for (const doc of page.items) {
      const caseDoc = referencedBy.get(doc._id);
      if (caseDoc) {
        try {
          await this.deps.link('system', caseDoc, [doc]);
          result.relinked.push(doc._id);
        } catch (err) {
          if (!isConflict(err)) throw err;
        }
        continue;
      }
      // Version-checked: an upload linked to a case since it was read (its version moved) stays.
      let gone = false;
      try {
        gone = await this.col.delete(doc._id, doc._v);
      } catch (err) {
        if (!isConflict(err)) throw err;
      }
      if (!gone) continue;
      removed.push(doc);
      result.deleted.push(doc._id);
    }

    // The bytes are content-addressed: remove them only when no other upload has the same content.
    const blobs = new Set(removed.map((d) => d.sha256));
    for (const sha256 of blobs) {
      if ((await this.col.count({ sha256 })) === 0) await this.deps.blobs.remove(sha256);
    }

    if (removed.length > 0) {
      await this.deps.audit.record({
        actorId: 'system',
        action: 'attachment.sweep',
        subjectType: 'Attachment',
        subjectId: `sweep-${now.toISOString()}`,
        orgPath: commonPrefix(removed.map((d) => d.orgPath)),
        before: removed.map((d) => ({
          id: d._id,
          name: d.name,
          size: d.size,
          sha256: d.sha256,
          uploadedBy: d.uploadedBy,
          uploadedAt: d.uploadedAt,
          itemKey: d.itemKey,
          field: d.field,
        })),
        after: { deleted: removed.length },
        meta: { count: removed.length, ids: removed.map((d) => d._id), cutoff, orphanDays: this.options.orphanDays },
      });
      this.deps.log.info({ count: removed.length, cutoff }, 'unreferenced uploads removed');
    }
    return result;
  }

  /**
   * Cases whose data (or task data, history) refers to one of these unlinked uploads: a case that refers to
   * an upload was written after it, so only the item's cases changed since the oldest upload are read.
   */
  private async casesReferring(docs: AttachmentDoc[]): Promise<Map<string, CaseLike>> {
    const found = new Map<string, CaseLike>();
    const cases = this.deps.store.collection<CaseLike>('cases');
    const byItem = new Map<string, { ids: Set<string>; since: string }>();
    for (const d of docs) {
      const g = byItem.get(d.itemKey) ?? { ids: new Set<string>(), since: d.uploadedAt };
      g.ids.add(d._id);
      if (d.uploadedAt < g.since) g.since = d.uploadedAt;
      byItem.set(d.itemKey, g);
    }
    for (const [itemKey, g] of byItem) {
      let cursor: string | null = null;
      do {
        const page: { items: CaseLike[]; nextCursor: string | null } = await cases.find(
          { itemKey, updatedAt: { $gte: g.since } },
          { limit: 200, cursor },
        );
        for (const c of page.items) {
          for (const ref of attachmentReferences(c)) if (g.ids.has(ref.id) && !found.has(ref.id)) found.set(ref.id, c);
        }
        cursor = page.nextCursor;
      } while (cursor);
    }
    return found;
  }
}

/** The org path every one of these shares (the audit entry's jurisdiction). */
function commonPrefix(paths: string[][]): string[] {
  const [first = [], ...rest] = paths;
  let n = first.length;
  for (const p of rest) {
    let i = 0;
    while (i < n && i < p.length && p[i] === first[i]) i++;
    n = i;
  }
  return first.slice(0, n);
}
