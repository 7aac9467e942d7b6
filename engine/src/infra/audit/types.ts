import type { WriteOp, WriteResult } from '../store/port.js';

/** One state change, as recorded in the append-only, hash-chained audit log. */
export interface AuditInput {
  /** User id, or `system` for start-up imports and jobs. */
  actorId: string;
  /** Verb in dotted form, e.g. `user.create`, `definition.publish`, `case.transition`. */
  action: string;
  subjectType: string;
  subjectId: string;
  /** The subject's org path when it has one (so audit reads can be jurisdiction-filtered). */
  orgPath?: string[];
  before?: unknown;
  after?: unknown;
  /** Free-form context (request id, ip, comment). */
  meta?: Record<string, unknown>;
}

export interface AuditLog {
  record(entry: AuditInput): Promise<void>;
  /**
   * Records the entries together with the state change they describe: `ops` first, then the
   * entries, in ONE `store.write` where the store's writes are atomic (all or nothing); elsewhere
   * the ops are written and then the entries appended as `record` does. Returns the results of
   * `ops`; the ops' errors (e.g. 409 on a version conflict at op 0) come through with `params.op`.
   */
  recordWith?(entries: AuditInput[], ops: WriteOp[]): Promise<WriteResult[]>;
}
