/**
 * MongoDB document store (official driver), used when `MONGODB_URL` is set. Runs on MongoDB
 * (standalone, replica set, sharded by `_id`) and on FerretDB 1.24: it uses only single-document
 * writes, find with filter/sort/limit/projection, count, and createIndexes/listIndexes — no
 * transactions, aggregation pipelines in updates, collations or `$expr`. Filters are rebuilt
 * from the validated AST (filter.ts), never passed through from the caller.
 */
import {
  type Db,
  MongoBulkWriteError,
  MongoClient,
  type Collection as MongoCollection,
  type Filter as MongoFilter,
  MongoServerError,
  type Sort,
} from 'mongodb';
import { MinflowError } from '../../errors/registry.js';
import {
  bodyOf,
  checkCollectionSpec,
  checkDocument,
  checkName,
  decodeCursor,
  encodeCursor,
  getPath,
  normalizeOptions,
  project,
  queryHash,
  writeInOrder,
} from './common.js';
import { type Cond, escapeRegex, type FieldOp, parseFilter } from './filter.js';
import { hasElemMatch, matches, withoutElemMatch } from './match.js';
import type {
  Collection,
  CollectionSpec,
  DocumentStore,
  Filter,
  FindOptions,
  IndexSpec,
  NewDoc,
  Page,
  StoredDoc,
  WriteOp,
  WriteResult,
} from './port.js';

type Doc = Record<string, unknown> & { _id: string };

function opToMongo(op: FieldOp): Record<string, unknown> {
  switch (op.op) {
    case 'eq':
      return { $eq: op.value };
    case 'ne':
      return { $ne: op.value };
    case 'in':
      return { $in: op.values };
    case 'nin':
      return { $nin: op.values };
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return { [`$${op.op}`]: op.value };
    case 'exists':
      return { $exists: op.value };
    case 'prefix':
      return { $regex: `^${escapeRegex(op.value)}` };
    case 'elemMatch':
      if (op.match.kind === 'scalar') return { $elemMatch: Object.assign({}, ...op.match.ops.map(opToMongo)) };
      return { $elemMatch: condToMongo(op.match.cond) };
  }
}

/** Rebuilds a MongoDB filter from the validated AST. */
export function condToMongo(cond: Cond): Record<string, unknown> {
  switch (cond.kind) {
    case 'and': {
      const items = cond.items.map(condToMongo);
      return items.length === 0 ? {} : items.length === 1 ? items[0] : { $and: items };
    }
    case 'or':
      return { $or: cond.items.map(condToMongo) };
    case 'field': {
      const parts = cond.ops.map((op) => ({ [cond.path]: opToMongo(op) }));
      return parts.length === 1 ? parts[0] : { $and: parts };
    }
  }
}

/** "After the row whose sort keys were `values`" with MongoDB's order (null/missing first ascending). */
function keysetToMongo(keys: [string, 1 | -1][], values: unknown[]): Record<string, unknown> {
  const branches: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i++) {
    const parts: Record<string, unknown>[] = [];
    for (let j = 0; j < i; j++) parts.push({ [keys[j][0]]: values[j] ?? null });
    const [path, dir] = keys[i];
    const v = values[i] ?? null;
    if (dir === 1) parts.push(v === null ? { [path]: { $ne: null } } : { [path]: { $gt: v } });
    else if (v === null) continue;
    else parts.push({ $or: [{ [path]: { $lt: v } }, { [path]: null }] });
    branches.push(parts.length === 1 ? parts[0] : { $and: parts });
  }
  return branches.length === 0 ? { _id: { $exists: false } } : { $or: branches };
}

function isDuplicate(err: unknown): boolean {
  if (!(err instanceof MongoServerError || err instanceof MongoBulkWriteError)) return false;
  if (err.code === 11000 || err.code === 11001) return true;
  // FerretDB 1.24 reports a unique-index violation during an update as InternalError (code 1)
  // carrying the backend's message (SQLite or PostgreSQL).
  return err.code === 1 && /UNIQUE constraint failed|duplicate key value violates unique constraint/.test(err.message);
}

function duplicateIndex(err: unknown): string {
  const e = err as { keyPattern?: Record<string, unknown>; message?: string; errInfo?: unknown };
  const m = /E11000 .*index: (\S+)/.exec(String(e.message ?? ''));
  if (m) return m[1] === '_id_' ? '_id' : m[1];
  if (e.keyPattern && Object.keys(e.keyPattern).length === 1 && '_id' in e.keyPattern) return '_id';
  return 'unique index';
}

function mapError(err: unknown): never {
  if (err instanceof MinflowError) throw err;
  if (isDuplicate(err)) {
    const index = duplicateIndex(err);
    throw new MinflowError('MINFLOW_ERR_STORE_DUPLICATE', {
      params: { index },
      details: [
        { path: index === '_id' ? '/_id' : '/', message: index === '_id' ? 'duplicate _id' : `unique index ${index}` },
      ],
      cause: err,
    });
  }
  const name = (err as Error)?.name ?? '';
  if (
    /MongoServerSelectionError|MongoNetworkError|MongoNotConnectedError|MongoTopologyClosedError|PoolClosed/.test(name)
  )
    throw new MinflowError('MINFLOW_ERR_STORE_UNAVAILABLE', { cause: err });
  throw err;
}

async function guard<R>(fn: () => Promise<R>): Promise<R> {
  try {
    return await fn();
  } catch (err) {
    mapError(err);
  }
}

function fresh(body: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
}

export class MongoStore implements DocumentStore {
  readonly kind = 'mongodb' as const;
  /** No multi-document transactions (FerretDB 1.x, standalone servers): a batch is applied in order, not atomically. */
  readonly atomicWrites = false;
  private readonly specs = new Map<string, IndexSpec[]>();
  private readonly collections = new Map<string, MongoDocCollection<StoredDoc>>();

  /** Short-lived per-(document, version) locks; used on FerretDB only (see `casLocked`). */
  readonly locks: MongoCollection<{ _id: string; at: number }>;

  constructor(
    readonly client: MongoClient,
    readonly db: Db,
    /**
     * FerretDB 1.x evaluates a write's filter and then writes, without isolation, so
     * `replaceOne({_id, _v})` is not a compare-and-swap there, and its `$elemMatch` is incomplete.
     * When set, version-checked writes take a lock document (atomic unique `_id` insert) and
     * `$elemMatch` is checked in process.
     */
    readonly ferretdb: boolean,
    private readonly ownsClient = true,
  ) {
    this.locks = db.collection('_minflow_locks');
  }

  indexes(name: string): IndexSpec[] {
    return this.specs.get(name) ?? [];
  }

  async ensureCollection(spec: CollectionSpec): Promise<void> {
    checkCollectionSpec(spec);
    await guard(async () => {
      const existing = await this.db.listCollections({ name: spec.name }, { nameOnly: true }).toArray();
      if (existing.length === 0) {
        try {
          await this.db.createCollection(spec.name);
        } catch (err) {
          if (!(err instanceof MongoServerError && err.code === 48)) throw err; // created meanwhile
        }
      }
      const coll = this.db.collection(spec.name);
      const current = new Map((await coll.listIndexes().toArray()).map((i) => [i.name as string, i]));
      for (const index of spec.indexes ?? []) {
        const fields = Object.entries(index.fields);
        const key: Record<string, 1 | -1> = Object.fromEntries(fields);
        // `_id` last (in the last key's direction) so `sort by field, then _id` is one index scan.
        if (!index.unique && !('_id' in key)) key._id = fields[fields.length - 1][1];
        const have = current.get(index.name);
        if (have) {
          const same = JSON.stringify(have.key) === JSON.stringify(key) && !!have.unique === !!index.unique;
          if (same) continue;
          await coll.dropIndex(index.name);
        }
        await coll.createIndex(key, { name: index.name, unique: !!index.unique });
      }
    });
    this.specs.set(spec.name, spec.indexes ?? []);
  }

  collection<T extends StoredDoc = StoredDoc>(name: string): Collection<T> {
    let c = this.collections.get(name);
    if (!c) {
      checkName(name, 'collection');
      c = new MongoDocCollection<StoredDoc>(this, this.db.collection<Doc>(name), name);
      this.collections.set(name, c);
    }
    return c as unknown as Collection<T>;
  }

  /** The ops one after another; the first failure stops the batch and the ones before it stay written. */
  async write(ops: WriteOp[]): Promise<WriteResult[]> {
    return writeInOrder(this, ops);
  }

  async ping(): Promise<void> {
    await guard(() => this.db.command({ ping: 1 }));
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.close();
  }
}

const LOCK_STALE_MS = 30_000;
const SCAN_BATCH = 500;

class MongoDocCollection<T extends StoredDoc> implements Collection<T> {
  constructor(
    private readonly store: MongoStore,
    private readonly coll: MongoCollection<Doc>,
    readonly name: string,
  ) {}

  private check(doc: NewDoc<T>): Record<string, unknown> {
    checkDocument(doc as Record<string, unknown>, this.store.indexes(this.name));
    return fresh(bodyOf(doc as Record<string, unknown>));
  }

  /**
   * Names the index a duplicate-key error is about. MongoDB says it in the message; FerretDB
   * does not, so the stored documents are asked which unique value is taken.
   */
  private async duplicateOf(err: unknown, doc: Doc, idKnownToExist = false): Promise<MinflowError> {
    let index = duplicateIndex(err);
    if (index === 'unique index') {
      if (!idKnownToExist && (await this.coll.findOne({ _id: doc._id }, { projection: { _id: 1 } }))) index = '_id';
      else {
        for (const spec of this.store.indexes(this.name).filter((i) => i.unique)) {
          const query: Record<string, unknown> = { _id: { $ne: doc._id } };
          for (const path of Object.keys(spec.fields)) query[path] = getPath(doc, path) ?? null;
          if (await this.coll.findOne(query as MongoFilter<Doc>, { projection: { _id: 1 } })) {
            index = spec.name;
            break;
          }
        }
      }
    }
    return new MinflowError('MINFLOW_ERR_STORE_DUPLICATE', {
      params: { index },
      details: [
        { path: index === '_id' ? '/_id' : '/', message: index === '_id' ? 'duplicate _id' : `unique index ${index}` },
      ],
      cause: err,
    });
  }

  async insert(doc: NewDoc<T>): Promise<T> {
    const body = this.check(doc);
    const stored: Doc = { _id: doc._id as string, _v: 1, ...body };
    try {
      await this.coll.insertOne(stored);
    } catch (err) {
      if (isDuplicate(err)) throw await this.duplicateOf(err, stored);
      mapError(err);
    }
    return { ...stored } as unknown as T;
  }

  async insertMany(docs: NewDoc<T>[]): Promise<T[]> {
    const stored: Doc[] = [];
    for (const doc of docs) stored.push({ _id: doc._id as string, _v: 1, ...this.check(doc) });
    if (stored.length === 0) return [];
    try {
      await this.coll.insertMany(stored, { ordered: true });
    } catch (err) {
      if (isDuplicate(err)) {
        const inserted = err instanceof MongoBulkWriteError ? err.result.insertedCount : 0;
        const dup = await this.duplicateOf(err, stored[inserted] ?? stored[0]);
        throw new MinflowError('MINFLOW_ERR_STORE_DUPLICATE', {
          params: { ...dup.params, inserted },
          details: [
            { path: `/${inserted}${dup.params.index === '_id' ? '/_id' : ''}`, message: dup.details[0].message },
          ],
          cause: err,
        });
      }
      mapError(err);
    }
    return stored as unknown as T[];
  }

  async get(id: string): Promise<T | null> {
    if (typeof id !== 'string') return null;
    return (await guard(() => this.coll.findOne({ _id: id }))) as T | null;
  }

  async findOne(filter: Filter): Promise<T | null> {
    const page = await this.find(filter, { limit: 1 });
    return page.items[0] ?? null;
  }

  /** The filter to send, and the condition to re-check in process when the server cannot evaluate it exactly. */
  private query(cond: Cond): { pushed: Record<string, unknown>; recheck: Cond | null } {
    if (!this.store.ferretdb || !hasElemMatch(cond)) return { pushed: condToMongo(cond), recheck: null };
    const relaxed = withoutElemMatch(cond);
    return { pushed: relaxed === true ? {} : condToMongo(relaxed), recheck: cond };
  }

  async find(filter: Filter, options?: FindOptions): Promise<Page<T>> {
    const cond = parseFilter(filter);
    const { sort, limit, projection } = normalizeOptions(options);
    const hash = queryHash(this.name, cond, sort);
    const { pushed, recheck } = this.query(cond);
    const mongoSort: Sort = Object.fromEntries(sort);
    let fields: Record<string, 1> | undefined;
    if (projection && !recheck) {
      fields = { _id: 1, _v: 1 };
      for (const f of projection) fields[f] = 1;
      for (const [path] of sort) fields[path.split('.')[0]] = 1;
    }
    const after = (values: unknown[] | null) => {
      if (!values) return pushed;
      const keyset = keysetToMongo(sort, values);
      return Object.keys(pushed).length === 0 ? keyset : { $and: [pushed, keyset] };
    };
    const keyOf = (doc: unknown) =>
      sort.map(([path]) => {
        const v = getPath(doc, path);
        return v === undefined ? null : v;
      });
    let position = options?.cursor ? decodeCursor(options.cursor, hash, sort.length) : null;
    const found: T[] = [];
    // One round trip normally; when re-checking in process, scan in keyset batches until the page is full.
    for (;;) {
      const batch = recheck ? Math.max(limit + 1, SCAN_BATCH) : limit + 1;
      const docs = (await guard(() =>
        this.coll
          .find(after(position) as MongoFilter<Doc>, { sort: mongoSort, limit: batch, projection: fields })
          .toArray(),
      )) as unknown as T[];
      for (const d of docs) {
        if (recheck && !matches(recheck, d)) continue;
        found.push(d);
        if (found.length > limit) break;
      }
      if (!recheck || found.length > limit || docs.length < batch) break;
      position = keyOf(docs[docs.length - 1]);
    }
    const more = found.length > limit;
    const page = more ? found.slice(0, limit) : found;
    const nextCursor = more ? encodeCursor(hash, keyOf(page[page.length - 1])) : null;
    return { items: page.map((d) => project(d, projection)), nextCursor };
  }

  /** Every matching `_id` (only used when re-checking in process). */
  private async matchingIds(pushed: Record<string, unknown>, recheck: Cond): Promise<string[]> {
    const ids: string[] = [];
    await guard(async () => {
      for await (const d of this.coll.find(pushed as MongoFilter<Doc>)) if (matches(recheck, d)) ids.push(d._id);
    });
    return ids;
  }

  async count(filter: Filter): Promise<number> {
    const { pushed, recheck } = this.query(parseFilter(filter));
    if (recheck) return (await this.matchingIds(pushed, recheck)).length;
    return guard(() => this.coll.countDocuments(pushed as MongoFilter<Doc>));
  }

  /**
   * Runs a write that must only happen while the document is at `version`. On MongoDB the write's
   * own filter (`{_id, _v}`) is atomic. On FerretDB a lock document `(collection, id, version)` is
   * inserted first (unique `_id` inserts are atomic there), so of several writers starting from
   * the same version exactly one proceeds; the lock is removed after the write. A lock left by a
   * crashed writer is taken over after LOCK_STALE_MS.
   */
  private async casLocked<R>(id: string, version: number, write: () => Promise<R>): Promise<R | 'conflict'> {
    if (!this.store.ferretdb) return write();
    const lockId = JSON.stringify([this.name, id, version]);
    const now = Date.now();
    try {
      await this.store.locks.insertOne({ _id: lockId, at: now });
    } catch (err) {
      if (!isDuplicate(err)) mapError(err);
      const held = await guard(() => this.store.locks.findOne({ _id: lockId }));
      if (!held || now - held.at < LOCK_STALE_MS) return 'conflict';
      const taken = await guard(() => this.store.locks.updateOne({ _id: lockId, at: held.at }, { $set: { at: now } }));
      if (taken.modifiedCount !== 1) return 'conflict';
    }
    try {
      return await write();
    } finally {
      await this.store.locks.deleteOne({ _id: lockId, at: now }).catch(() => {});
    }
  }

  private async conflictOrMissing(id: string, expectedVersion: number): Promise<never> {
    const current = await guard(() => this.coll.findOne({ _id: id }, { projection: { _v: 1 } }));
    if (!current) throw new MinflowError('MINFLOW_ERR_STORE_NOT_FOUND', { params: { id } });
    throw new MinflowError('MINFLOW_ERR_STORE_VERSION_CONFLICT', {
      params: { id, expected: expectedVersion, actual: current._v },
    });
  }

  /** replaceOne({_id, _v}) → whether it matched; duplicate keys named. */
  private async replaceAt(id: string, version: number, stored: Doc): Promise<boolean> {
    const res = await this.casLocked(id, version, async () => {
      try {
        return await this.coll.replaceOne({ _id: id, _v: version }, stored);
      } catch (err) {
        if (isDuplicate(err)) throw await this.duplicateOf(err, stored, true);
        mapError(err);
      }
    });
    return res !== 'conflict' && res.matchedCount === 1;
  }

  async replace(id: string, expectedVersion: number, next: NewDoc<T>): Promise<T> {
    const body = this.check({ ...next, _id: id } as NewDoc<T>);
    const stored: Doc = { _id: id, _v: expectedVersion + 1, ...body };
    if (await this.replaceAt(id, expectedVersion, stored)) return { ...stored } as unknown as T;
    return this.conflictOrMissing(id, expectedVersion);
  }

  /** Upsert with a version bump, as an optimistic loop of single-document writes (no pipelines, no transactions). */
  async put(doc: NewDoc<T>): Promise<T> {
    const id = doc._id as string;
    const body = this.check(doc);
    for (let attempt = 0; attempt < 50; attempt++) {
      const current = await guard(() => this.coll.findOne({ _id: id }, { projection: { _v: 1 } }));
      if (!current) {
        const stored: Doc = { _id: id, _v: 1, ...body };
        try {
          await this.coll.insertOne(stored);
          return { ...stored } as unknown as T;
        } catch (err) {
          if (!isDuplicate(err)) mapError(err);
          const dup = await this.duplicateOf(err, stored);
          if (dup.params.index !== '_id') throw dup;
          continue; // inserted meanwhile: replace it instead
        }
      }
      const v = current._v as number;
      const stored: Doc = { _id: id, _v: v + 1, ...body };
      if (await this.replaceAt(id, v, stored)) return { ...stored } as unknown as T;
      await new Promise((r) => setTimeout(r, Math.random() * 5 * (attempt + 1)));
    }
    throw new MinflowError('MINFLOW_ERR_STORE_VERSION_CONFLICT', { params: { id } });
  }

  async delete(id: string, expectedVersion?: number): Promise<boolean> {
    if (expectedVersion === undefined) {
      const res = await guard(() => this.coll.deleteOne({ _id: id }));
      return res.deletedCount > 0;
    }
    const res = await this.casLocked(id, expectedVersion, () =>
      guard(() => this.coll.deleteOne({ _id: id, _v: expectedVersion })),
    );
    return res !== 'conflict' && res.deletedCount > 0;
  }

  async deleteMany(filter: Filter): Promise<number> {
    const { pushed, recheck } = this.query(parseFilter(filter));
    if (!recheck) return (await guard(() => this.coll.deleteMany(pushed as MongoFilter<Doc>))).deletedCount;
    const ids = await this.matchingIds(pushed, recheck);
    let deleted = 0;
    for (let i = 0; i < ids.length; i += 1000) {
      const chunk = ids.slice(i, i + 1000);
      deleted += (await guard(() => this.coll.deleteMany({ _id: { $in: chunk } }))).deletedCount;
    }
    return deleted;
  }
}

/** The database named in the URL path, else `minflow`. */
export function databaseFromUrl(url: string): string {
  const m = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?/]+)/.exec(url);
  return m ? decodeURIComponent(m[1]) : 'minflow';
}

export interface MongoStoreOptions {
  /** Overrides the database named in the URL (tests use one database each). */
  dbName?: string;
  serverSelectionTimeoutMS?: number;
}

/** Connects to MongoDB (or FerretDB) and returns the store; fails with MINFLOW_ERR_STORE_UNAVAILABLE when unreachable. */
export async function openMongoStore(url: string, options: MongoStoreOptions = {}): Promise<MongoStore> {
  const client = new MongoClient(url, {
    ignoreUndefined: true,
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 10_000,
    appName: 'minflow',
  });
  try {
    await client.connect();
  } catch (err) {
    await client.close().catch(() => {});
    throw new MinflowError('MINFLOW_ERR_STORE_UNAVAILABLE', { cause: err });
  }
  const name = options.dbName ?? databaseFromUrl(url);
  checkName(name, 'database');
  let ferretdb = false;
  try {
    const info = await client.db('admin').command({ buildInfo: 1 });
    ferretdb = typeof info.ferretdbVersion === 'string';
  } catch (err) {
    await client.close().catch(() => {});
    throw new MinflowError('MINFLOW_ERR_STORE_UNAVAILABLE', { cause: err });
  }
  return new MongoStore(client, client.db(name), ferretdb);
}
