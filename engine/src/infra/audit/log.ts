import { createHash } from 'node:crypto';
import { isMinflowError, MinflowError } from '../../errors/registry.js';
import type { Clock } from '../clock.js';
import type { CollectionSpec, DocumentStore, StoredDoc, WriteOp, WriteResult } from '../store/port.js';
import type { AuditInput, AuditLog } from './types.js';

/**
 * The append-only, hash-chained audit log (collection `audit_log`).
 *
 * Each entry's `_id` is its zero-padded sequence number, and `hash` is the SHA-256 of the
 * canonical JSON of the entry (sorted keys) including `prevHash`, the previous entry's hash.
 * Appending needs no transaction: read the head, insert `seq + 1`; the unique `_id` is the lock
 * — when two writers race for the same seq, one insert fails as a duplicate and that writer
 * re-reads the head and retries. A checkpoint document (`audit_head`) records the highest seq
 * and its hash, so deleting the newest entries is detected too.
 *
 * Where the store's writes are atomic (embedded), an entry is one `store.write`: `append` reads
 * the last entry and inserts the next inside the same transaction (no race to lose, even between
 * processes) and the checkpoint moves with it; `recordWith` puts the state change it describes
 * into that same transaction, so a change is never stored without its audit entry.
 */
export const AUDIT_COLLECTION = 'audit_log';
export const AUDIT_HEAD_COLLECTION = 'audit_head';
const HEAD_ID = 'head';
const GENESIS = '0'.repeat(64);
const SEQ_DIGITS = 12;

export interface AuditEntry extends StoredDoc {
  seq: number;
  at: string;
  actorId: string;
  action: string;
  subjectType: string;
  subjectId: string;
  orgPath: string[];
  before: unknown;
  after: unknown;
  meta: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

interface HeadDoc extends StoredDoc {
  seq: number;
  hash: string;
}

export const auditCollectionSpecs: CollectionSpec[] = [
  {
    name: AUDIT_COLLECTION,
    indexes: [
      { name: 'orgPath', fields: { orgPath: 1 }, multikey: true },
      { name: 'subject', fields: { subjectType: 1, subjectId: 1 } },
      { name: 'actor', fields: { actorId: 1 } },
    ],
  },
  { name: AUDIT_HEAD_COLLECTION },
];

export const seqId = (seq: number): string => String(seq).padStart(SEQ_DIGITS, '0');

/** Keys never written to the log, at any depth (credentials and their derivatives). */
const SECRET_KEY = /^(password|passwordHash|newPassword|initialPassword|token|tokenHash|secret|_id_token)$/i;

/** Plain JSON with secrets removed (Dates become ISO strings; undefined properties vanish). */
export function scrub(value: unknown): unknown {
  if (value === undefined) return null;
  // One pass: the replacer drops secret keys at any depth (after toJSON, as a walk over the JSON would).
  return JSON.parse(JSON.stringify(value ?? null, dropSecrets));
}

function dropSecrets(key: string, value: unknown): unknown {
  return key !== '' && SECRET_KEY.test(key) ? undefined : value;
}

/** JSON with object keys sorted at every depth: the same entry always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value as object).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

type HashedFields = Omit<AuditEntry, '_id' | '_v' | 'hash'>;

export function entryHash(entry: HashedFields): string {
  const { seq, at, actorId, action, subjectType, subjectId, orgPath, before, after, meta, prevHash } = entry;
  const body = { seq, at, actorId, action, subjectType, subjectId, orgPath, before, after, meta, prevHash };
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

export interface AuditLogOptions {
  /** The orgPath given to entries that have none (city-wide events): by default the org tree's roots. */
  defaultOrgPath?: () => Promise<string[]>;
  maxAttempts?: number;
}

export function createAuditLog(store: DocumentStore, clock: Clock, options: AuditLogOptions = {}): AuditLog {
  const entries = store.collection<AuditEntry>(AUDIT_COLLECTION);
  const heads = store.collection<HeadDoc>(AUDIT_HEAD_COLLECTION);
  const maxAttempts = options.maxAttempts ?? 200;

  async function readHead(): Promise<{ seq: number; hash: string }> {
    const page = await entries.find({}, { sort: { _id: -1 }, limit: 1 });
    const last = page.items[0];
    return last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: GENESIS };
  }

  /** Moves the checkpoint forward (never back) to `seq`; concurrent writers retry on version conflicts. */
  async function advanceHead(seq: number, hash: string): Promise<void> {
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const current = await heads.get(HEAD_ID);
      if (current && current.seq >= seq) return;
      try {
        if (current) await heads.replace(HEAD_ID, current._v, { _id: HEAD_ID, seq, hash });
        else await heads.insert({ _id: HEAD_ID, seq, hash });
        return;
      } catch (err) {
        if (!isRetryable(err)) throw err;
      }
    }
  }

  // Non-atomic stores (mongodb): this process's last known head: appends try seq+1 first and read the store only after losing a
  // race to another process. Appends of this process run one at a time, so they never race each other.
  let cachedHead: { seq: number; hash: string } | null = null;
  let tail: Promise<void> = Promise.resolve();

  return {
    async record(input: AuditInput): Promise<void> {
      if (store.atomicWrites) {
        await store.write(chainOps([await baseOf(input)]));
        return;
      }
      const run = tail.then(() => append(input));
      tail = run.catch(() => undefined);
      return run;
    },
    async recordWith(inputs: AuditInput[], ops: WriteOp[]): Promise<WriteResult[]> {
      if (store.atomicWrites) {
        const bases = await Promise.all(inputs.map(baseOf));
        return (await store.write([...ops, ...chainOps(bases)])).slice(0, ops.length);
      }
      const results = await store.write(ops);
      for (const input of inputs) await this.record(input);
      return results;
    },
  };

  /** The entries appended after the last one, and the checkpoint moved to the newest (for one atomic write). */
  function chainOps(bases: Omit<HashedFields, 'seq' | 'prevHash'>[]): WriteOp[] {
    let head = { seq: 0, hash: GENESIS };
    return [
      ...bases.map(
        (base): WriteOp => ({
          op: 'append',
          collection: AUDIT_COLLECTION,
          build: (last) => {
            const prev = last as AuditEntry | null;
            const seq = (prev?.seq ?? 0) + 1;
            const fields: HashedFields = { ...base, seq, prevHash: prev?.hash ?? GENESIS };
            head = { seq, hash: entryHash(fields) };
            return { _id: seqId(seq), ...fields, hash: head.hash };
          },
        }),
      ),
      { op: 'put', collection: AUDIT_HEAD_COLLECTION, doc: () => ({ _id: HEAD_ID, ...head }) },
    ];
  }

  async function baseOf(input: AuditInput): Promise<Omit<HashedFields, 'seq' | 'prevHash'>> {
    const orgPath = input.orgPath?.length ? [...input.orgPath] : ((await options.defaultOrgPath?.()) ?? []);
    return {
      at: clock.now().toISOString(),
      actorId: input.actorId,
      action: input.action,
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      orgPath,
      before: scrub(input.before),
      after: scrub(input.after),
      meta: (scrub(input.meta ?? {}) ?? {}) as Record<string, unknown>,
    };
  }

  async function append(input: AuditInput): Promise<void> {
    const base = await baseOf(input);
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const head = cachedHead ?? (await readHead());
      const seq = head.seq + 1;
      const fields: HashedFields = { ...base, seq, prevHash: head.hash };
      const hash = entryHash(fields);
      try {
        await entries.insert({ _id: seqId(seq), ...fields, hash });
        cachedHead = { seq, hash };
        await advanceHead(seq, hash);
        return;
      } catch (err) {
        cachedHead = null;
        if (!isRetryable(err)) throw err;
        // Lost the race for this seq: back off a little (jitter) and append after the winner.
        if (attempt > 2) await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, attempt * 2)));
      }
    }
    throw new MinflowError('MINFLOW_ERR_AUTH_AUDIT_APPEND_FAILED');
  }
}

const RETRYABLE = new Set<string>(['MINFLOW_ERR_STORE_DUPLICATE', 'MINFLOW_ERR_STORE_VERSION_CONFLICT']);

function isRetryable(err: unknown): boolean {
  return isMinflowError(err) && RETRYABLE.has(err.code);
}

export interface AuditProblem {
  seq: number;
  reason: 'hash-mismatch' | 'broken-link' | 'missing' | 'id-mismatch' | 'truncated';
}

export interface AuditVerification {
  ok: boolean;
  count: number;
  headSeq: number;
  problems: AuditProblem[];
}

/**
 * Walks the whole chain in seq order and reports every entry that was edited (its hash no
 * longer matches its content), deleted (a gap in seq, or a broken prevHash link), or cut off
 * the end (the checkpoint names a later seq than the last entry).
 */
export async function verifyAuditChain(store: DocumentStore): Promise<AuditVerification> {
  const entries = store.collection<AuditEntry>(AUDIT_COLLECTION);
  const problems: AuditProblem[] = [];
  let expectedSeq = 1;
  let prevHash = GENESIS;
  let count = 0;
  let cursor: string | null = null;
  do {
    const page = await entries.find({}, { sort: { _id: 1 }, limit: 1000, cursor });
    for (const e of page.items) {
      count++;
      if (e._id !== seqId(e.seq)) problems.push({ seq: e.seq, reason: 'id-mismatch' });
      // A gap means deleted entries (reported one by one, up to a sane number).
      for (let s = expectedSeq; s < Math.min(e.seq, expectedSeq + 1000); s++)
        problems.push({ seq: s, reason: 'missing' });
      if (e.prevHash !== prevHash) problems.push({ seq: e.seq, reason: 'broken-link' });
      if (entryHash(e) !== e.hash) problems.push({ seq: e.seq, reason: 'hash-mismatch' });
      prevHash = e.hash;
      expectedSeq = e.seq + 1;
    }
    cursor = page.nextCursor;
  } while (cursor);
  const head = await store.collection<HeadDoc>(AUDIT_HEAD_COLLECTION).get(HEAD_ID);
  const lastSeq = expectedSeq - 1;
  if (head && head.seq > lastSeq) {
    for (let s = lastSeq + 1; s <= head.seq; s++) problems.push({ seq: s, reason: 'truncated' });
  } else if (head && head.seq === lastSeq && head.hash !== prevHash) {
    problems.push({ seq: lastSeq, reason: 'hash-mismatch' });
  }
  return { ok: problems.length === 0, count, headSeq: Math.max(lastSeq, head?.seq ?? 0), problems };
}
