/**
 * Embedded document store: one SQLite file (`<dataDir>/minflow.sqlite`) through better-sqlite3.
 *
 * Layout: one table per collection `c_<name>(rid, id UNIQUE, v, doc JSON text)`. A declared
 * index on scalar fields is a SQLite expression index on `json_extract(doc, '$."field"')` (plus
 * `id`, so `ORDER BY field, _id` is one index scan). A multikey index (array fields such as
 * `candidateRoles`) is a side table `m_<coll>__<index>(rid, id, k0, k1, ...)` holding one row per
 * array element, kept in step by SQLite triggers, so every writer (any process) maintains it in
 * the same statement as the document. Queries with an equality on a multikey index's leading
 * fields walk that side table in index order (the inbox query); a string equality / `$in` on
 * the leading field of another multikey index is answered by its side table (a per-row probe, or
 * `rid IN (...)` to drive the query). Every other condition is evaluated on the document.
 *
 * Limits of the embedded mode (also in README.md):
 * - One machine. Several engine processes may open the same file (WAL + busy_timeout): writes
 *   are serialized by SQLite's file lock, a writer waits up to `busyTimeoutMs` for it and then
 *   fails with MINFLOW_ERR_STORE_UNAVAILABLE. Never put the file on a network filesystem (NFS,
 *   SMB): WAL needs shared memory on one host.
 * - better-sqlite3 is synchronous: a query blocks the Node event loop while it runs. Queries the
 *   engine makes are index-backed and short; unindexed filters scan the table.
 * - Fields of a non-multikey index must not hold arrays and unique-index fields are required (the
 *   same rule on both adapters, so MongoDB and SQLite agree on what is a duplicate).
 * - Sorting on array fields and implicit array traversal in the middle of a dotted path
 *   (`items.price` where `items` is an array) are not supported; use `$elemMatch`.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { MinflowError } from '../../errors/registry.js';
import {
  bodyOf,
  checkCollectionSpec,
  checkDocument,
  checkName,
  decodeCursor,
  docOf,
  encodeCursor,
  normalizeOptions,
  project,
  queryHash,
} from './common.js';
import { condSql, fieldExpr, jsonPath, keysetSql, ROOT, type SqlCtx } from './embedded-sql.js';
import { type Cond, conjuncts, type FieldOp, parseFilter, type Scalar } from './filter.js';
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

export interface EmbeddedStoreOptions {
  /** The SQLite file (created if missing), or ':memory:'. */
  file: string;
  /** How long a writer waits for another process's write lock before failing (ms). */
  busyTimeoutMs?: number;
  /**
   * After this many writes, WAL checkpoints move to a worker thread (default 500; 0 never):
   * copying the WAL into the database file and its fsyncs then no longer block the event loop.
   */
  backgroundCheckpointAfter?: number;
}

export const EMBEDDED_FILE = 'minflow.sqlite';

const STATEMENT_CACHE = 500;
/** How often (at most) to ask SQLite whether another process changed the schema (ms). */
const SCHEMA_RECHECK_MS = 1000;
/** How often the background checkpointer runs a PASSIVE checkpoint (ms). */
const CHECKPOINT_EVERY_MS = 250;
/** With the background checkpointer on, the writer's own automatic checkpoint is only a backstop (pages, ~40 MB). */
const BACKSTOP_AUTOCHECKPOINT = 10_000;

/**
 * The background checkpointer: its own connection on the file, a PASSIVE checkpoint (never waits
 * for or blocks writers, readers or other processes) every CHECKPOINT_EVERY_MS, and a last one at stop.
 */
const CHECKPOINTER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { timeout: 0 });
const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} };
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', () => { clearInterval(timer); checkpoint(); db.close(); parentPort.close(); });
`;
/** Bumped when the SQL shape of indexes or triggers changes, so existing files get them rebuilt. */
const LAYOUT = 3;

type Stmt = Database.Statement<unknown[], unknown>;

interface Row {
  id: string;
  v: number;
  doc: string;
  [sortKey: string]: unknown;
}

const q = (name: string) => `"${name}"`;
const table = (coll: string) => q(`c_${coll}`);
const sideTable = (coll: string, index: string) => q(`m_${coll}__${index}`);

/** The values of an equality / `$in` made only of strings (what a side table answers exactly). */
function stringValues(op: FieldOp): string[] | null {
  if (op.op === 'eq') return typeof op.value === 'string' ? [op.value] : null;
  if (op.op === 'in' && op.values.length > 0 && op.values.every((v) => typeof v === 'string'))
    return op.values as string[];
  return null;
}

/** At most this many arms for the OR-by-index plan; a filter with more is planned as one query. */
const MAX_OR_ARMS = 16;

/**
 * The filter as a union of conjunctions ("arms"), so each can be answered by its own index: the
 * `$or`s among the top-level conjuncts are multiplied out (`a AND (b OR c)` → `a AND b`, `a AND c`).
 * Identical arms are merged and an arm that holds every condition of another is dropped (the
 * other already matches its rows). A filter without `$or`, or one that would give more than
 * MAX_OR_ARMS arms, is one arm: itself.
 */
export function orArms(cond: Cond): Cond[] {
  if (!conjuncts(cond).some((c) => c.kind === 'or')) return [cond];
  const expand = (c: Cond): Cond[][] | null => {
    if (c.kind === 'field') return [[c]];
    if (c.kind === 'or') {
      const out: Cond[][] = [];
      for (const item of c.items) {
        const sub = expand(item);
        if (!sub || out.length + sub.length > MAX_OR_ARMS) return null;
        out.push(...sub);
      }
      return out;
    }
    let out: Cond[][] = [[]];
    for (const item of c.items) {
      const sub = expand(item);
      if (!sub || out.length * sub.length > MAX_OR_ARMS) return null;
      out = out.flatMap((a) => sub.map((b) => [...a, ...b]));
    }
    return out;
  };
  const expanded = expand(cond);
  if (!expanded || expanded.length === 0) return [cond];
  const keyed = expanded.map((arm) => {
    const byKey = new Map(arm.map((c) => [JSON.stringify(c), c]));
    return { keys: new Set(byKey.keys()), items: [...byKey.values()] };
  });
  const kept = keyed.filter(
    (a, i) =>
      !keyed.some(
        (b, j) =>
          j !== i &&
          [...b.keys].every((k) => a.keys.has(k)) &&
          // Of two identical arms the first stays.
          (b.keys.size < a.keys.size || j < i),
      ),
  );
  return kept.map((a) => (a.items.length === 1 ? a.items[0] : { kind: 'and', items: a.items }));
}

/**
 * Whether no document can match two of the arms: every pair has a field that is never an array
 * (`scalar`) with equalities to different values (`assignee: 'u1'` and `assignee: null`).
 */
function disjoint(arms: Cond[], scalar: ReadonlySet<string>): boolean {
  const eqs = arms.map((arm) => {
    const m = new Map<string, Scalar>();
    for (const c of conjuncts(arm))
      if (c.kind === 'field' && scalar.has(c.path)) for (const op of c.ops) if (op.op === 'eq') m.set(c.path, op.value);
    return m;
  });
  return eqs.every((a, i) =>
    eqs.every((b, j) => j <= i || [...a].some(([path, v]) => b.has(path) && b.get(path) !== v)),
  );
}

function toDoc<T extends StoredDoc>(row: { id: string; v: number; doc: string }): T {
  return { _id: row.id, _v: row.v, ...(JSON.parse(row.doc) as object) } as T;
}

function sqliteCode(err: unknown): string {
  return typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : '';
}

/** The store error for a SQLite error (duplicates, a lock not obtained in time); others unchanged. */
function storeError(err: unknown): unknown {
  if (err instanceof MinflowError) return err;
  const code = sqliteCode(err);
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const message = String((err as Error).message);
    const m = /index '(?:i|u|m)_[A-Za-z0-9_]+?__([A-Za-z0-9_]+?)(?:__k)?'/.exec(message);
    return new MinflowError('MINFLOW_ERR_STORE_DUPLICATE', {
      params: { index: m ? m[1] : '_id' },
      details: [{ path: m ? '/' : '/_id', message: m ? `unique index ${m[1]}` : 'duplicate _id' }],
      cause: err,
    });
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') || code === 'SQLITE_IOERR')
    return new MinflowError('MINFLOW_ERR_STORE_UNAVAILABLE', { cause: err });
  return err;
}

export class EmbeddedStore implements DocumentStore {
  readonly kind = 'embedded' as const;
  readonly atomicWrites = true;
  readonly db: Database.Database;
  private readonly statements = new Map<string, Stmt>();
  private readonly specs = new Map<string, IndexSpec[]>();
  private readonly tables = new Set<string>();
  private readonly collections = new Map<string, EmbeddedCollection<StoredDoc>>();
  private schemaVersion = -1;
  /** Inside a `write` transaction the schema cannot change under us: check it once per batch. */
  private schemaPinned = false;
  private schemaCheckedAt = 0;
  private closed = false;
  private writesUntilCheckpointer: number;
  private checkpointer: Worker | null = null;

  constructor(private readonly options: EmbeddedStoreOptions) {
    this.writesUntilCheckpointer = options.file === ':memory:' ? 0 : (options.backgroundCheckpointAfter ?? 500);
    if (options.file !== ':memory:') fs.mkdirSync(path.dirname(options.file), { recursive: true });
    try {
      this.db = new Database(options.file, { timeout: options.busyTimeoutMs ?? 5000 });
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('cache_size = -32768');
      this.db.pragma('temp_store = MEMORY');
      this.db.pragma('mmap_size = 1073741824');
      this.db.exec(
        'CREATE TABLE IF NOT EXISTS _minflow_indexes (coll TEXT NOT NULL, name TEXT NOT NULL, spec TEXT NOT NULL, PRIMARY KEY (coll, name)) WITHOUT ROWID',
      );
    } catch (err) {
      throw new MinflowError('MINFLOW_ERR_STORE_UNAVAILABLE', { cause: err });
    }
  }

  /** Prepared statements, cached by SQL text (bounded; least recently prepared evicted first). */
  stmt(sql: string): Stmt {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      if (this.statements.size >= STATEMENT_CACHE) {
        const oldest = this.statements.keys().next().value;
        if (oldest !== undefined) this.statements.delete(oldest);
      }
      this.statements.set(sql, s);
    }
    return s;
  }

  /** Counts writes; at the threshold, checkpoints move to a worker thread (a store that is written to under load). */
  noteWrite(): void {
    if (this.writesUntilCheckpointer <= 0 || --this.writesUntilCheckpointer > 0) return;
    const worker = new Worker(CHECKPOINTER_SOURCE, {
      eval: true,
      workerData: {
        file: this.options.file,
        module: createRequire(import.meta.url).resolve('better-sqlite3'),
        everyMs: CHECKPOINT_EVERY_MS,
      },
    });
    worker.unref();
    // Should the worker fail, the writer checkpoints by itself again.
    worker.once('error', () => {
      if (!this.closed) this.db.pragma('wal_autocheckpoint = 1000');
    });
    this.checkpointer = worker;
    this.db.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT}`);
  }

  /** Runs `fn`, turning SQLite errors into store errors. */
  guard<R>(fn: () => R): R {
    if (this.closed) throw new MinflowError('MINFLOW_ERR_STORE_UNAVAILABLE');
    try {
      return fn();
    } catch (err) {
      // Planned with index declarations another process has just changed: reload them, once.
      if (!(err instanceof MinflowError) && /no such (table|index)/.test(String((err as Error)?.message))) {
        this.schemaVersion = -1;
        try {
          return fn();
        } catch (again) {
          throw storeError(again);
        }
      }
      throw storeError(err);
    }
  }

  /** One IMMEDIATE transaction (one commit) for the whole batch; any failure rolls all of it back. */
  async write(ops: WriteOp[]): Promise<WriteResult[]> {
    if (this.closed) throw new MinflowError('MINFLOW_ERR_STORE_UNAVAILABLE');
    let at: number | null = null;
    this.schemaCheckedAt = 0; // a write checks the schema once, inside its transaction
    const run = this.db.transaction(() => {
      const results: WriteResult[] = [];
      for (let i = 0; i < ops.length; i++) {
        at = i;
        results.push(this.apply(ops[i]));
        this.schemaPinned = true;
      }
      at = null;
      return results;
    });
    try {
      return run.immediate();
    } catch (err) {
      const mapped = storeError(err);
      if (!(mapped instanceof MinflowError)) throw mapped;
      throw new MinflowError(mapped.code, {
        params: { ...mapped.params, op: at, applied: 0 },
        details: mapped.details,
        cause: mapped.cause ?? err,
      });
    } finally {
      this.schemaPinned = false;
    }
  }

  private apply(op: WriteOp): WriteResult {
    const c = this.collection(op.collection) as unknown as EmbeddedCollection<StoredDoc>;
    switch (op.op) {
      case 'insert':
        return c.insertSync(docOf(op.doc));
      case 'replace':
        return c.replaceSync(op.id, op.expectedVersion, docOf(op.doc));
      case 'put':
        return c.putSync(docOf(op.doc));
      case 'delete':
        return c.deleteSync(op.id, op.expectedVersion);
      case 'append':
        return c.insertSync(op.build(c.lastSync()));
    }
  }

  /** Index specs of a collection, reloaded when another process changed the schema. */
  indexes(coll: string): IndexSpec[] {
    // Index declarations change only when an engine starts (ensureCollection): another process's
    // change is picked up within SCHEMA_RECHECK_MS; until then plans simply do not use a new index.
    const now = Date.now();
    if (this.schemaVersion !== -1 && (this.schemaPinned || now - this.schemaCheckedAt < SCHEMA_RECHECK_MS))
      return this.specs.get(coll) ?? [];
    this.schemaCheckedAt = now;
    const version = this.stmt('PRAGMA schema_version').pluck().get() as number;
    if (version !== this.schemaVersion) {
      this.specs.clear();
      const rows = this.stmt('SELECT coll, spec FROM _minflow_indexes ORDER BY coll, name').all() as {
        coll: string;
        spec: string;
      }[];
      for (const r of rows) {
        const list = this.specs.get(r.coll) ?? [];
        list.push(JSON.parse(r.spec) as IndexSpec);
        this.specs.set(r.coll, list);
      }
      this.schemaVersion = version;
    }
    return this.specs.get(coll) ?? [];
  }

  ensureTable(coll: string): void {
    if (this.tables.has(coll)) return;
    this.db.exec(
      `CREATE TABLE IF NOT EXISTS ${table(coll)} (rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, v INTEGER NOT NULL, doc TEXT NOT NULL)`,
    );
    this.tables.add(coll);
  }

  async ensureCollection(spec: CollectionSpec): Promise<void> {
    checkCollectionSpec(spec);
    this.guard(() => {
      const apply = this.db.transaction(() => {
        this.ensureTable(spec.name);
        const existing = new Map(
          (
            this.db.prepare('SELECT name, spec FROM _minflow_indexes WHERE coll = ?').all(spec.name) as {
              name: string;
              spec: string;
            }[]
          ).map((r) => [r.name, r.spec]),
        );
        for (const index of spec.indexes ?? []) {
          const json = JSON.stringify({
            layout: LAYOUT,
            name: index.name,
            fields: index.fields,
            unique: !!index.unique,
            multikey: !!index.multikey,
          });
          if (existing.get(index.name) === json) continue;
          if (existing.has(index.name)) this.dropIndex(spec.name, index.name);
          this.createIndex(spec.name, JSON.parse(json) as IndexSpec);
          this.db
            .prepare('INSERT OR REPLACE INTO _minflow_indexes (coll, name, spec) VALUES (?, ?, ?)')
            .run(spec.name, index.name, json);
        }
      });
      apply.immediate();
    });
    this.schemaVersion = -1;
  }

  private dropIndex(coll: string, name: string): void {
    for (const prefix of ['i', 'u'] as const) this.db.exec(`DROP INDEX IF EXISTS ${q(`${prefix}_${coll}__${name}`)}`);
    for (const op of ['ins', 'upd', 'del']) this.db.exec(`DROP TRIGGER IF EXISTS ${q(`t_${coll}__${name}__${op}`)}`);
    this.db.exec(`DROP TABLE IF EXISTS ${sideTable(coll, name)}`);
  }

  private createIndex(coll: string, index: IndexSpec): void {
    const fields = Object.entries(index.fields);
    if (!index.multikey) {
      const cols = fields.map(([f, d]) => `${fieldExpr(f, '')}${d === -1 ? ' DESC' : ''}`);
      const lastDir = fields[fields.length - 1][1] === -1 ? ' DESC' : '';
      const sql = index.unique
        ? `CREATE UNIQUE INDEX ${q(`u_${coll}__${index.name}`)} ON ${table(coll)} (${cols.join(', ')})`
        : `CREATE INDEX ${q(`i_${coll}__${index.name}`)} ON ${table(coll)} (${cols.join(', ')}, id${lastDir})`;
      this.db.exec(sql);
      return;
    }
    const side = sideTable(coll, index.name);
    const keys = fields.map((_, i) => `k${i}`);
    this.db.exec(`CREATE TABLE ${side} (rid INTEGER NOT NULL, id TEXT NOT NULL, ${keys.join(', ')})`);
    const lastDir = fields[fields.length - 1][1] === -1 ? ' DESC' : '';
    const keyCols = fields.map(([, d], i) => `k${i}${d === -1 ? ' DESC' : ''}`);
    this.db.exec(
      index.unique
        ? `CREATE UNIQUE INDEX ${q(`m_${coll}__${index.name}__k`)} ON ${side} (${keyCols.join(', ')})`
        : `CREATE INDEX ${q(`m_${coll}__${index.name}__k`)} ON ${side} (${keyCols.join(', ')}, id${lastDir}, rid)`,
    );
    this.db.exec(`CREATE INDEX ${q(`m_${coll}__${index.name}__id`)} ON ${side} (rid)`);
    // One row per combination of elements (a scalar is one element; a missing field or an
    // empty array gives one NULL, as MongoDB indexes them).
    const rows = (ref: string) => {
      const joins: string[] = [];
      const values = fields.map(([f], i) => {
        if (f === '_id') return `${ref}.id`;
        // Arrays give one row per element, a scalar one row; an object is not expanded into its members.
        const jp = jsonPath(f);
        joins.push(
          `LEFT JOIN json_each(CASE WHEN json_type(${ref}.doc,${jp}) = 'object' THEN NULL ELSE ${ref}.doc END,${jp}) AS e${i}`,
        );
        return `e${i}.value`;
      });
      return { values, joins };
    };
    const trig = (op: string) => q(`t_${coll}__${index.name}__${op}`);
    // Most writes (a status change, a new comment) leave an index's fields alone: skip its rows then.
    const changed = fields
      .filter(([f]) => f !== '_id')
      .map(([f]) => `json_extract(OLD.doc,${jsonPath(f)}) IS NOT json_extract(NEW.doc,${jsonPath(f)})`)
      .join(' OR ');
    const n = rows('NEW');
    const insertNew = `INSERT INTO ${side} (rid, id, ${keys.join(', ')}) SELECT DISTINCT NEW.rid, NEW.id, ${n.values.join(', ')} FROM (SELECT 1) ${n.joins.join(' ')};`;
    this.db.exec(`CREATE TRIGGER ${trig('ins')} AFTER INSERT ON ${table(coll)} BEGIN ${insertNew} END`);
    this.db.exec(
      `CREATE TRIGGER ${trig('upd')} AFTER UPDATE OF doc ON ${table(coll)} WHEN ${changed} BEGIN DELETE FROM ${side} WHERE rid = OLD.rid; ${insertNew} END`,
    );
    this.db.exec(
      `CREATE TRIGGER ${trig('del')} AFTER DELETE ON ${table(coll)} BEGIN DELETE FROM ${side} WHERE rid = OLD.rid; END`,
    );
    const b = rows('c');
    this.db.exec(
      `INSERT INTO ${side} (rid, id, ${keys.join(', ')}) SELECT DISTINCT c.rid, c.id, ${b.values.join(', ')} FROM ${table(coll)} AS c ${b.joins.join(' ')}`,
    );
  }

  collection<T extends StoredDoc = StoredDoc>(name: string): Collection<T> {
    let c = this.collections.get(name);
    if (!c) {
      checkName(name, 'collection');
      c = new EmbeddedCollection<StoredDoc>(this, name);
      this.collections.set(name, c);
    }
    return c as unknown as Collection<T>;
  }

  async ping(): Promise<void> {
    this.guard(() => this.stmt('SELECT 1').get());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const worker = this.checkpointer;
    if (worker) {
      // Its last checkpoint, then its connection closes; the writer's close checkpoints what is left.
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.ref(); // keep the process up until it is done
      worker.postMessage('stop');
      await exited;
    }
    this.statements.clear();
    this.db.close();
  }
}

interface Plan {
  sql: string;
  params: unknown[];
  /** How many sort keys are selected (as `s0`, `s1`, ...; the last is `_id`). */
  keyCount: number;
  projection: string[] | null;
  limit: number;
  /** Binds cursors to this query. */
  hash: string;
}

class EmbeddedCollection<T extends StoredDoc> implements Collection<T> {
  constructor(
    private readonly store: EmbeddedStore,
    readonly name: string,
  ) {}

  private ready(): IndexSpec[] {
    this.store.ensureTable(this.name);
    return this.store.indexes(this.name);
  }

  private ctx(indexes: IndexSpec[]): SqlCtx {
    // Writes refuse arrays in fields of non-multikey indexes, so those compare as scalars (and use the index).
    const scalar = new Set(indexes.filter((i) => !i.multikey).flatMap((i) => Object.keys(i.fields)));
    return { params: [], scalarFields: scalar, alias: 0 };
  }

  /**
   * WHERE clause for `cond`. A top-level equality / `$in` on strings against the leading field of
   * a multikey index is answered by that index's side table alone (its rows hold exactly the
   * string elements, or the scalar value; objects are not expanded), which SQLite can drive the
   * query from (`mode: 'in'`) or probe per row (`mode: 'exists'`, inside the ordered plan).
   * Everything else is evaluated on the document. `served` conjuncts are already guaranteed.
   */
  private where(
    cond: Cond,
    indexes: IndexSpec[],
    ctx: SqlCtx,
    mode: 'in' | 'exists',
    served = new Set<Cond>(),
    /** The id to probe with: `x.id` in the ordered plan, so the probe runs before the document is read. */
    idRef = 't.id',
  ): string {
    const parts: string[] = [];
    for (const c of conjuncts(cond)) {
      if (served.has(c)) continue;
      const values = c.kind === 'field' && c.ops.length === 1 ? stringValues(c.ops[0]) : null;
      const index =
        values && c.kind === 'field'
          ? indexes.find((i) => i.multikey && Object.keys(i.fields)[0] === c.path)
          : undefined;
      if (!values || !index) {
        parts.push(condSql(c, ROOT, ctx));
        continue;
      }
      ctx.params.push(...values);
      const side = sideTable(this.name, index.name);
      const list = values.map(() => '?').join(',');
      parts.push(
        mode === 'in'
          ? `t.rid IN (SELECT rid FROM ${side} WHERE k0 IN (${list}))`
          : `EXISTS (SELECT 1 FROM ${side} AS s WHERE s.k0 IN (${list}) AND s.id = ${idRef})`,
      );
    }
    return parts.length === 0 ? '1' : parts.join(' AND ');
  }

  /** An inbox-style plan: equalities on a multikey index's leading fields, the sort on the rest. */
  private orderedPlan(
    cond: Cond,
    sort: [string, 1 | -1][],
    indexes: IndexSpec[],
  ): { index: IndexSpec; eqs: Scalar[]; reversed: boolean; served: Set<Cond> } | null {
    const eqs = new Map<string, Scalar>();
    const byPath = new Map<string, Cond>();
    for (const c of conjuncts(cond)) {
      if (c.kind !== 'field') continue;
      for (const op of c.ops) {
        if (op.op === 'eq' && (typeof op.value === 'string' || typeof op.value === 'number')) {
          eqs.set(c.path, op.value);
          // A single string equality is exactly what the side-table column matches.
          if (c.ops.length === 1 && typeof op.value === 'string') byPath.set(c.path, c);
        }
      }
    }
    const sortFields = sort.slice(0, -1);
    for (const index of indexes) {
      if (!index.multikey) continue;
      const fields = Object.entries(index.fields);
      let p = 0;
      while (p < fields.length && eqs.has(fields[p][0])) p++;
      if (p === 0 || p + sortFields.length !== fields.length) continue;
      let reversed: boolean | null = null;
      let ok = true;
      for (let i = 0; i < sortFields.length; i++) {
        const [f, d] = fields[p + i];
        if (sortFields[i][0] !== f) ok = false;
        const r = sortFields[i][1] !== d;
        if (reversed === null) reversed = r;
        else if (reversed !== r) ok = false;
      }
      if (!ok) continue;
      const idDir = (fields[fields.length - 1][1] * (reversed ? -1 : 1)) as 1 | -1;
      if (sort[sort.length - 1][1] !== idDir) continue;
      const served = new Set<Cond>();
      for (const [f] of fields.slice(0, p)) {
        const c = byPath.get(f);
        if (c) served.add(c);
      }
      return { index, eqs: fields.slice(0, p).map(([f]) => eqs.get(f)!), reversed: !!reversed, served };
    }
    return null;
  }

  private plan(filter: Filter | undefined, options: FindOptions | undefined): Plan {
    const cond = parseFilter(filter);
    const { sort, limit, projection } = normalizeOptions(options);
    const indexes = this.ready();
    const ctx = this.ctx(indexes);
    const hash = queryHash(this.name, cond, sort);
    const cursorValues = options?.cursor ? decodeCursor(options.cursor, hash, sort.length) : null;
    const arms = orArms(cond);
    let sql: string;
    if (arms.length === 1) sql = this.pageSql(arms[0], sort, cursorValues, indexes, ctx);
    else {
      // OR by index: each arm is its own index-ordered page (after the cursor, `limit + 1` rows);
      // their union, sorted again, holds the first `limit + 1` rows of the whole filter.
      const parts = arms.map((arm) => {
        const part = this.pageSql(arm, sort, cursorValues, indexes, ctx);
        ctx.params.push(limit + 1);
        return `SELECT * FROM (${part} LIMIT ?)`;
      });
      sql = `${parts.join(' UNION ')} ORDER BY ${sort.map(([, d], i) => `s${i}${d === -1 ? ' DESC' : ''}`).join(', ')}`;
    }
    sql += ' LIMIT ?';
    ctx.params.push(limit + 1);
    return { sql, params: ctx.params, keyCount: sort.length, projection, limit, hash };
  }

  /** One index-friendly SELECT (without its LIMIT) of the rows matching `cond`, in `sort` order, after the cursor. */
  private pageSql(
    cond: Cond,
    sort: [string, 1 | -1][],
    cursorValues: unknown[] | null,
    indexes: IndexSpec[],
    ctx: SqlCtx,
  ): string {
    const ordered = this.orderedPlan(cond, sort, indexes);
    if (ordered) {
      const p = ordered.eqs.length;
      const keys: [string, 1 | -1][] = sort.map(([, d], i) => [i < sort.length - 1 ? `x.k${p + i}` : 'x.id', d]);
      const eqSql = ordered.eqs.map((v, i) => {
        ctx.params.push(v);
        return `x.k${i} = ?`;
      });
      const where = this.where(cond, indexes, ctx, 'exists', ordered.served, 'x.id');
      const keyset = cursorValues ? ` AND ${keysetSql(keys, cursorValues, ctx)}` : '';
      const select = keys.map(([e], i) => `${e} AS s${i}`).join(', ');
      return (
        `SELECT t.id, t.v, t.doc, ${select} FROM ${sideTable(this.name, ordered.index.name)} AS x CROSS JOIN ${table(this.name)} AS t ON t.rid = x.rid` +
        ` WHERE ${eqSql.join(' AND ')} AND ${where}${keyset} ORDER BY ${keys.map(([e, d]) => `${e}${d === -1 ? ' DESC' : ''}`).join(', ')}`
      );
    }
    const keys: [string, 1 | -1][] = sort.map(([f, d]) => [fieldExpr(f), d]);
    const where = this.where(cond, indexes, ctx, this.scalarOrdered(cond, sort, indexes) ? 'exists' : 'in');
    const keyset = cursorValues ? ` AND ${keysetSql(keys, cursorValues, ctx)}` : '';
    const select = keys.map(([e], i) => `${e} AS s${i}`).join(', ');
    return (
      `SELECT t.id, t.v, t.doc, ${select} FROM ${table(this.name)} AS t WHERE ${where}${keyset}` +
      ` ORDER BY ${keys.map(([e, d]) => `${e}${d === -1 ? ' DESC' : ''}`).join(', ')}`
    );
  }

  /**
   * Whether a scalar index has equalities on its leading fields and the sort on the rest (the
   * inbox `status, unitId, assignee, dueAt`; any rest when `sort` is null, for counts): then it is
   * walked in order, and side tables are only probed per row (`rid IN (...)` would tempt SQLite
   * to collect and sort every match instead).
   */
  private scalarOrdered(cond: Cond, sort: [string, 1 | -1][] | null, indexes: IndexSpec[]): boolean {
    const eqs = new Set<string>();
    for (const c of conjuncts(cond)) if (c.kind === 'field' && c.ops.some((op) => op.op === 'eq')) eqs.add(c.path);
    const sortFields = sort?.slice(0, -1).map(([f]) => f);
    return indexes.some((index) => {
      if (index.multikey) return false;
      const fields = Object.keys(index.fields);
      let p = 0;
      while (p < fields.length && eqs.has(fields[p])) p++;
      return p > 0 && (!sortFields || fields.slice(p).join() === sortFields.join());
    });
  }

  /** The SQL and parameters `find` would run (for EXPLAIN QUERY PLAN in tests and the benchmark). */
  explain(filter: Filter, options?: FindOptions): { sql: string; params: unknown[] } {
    const { sql, params } = this.plan(filter, options);
    return { sql, params };
  }

  async find(filter: Filter, options?: FindOptions): Promise<Page<T>> {
    return this.store.guard(() => {
      const plan = this.plan(filter, options);
      const rows = this.store.stmt(plan.sql).all(...plan.params) as Row[];
      const more = rows.length > plan.limit;
      const page = more ? rows.slice(0, plan.limit) : rows;
      const items = page.map((r) => project(toDoc<T>(r), plan.projection));
      let nextCursor: string | null = null;
      if (more) {
        const last = page[page.length - 1];
        const values = Array.from({ length: plan.keyCount }, (_, i) => {
          const v = last[`s${i}`];
          return typeof v === 'bigint' ? Number(v) : (v ?? null);
        });
        nextCursor = encodeCursor(plan.hash, values);
      }
      return { items, nextCursor };
    });
  }

  async findOne(filter: Filter): Promise<T | null> {
    const page = await this.find(filter, { limit: 1 });
    return page.items[0] ?? null;
  }

  async get(id: string): Promise<T | null> {
    if (typeof id !== 'string') return null;
    return this.store.guard(() => {
      this.ready();
      const row = this.store.stmt(`SELECT id, v, doc FROM ${table(this.name)} WHERE id = ?`).get(id) as Row | undefined;
      return row ? toDoc<T>(row) : null;
    });
  }

  /**
   * The SQL of `count`. One arm: a plain count. Several (an `$or`): the union of each arm's
   * matching rows, each found by its own index. An arm seeks a scalar index's equalities where it
   * can: with every other condition answered by that index or by probing side tables, no document
   * is read (a covering index scan). Arms that exclude each other (the inbox: assigned to the user,
   * or unassigned) are counted one by one and added, without collecting their row ids.
   */
  explainCount(filter: Filter): { sql: string; params: unknown[] } {
    const indexes = this.ready();
    const ctx = this.ctx(indexes);
    const arms = orArms(parseFilter(filter));
    const wheres = arms.map((arm) =>
      this.where(arm, indexes, ctx, this.scalarOrdered(arm, null, indexes) ? 'exists' : 'in'),
    );
    const from = `FROM ${table(this.name)} AS t WHERE`;
    let sql: string;
    if (wheres.length === 1) sql = `SELECT count(*) ${from} ${wheres[0]}`;
    else if (disjoint(arms, ctx.scalarFields))
      sql = `SELECT ${wheres.map((w) => `(SELECT count(*) ${from} ${w})`).join(' + ')}`;
    else sql = `SELECT count(*) FROM (${wheres.map((w) => `SELECT t.rid ${from} ${w}`).join(' UNION ')})`;
    return { sql, params: ctx.params };
  }

  async count(filter: Filter): Promise<number> {
    return this.store.guard(() => {
      const { sql, params } = this.explainCount(filter);
      return this.store
        .stmt(sql)
        .pluck()
        .get(...params) as number;
    });
  }

  private prepareWrite(
    doc: NewDoc<T>,
    indexes: IndexSpec[],
  ): { id: string; json: string; body: Record<string, unknown> } {
    checkDocument(doc as Record<string, unknown>, indexes);
    const body = bodyOf(doc as Record<string, unknown>);
    return { id: doc._id as string, json: JSON.stringify(body), body };
  }

  insertSync(doc: NewDoc<T>): T {
    return this.insertOne(doc, this.ready());
  }

  /** The document with the greatest `_id` (for `append`). */
  lastSync(): T | null {
    this.ready();
    const row = this.store.stmt(`SELECT id, v, doc FROM ${table(this.name)} ORDER BY id DESC LIMIT 1`).get() as
      | Row
      | undefined;
    return row ? toDoc<T>(row) : null;
  }

  private insertOne(doc: NewDoc<T>, indexes: IndexSpec[]): T {
    this.store.noteWrite();
    const { id, json } = this.prepareWrite(doc, indexes);
    this.store.stmt(`INSERT INTO ${table(this.name)} (id, v, doc) VALUES (?, 1, ?)`).run(id, json);
    return { _id: id, _v: 1, ...JSON.parse(json) } as T;
  }

  async insert(doc: NewDoc<T>): Promise<T> {
    return this.store.guard(() => this.insertOne(doc, this.ready()));
  }

  async insertMany(docs: NewDoc<T>[]): Promise<T[]> {
    return this.store.guard(() => {
      const indexes = this.ready();
      const done: T[] = [];
      const run = this.store.db.transaction(() => {
        for (const doc of docs) {
          try {
            done.push(this.insertOne(doc, indexes));
          } catch (err) {
            return err;
          }
        }
        return null;
      });
      const failure = run.immediate();
      if (failure) {
        const mapped = storeError(failure);
        if (mapped instanceof MinflowError) {
          throw new MinflowError(mapped.code, {
            params: { ...mapped.params, inserted: done.length },
            details: mapped.details.map((d) => ({ ...d, path: `/${done.length}${d.path === '/' ? '' : d.path}` })),
            cause: failure,
          });
        }
        throw mapped;
      }
      return done;
    });
  }

  async replace(id: string, expectedVersion: number, next: NewDoc<T>): Promise<T> {
    return this.store.guard(() => this.replaceSync(id, expectedVersion, next));
  }

  replaceSync(id: string, expectedVersion: number, next: NewDoc<T>): T {
    this.store.noteWrite();
    const indexes = this.ready();
    const { json } = this.prepareWrite({ ...next, _id: id } as NewDoc<T>, indexes);
    const res = this.store
      .stmt(`UPDATE ${table(this.name)} SET v = v + 1, doc = ? WHERE id = ? AND v = ?`)
      .run(json, id, expectedVersion);
    if (res.changes === 1) return { _id: id, _v: expectedVersion + 1, ...JSON.parse(json) } as T;
    const current = this.store
      .stmt(`SELECT v FROM ${table(this.name)} WHERE id = ?`)
      .pluck()
      .get(id) as number | undefined;
    if (current === undefined) throw new MinflowError('MINFLOW_ERR_STORE_NOT_FOUND', { params: { id } });
    throw new MinflowError('MINFLOW_ERR_STORE_VERSION_CONFLICT', {
      params: { id, expected: expectedVersion, actual: current },
    });
  }

  async put(doc: NewDoc<T>): Promise<T> {
    return this.store.guard(() => this.putSync(doc));
  }

  putSync(doc: NewDoc<T>): T {
    this.store.noteWrite();
    const { id, json } = this.prepareWrite(doc, this.ready());
    const v = this.store
      .stmt(
        `INSERT INTO ${table(this.name)} (id, v, doc) VALUES (?, 1, ?) ON CONFLICT (id) DO UPDATE SET v = v + 1, doc = excluded.doc RETURNING v`,
      )
      .pluck()
      .get(id, json) as number;
    return { _id: id, _v: v, ...JSON.parse(json) } as T;
  }

  async delete(id: string, expectedVersion?: number): Promise<boolean> {
    return this.store.guard(() => this.deleteSync(id, expectedVersion));
  }

  deleteSync(id: string, expectedVersion?: number): boolean {
    this.ready();
    const res =
      expectedVersion === undefined
        ? this.store.stmt(`DELETE FROM ${table(this.name)} WHERE id = ?`).run(id)
        : this.store.stmt(`DELETE FROM ${table(this.name)} WHERE id = ? AND v = ?`).run(id, expectedVersion);
    return res.changes > 0;
  }

  async deleteMany(filter: Filter): Promise<number> {
    return this.store.guard(() => {
      const cond = parseFilter(filter);
      const indexes = this.ready();
      const ctx = this.ctx(indexes);
      const where = this.where(cond, indexes, ctx, 'in');
      const res = this.store
        .stmt(
          `DELETE FROM ${table(this.name)} WHERE rid IN (SELECT t.rid FROM ${table(this.name)} AS t WHERE ${where})`,
        )
        .run(...ctx.params);
      return res.changes;
    });
  }
}

/** Opens (creating if needed) the embedded store under `dataDir`. */
export function openEmbeddedStore(dataDir: string, options: Partial<EmbeddedStoreOptions> = {}): EmbeddedStore {
  return new EmbeddedStore({ file: path.join(dataDir, EMBEDDED_FILE), ...options });
}
