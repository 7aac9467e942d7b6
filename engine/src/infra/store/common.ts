/** Pieces both adapters share: names, documents, index rules, query options and page cursors. */
import { createHash } from 'node:crypto';
import { MinflowError } from '../../errors/registry.js';
import { type Cond, isFieldPath, isPlainObject } from './filter.js';
import type {
  CollectionSpec,
  DocInput,
  DocumentStore,
  FindOptions,
  IndexSpec,
  NewDoc,
  SortSpec,
  StoredDoc,
  WriteOp,
  WriteResult,
} from './port.js';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1000;
const NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;
const MAX_ID = 256;
const MAX_DOC_DEPTH = 64;

export function checkName(name: string, what: string): void {
  if (typeof name !== 'string' || !NAME.test(name) || name.includes('__'))
    throw new MinflowError('MINFLOW_ERR_STORE_NAME_INVALID', { params: { name: `${what} ${String(name)}` } });
}

export function checkCollectionSpec(spec: CollectionSpec): void {
  checkName(spec.name, 'collection');
  const seen = new Set<string>();
  const bad = (index: string, reason: string): never => {
    throw new MinflowError('MINFLOW_ERR_STORE_INDEX_INVALID', { params: { index, reason } });
  };
  for (const index of spec.indexes ?? []) {
    checkName(index.name, 'index');
    if (seen.has(index.name)) bad(index.name, 'declared twice');
    seen.add(index.name);
    const fields = Object.entries(index.fields ?? {});
    if (fields.length === 0 || fields.length > 8) bad(index.name, 'needs 1 to 8 fields');
    for (const [path, dir] of fields) {
      if (!isFieldPath(path) || path === '_v') bad(index.name, `invalid field ${path}`);
      if (dir !== 1 && dir !== -1) bad(index.name, `direction of ${path} must be 1 or -1`);
    }
    if (fields.length === 1 && fields[0][0] === '_id') bad(index.name, '_id is always indexed');
    // FerretDB 1.24 does not enforce uniqueness across the elements of arrays; keep both adapters alike.
    if (index.unique && index.multikey) bad(index.name, 'a unique index cannot be multikey');
  }
}

function invalidDoc(path: string, message: string): never {
  throw new MinflowError('MINFLOW_ERR_STORE_DOCUMENT_INVALID', { details: [{ path, message }] });
}

/** A JSON Pointer segment for a key. */
const segment = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Documents are plain JSON: objects, arrays, strings, finite numbers, booleans and null
 * (`undefined` properties are dropped, as JSON does). Keys may not start with `$` or contain `.`.
 * Returns the path segments (innermost first) and the reason of the first problem found, or null:
 * the walk builds no paths for valid documents (every write checks its whole document).
 */
function checkValue(value: unknown, depth: number): { at: string[]; message: string } | null {
  if (depth > MAX_DOC_DEPTH) return { at: [], message: 'nested too deeply' };
  if (value === null || typeof value === 'boolean') return null;
  if (typeof value === 'string') {
    // FerretDB (and PostgreSQL text) cannot store NUL characters.
    return value.includes('\0') ? { at: [], message: 'strings may not contain NUL characters' } : null;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? null : { at: [], message: 'numbers must be finite' };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (item === undefined) return { at: [String(i)], message: 'array elements may not be undefined' };
      // FerretDB 1.x does not support arrays directly inside arrays; wrap them in objects.
      if (Array.isArray(item)) return { at: [String(i)], message: 'arrays may not directly contain arrays' };
      // Valid scalars one level down are checked here (without the call), where the depth allows them.
      if (depth < MAX_DOC_DEPTH && (item === null || typeof item !== 'object')) {
        if (item === null) continue;
        if (typeof item === 'string' && !item.includes('\0')) continue;
        if (typeof item === 'number' && Number.isFinite(item)) continue;
        if (typeof item === 'boolean') continue;
      }
      const problem = checkValue(item, depth + 1);
      if (problem) {
        problem.at.push(String(i));
        return problem;
      }
    }
    return null;
  }
  if (isPlainObject(value)) {
    for (const key in value) {
      const v = value[key];
      if (v === undefined) continue;
      if (key === '' || key.charCodeAt(0) === 36 /* $ */ || key.includes('.') || key.includes('\0'))
        return { at: [segment(key)], message: 'field names may not be empty, start with $ or contain a dot' };
      if (depth < MAX_DOC_DEPTH) {
        if (v === null || typeof v === 'boolean') continue;
        if (typeof v === 'string' && !v.includes('\0')) continue;
      }
      const problem = checkValue(v, depth + 1);
      if (problem) {
        problem.at.push(segment(key));
        return problem;
      }
    }
    return null;
  }
  return {
    at: [],
    message: `a ${typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value} is not JSON`,
  };
}

export function getPath(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const seg of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** Validates a document about to be written against the JSON rules and the collection's indexes. */
export function checkDocument(doc: Record<string, unknown>, indexes: readonly IndexSpec[]): void {
  if (!isPlainObject(doc)) invalidDoc('/', 'a document must be a plain object');
  const id = doc._id;
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID)
    invalidDoc('/_id', `_id must be a non-empty string of at most ${MAX_ID} characters`);
  for (const key in doc) {
    if (key === '_id' || key === '_v') continue;
    const v = doc[key];
    if (v === undefined) continue;
    if (key.startsWith('$') || key.includes('.') || key.includes('\0') || key === '')
      invalidDoc(`/${segment(key)}`, 'field names may not be empty, start with $ or contain a dot');
    const problem = checkValue(v, 1);
    if (problem) invalidDoc(`/${[...problem.at, segment(key)].reverse().join('/')}`, problem.message);
  }
  for (const index of indexes) {
    for (const path of Object.keys(index.fields)) {
      if (path === '_id') continue;
      const v = getPath(doc, path);
      if (!index.multikey && Array.isArray(v))
        invalidDoc(
          `/${path.replace(/\./g, '/')}`,
          `index ${index.name} is not multikey; this field may not hold an array`,
        );
      if (index.unique && (v === undefined || v === null))
        invalidDoc(`/${path.replace(/\./g, '/')}`, `index ${index.name} is unique; this field is required`);
    }
  }
}

/** The stored body: the document without `_id`/`_v`. */
export function bodyOf(doc: Record<string, unknown>): Record<string, unknown> {
  const { _id: _i, _v: _ver, ...body } = doc;
  return body;
}

export interface NormalizedQuery {
  sort: [string, 1 | -1][];
  limit: number;
  projection: string[] | null;
}

function badQuery(path: string, message: string): never {
  throw new MinflowError('MINFLOW_ERR_STORE_QUERY_INVALID', { details: [{ path, message }] });
}

export function normalizeOptions(options: FindOptions = {}): NormalizedQuery {
  const limit = options.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    badQuery('/limit', `limit must be an integer from 1 to ${MAX_LIMIT}`);
  const sort: [string, 1 | -1][] = [];
  const spec: SortSpec = options.sort ?? {};
  if (!isPlainObject(spec)) badQuery('/sort', 'sort must be an object');
  for (const [path, dir] of Object.entries(spec)) {
    if (!isFieldPath(path)) badQuery(`/sort/${path}`, 'invalid field name');
    if (dir !== 1 && dir !== -1) badQuery(`/sort/${path}`, 'direction must be 1 or -1');
    if (path === '_id') {
      sort.push([path, dir]);
      break; // _id is unique: later keys could never matter.
    }
    sort.push([path, dir]);
  }
  if (sort.length > 8) badQuery('/sort', 'at most 8 sort fields');
  if (sort.length === 0 || sort[sort.length - 1][0] !== '_id') {
    // `_id` breaks ties, in the direction of the last key so one index scan serves the whole order.
    sort.push(['_id', sort.length ? sort[sort.length - 1][1] : 1]);
  }
  let projection: string[] | null = null;
  if (options.projection) {
    if (!Array.isArray(options.projection)) badQuery('/projection', 'projection must be an array of field names');
    projection = [];
    for (const f of options.projection) {
      if (typeof f !== 'string' || !isFieldPath(f) || f.includes('.'))
        badQuery('/projection', `projection takes top-level field names (${String(f)})`);
      projection.push(f);
    }
  }
  return { sort, limit, projection };
}

export function project<T extends StoredDoc>(doc: T, projection: string[] | null): T {
  if (!projection) return doc;
  const out: Record<string, unknown> = { _id: doc._id, _v: doc._v };
  for (const f of projection) if (f in doc) out[f] = doc[f];
  return out as T;
}

/** Binds a cursor to its query so a cursor cannot be replayed against another filter or sort. */
export function queryHash(collection: string, cond: Cond, sort: [string, 1 | -1][]): string {
  // The parsed filter, so `/^a/` and `/^b/` (which JSON.stringify both as `{}`) differ.
  return createHash('sha256')
    .update(JSON.stringify([collection, cond, sort]))
    .digest('base64url')
    .slice(0, 16);
}

export interface CursorState {
  /** Values of the sort keys (the last one is `_id`) of the last item on the previous page. */
  values: unknown[];
}

export function encodeCursor(hash: string, values: unknown[]): string {
  return Buffer.from(JSON.stringify({ h: hash, k: values }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, hash: string, keyCount: number): unknown[] {
  try {
    if (typeof cursor !== 'string' || cursor.length > 8192) throw new Error('bad');
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { h?: unknown; k?: unknown };
    if (parsed.h !== hash) throw new Error('hash');
    const values = parsed.k;
    if (!Array.isArray(values) || values.length !== keyCount) throw new Error('keys');
    if (values.some((v) => v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean'))
      throw new Error('values');
    return values;
  } catch {
    throw new MinflowError('MINFLOW_ERR_STORE_CURSOR_INVALID', {
      details: [{ path: '/cursor', message: 'invalid cursor' }],
    });
  }
}

/** A batch op's document (`WriteOp.doc`): the value, or what its function makes now. */
export function docOf(input: DocInput): NewDoc<StoredDoc> {
  return typeof input === 'function' ? input() : input;
}

/**
 * `write` for a store without multi-document transactions: the ops one after another through
 * the collections; the first failure stops the batch and the ones before it stay written.
 */
export async function writeInOrder(store: DocumentStore, ops: WriteOp[]): Promise<WriteResult[]> {
  const results: WriteResult[] = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    const c = store.collection(op.collection);
    try {
      switch (op.op) {
        case 'insert':
          results.push(await c.insert(docOf(op.doc)));
          break;
        case 'replace':
          results.push(await c.replace(op.id, op.expectedVersion, docOf(op.doc)));
          break;
        case 'put':
          results.push(await c.put(docOf(op.doc)));
          break;
        case 'delete':
          results.push(await c.delete(op.id, op.expectedVersion));
          break;
        case 'append': {
          const last = (await c.find({}, { sort: { _id: -1 }, limit: 1 })).items[0] ?? null;
          results.push(await c.insert(op.build(last)));
          break;
        }
      }
    } catch (err) {
      if (!(err instanceof MinflowError)) throw err;
      throw new MinflowError(err.code, {
        params: { ...err.params, op: i, applied: i },
        details: err.details,
        cause: err.cause ?? err,
      });
    }
  }
  return results;
}
