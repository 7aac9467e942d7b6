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
}
