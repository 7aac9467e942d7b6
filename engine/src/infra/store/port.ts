/**
 * The document-store port. The engine speaks only to this interface; adapters: `embedded`
 * (SQLite via better-sqlite3) and `mongodb` (official driver). Every adapter passes the one
 * contract suite in `contract.ts`.
 *
 * Design: single-document atomicity is what every adapter guarantees. A write is either an
 * insert (unique `_id` and unique indexes enforced), a version-checked replace (optimistic
 * concurrency on `_v`), or an unconditional `put` used for idempotent projections. `write(ops)`
 * runs several writes as one unit: all-or-nothing where `atomicWrites` is true (embedded: one
 * SQLite transaction), in order and stopping at the first failure otherwise (mongodb: no
 * multi-document transactions on FerretDB or a standalone server).
 */

/** Every stored document has a string id and a version the store maintains (1 on insert, +1 per write). */
export interface StoredDoc {
  _id: string;
  _v: number;
  [field: string]: unknown;
}

/** What callers pass in: the store sets `_v`. */
export type NewDoc<T extends StoredDoc> = Omit<T, '_v'> & { _v?: number };

/**
 * MongoDB-style filter. Allowed operators: `$eq $ne $in $nin $gt $gte $lt $lte $exists $and $or
 * $elemMatch` and `$regex` only as an anchored literal prefix (`^张`). Field paths may be dotted.
 * Equality on an array field matches when any element matches (as in MongoDB). Anything else
 * (`$where`, `$function`, `$expr`, unknown `$` keys) is refused with MINFLOW_ERR_STORE_FILTER_INVALID.
 */
export type Filter = Record<string, unknown>;

export type SortSpec = Record<string, 1 | -1>;

export interface IndexSpec {
  /** Unique per collection. */
  name: string;
  /** Ordered fields (dotted paths allowed) with direction. */
  fields: SortSpec;
  unique?: boolean;
  /** Set when one of the fields holds an array (multikey index): each element is indexed. */
  multikey?: boolean;
}

export interface CollectionSpec {
  name: string;
  indexes?: IndexSpec[];
}

export interface FindOptions {
  sort?: SortSpec;
  /** Default 50, at most 1000. */
  limit?: number;
  /** Opaque cursor from a previous page's `nextCursor`; requires the same filter and sort. */
  cursor?: string | null;
  /** Top-level fields to return (always with `_id` and `_v`). */
  projection?: string[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Collection<T extends StoredDoc = StoredDoc> {
  readonly name: string;
  /** Inserts a new document with `_v = 1`. Duplicate `_id` or unique-index value → MINFLOW_ERR_STORE_DUPLICATE (409). */
  insert(doc: NewDoc<T>): Promise<T>;
  /**
   * Inserts in order, in batches (seeding, imports). On a duplicate the documents before it stay
   * inserted and MINFLOW_ERR_STORE_DUPLICATE carries `params.inserted` (how many).
   */
  insertMany(docs: NewDoc<T>[]): Promise<T[]>;
  get(id: string): Promise<T | null>;
  findOne(filter: Filter): Promise<T | null>;
  find(filter: Filter, options?: FindOptions): Promise<Page<T>>;
  count(filter: Filter): Promise<number>;
  /**
   * Replaces the document if its stored `_v` equals `expectedVersion`; returns it with `_v + 1`.
   * Wrong version → MINFLOW_ERR_STORE_VERSION_CONFLICT (409); missing → MINFLOW_ERR_STORE_NOT_FOUND (404).
   */
  replace(id: string, expectedVersion: number, next: NewDoc<T>): Promise<T>;
  /** Unconditional upsert (projections written idempotently from an aggregate). */
  put(doc: NewDoc<T>): Promise<T>;
  /** Deletes; with `expectedVersion` only if it matches. Returns whether a document was deleted. */
  delete(id: string, expectedVersion?: number): Promise<boolean>;
  /** Deletes every match; returns how many. */
  deleteMany(filter: Filter): Promise<number>;
}

/** A document, or a function that makes it when its write runs (after the batch's earlier writes). */
export type DocInput<T extends StoredDoc = StoredDoc> = NewDoc<T> | (() => NewDoc<T>);

/** One write of a `DocumentStore.write` batch; the same semantics as the `Collection` method of that name. */
export type WriteOp =
  | { op: 'insert'; collection: string; doc: DocInput }
  | { op: 'replace'; collection: string; id: string; expectedVersion: number; doc: DocInput }
  | { op: 'put'; collection: string; doc: DocInput }
  | { op: 'delete'; collection: string; id: string; expectedVersion?: number }
  /**
   * Inserts `build(last)`, where `last` is the collection's document with the greatest `_id` (null
   * when empty): sequences and hash chains. Where `atomicWrites` is true the read and the insert
   * are one unit (no other writer can append in between); elsewhere a writer that lost the race
   * gets MINFLOW_ERR_STORE_DUPLICATE for the `_id` it built.
   */
  | { op: 'append'; collection: string; build: (last: StoredDoc | null) => NewDoc<StoredDoc> };

/** Per op of a batch: the written document (insert, replace, put, append) or whether a document was deleted. */
export type WriteResult = StoredDoc | boolean;

export interface DocumentStore {
  readonly kind: 'embedded' | 'mongodb';
  /**
   * Whether `write` is all-or-nothing. True on the embedded adapter (one transaction: one commit,
   * and a failing op undoes the ones before it). False on mongodb, where the ops before a failing
   * one stay written (its error says how many in `params.applied`).
   */
  readonly atomicWrites: boolean;
  /**
   * Runs the ops in order as one unit (see `atomicWrites`) and returns one result per op. The first
   * failing op's error is thrown (the usual store error) with `params.op` (its index) and
   * `params.applied` (how many ops stay written: 0 where atomic).
   */
  write(ops: WriteOp[]): Promise<WriteResult[]>;
  /** Creates the collection and its indexes if missing (idempotent); call once per collection at start-up. */
  ensureCollection(spec: CollectionSpec): Promise<void>;
  collection<T extends StoredDoc = StoredDoc>(name: string): Collection<T>;
  /** Health probe. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
