/**
 * The document-store contract: one suite every adapter must pass (embedded.test.ts runs it on
 * SQLite, mongodb.test.ts on MongoDB/FerretDB). Each test works in its own collection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MinflowError } from '../../errors/registry.js';
import type { Collection, CollectionSpec, DocumentStore, Filter, IndexSpec, StoredDoc } from './port.js';

export interface StoreFactory {
  /** Opens a store on fresh, empty storage. */
  open(): Promise<DocumentStore>;
  /** Closes it and removes what `open` created. */
  dispose(store: DocumentStore): Promise<void>;
}

async function rejection(p: Promise<unknown>): Promise<MinflowError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(MinflowError);
    return err as MinflowError;
  }
  throw new Error('expected the promise to reject');
}

interface Person extends StoredDoc {
  name?: string | null;
  age?: number | string | null;
  tags?: unknown[];
  addr?: { city?: string; zip?: string };
  items?: { k: string; n: number }[];
  active?: boolean;
  note?: string;
}

/** Shapes MongoDB semantics care about: arrays, nested objects, null vs missing, mixed types. */
const PEOPLE: Omit<Person, '_v'>[] = [
  {
    _id: 'p1',
    name: '张三',
    age: 30,
    tags: ['a', 'b'],
    addr: { city: '白银', zip: '730900' },
    items: [
      { k: 'x', n: 1 },
      { k: 'y', n: 5 },
    ],
    active: true,
  },
  {
    _id: 'p2',
    name: '张三丰',
    age: 45,
    tags: ['b', 'c'],
    addr: { city: '靖远' },
    items: [{ k: 'x', n: 7 }],
    active: false,
  },
  { _id: 'p3', name: '李四', age: 18, tags: [], addr: { city: '白银' }, active: true },
  { _id: 'p4', name: null, age: null, tags: ['a', null], note: 'null name' },
  { _id: 'p5', age: '30', tags: ['c'], addr: { city: '会宁', zip: '730700' }, items: [{ k: 'y', n: 2 }] },
  { _id: 'p6', name: 'a.b*c', age: 60, tags: ['d', 'a'], active: true },
  { _id: 'p7', name: 'Zed', age: 30.5, addr: { zip: '730900' }, items: [] },
];

const FILTER_CASES: [string, Filter, string[]][] = [
  ['equality on a string', { name: '李四' }, ['p3']],
  ['equality on a number matches numbers only', { age: 30 }, ['p1']],
  ['equality on a string does not match the number', { age: '30' }, ['p5']],
  ['equality on a boolean', { active: false }, ['p2']],
  ['null matches null and missing', { name: null }, ['p4', 'p5']],
  ['$eq', { name: { $eq: '张三' } }, ['p1']],
  ['$ne matches missing fields', { active: { $ne: true } }, ['p2', 'p4', 'p5', 'p7']],
  ['$ne null means present and not null', { name: { $ne: null } }, ['p1', 'p2', 'p3', 'p6', 'p7']],
  ['$in with mixed types', { age: { $in: [18, '30', 60] } }, ['p3', 'p5', 'p6']],
  ['$in with null matches missing', { name: { $in: [null, 'Zed'] } }, ['p4', 'p5', 'p7']],
  ['$nin matches missing fields', { active: { $nin: [true] } }, ['p2', 'p4', 'p5', 'p7']],
  ['$gt on numbers ignores strings and null', { age: { $gt: 30 } }, ['p2', 'p6', 'p7']],
  ['$gte on numbers', { age: { $gte: 30 } }, ['p1', 'p2', 'p6', 'p7']],
  ['$lt and $lte together', { age: { $gt: 18, $lte: 30.5 } }, ['p1', 'p7']],
  ['range on strings ignores numbers', { age: { $gte: '0' } }, ['p5']],
  ['string range', { name: { $gte: 'Z', $lt: 'b' } }, ['p6', 'p7']],
  ['$exists true (null counts as present)', { name: { $exists: true } }, ['p1', 'p2', 'p3', 'p4', 'p6', 'p7']],
  ['$exists false', { active: { $exists: false } }, ['p4', 'p5', 'p7']],
  ['dotted path', { 'addr.city': '白银' }, ['p1', 'p3']],
  ['dotted path $exists', { 'addr.zip': { $exists: true } }, ['p1', 'p5', 'p7']],
  ['equality on an array matches any element', { tags: 'a' }, ['p1', 'p4', 'p6']],
  ['null on an array matches a null element', { tags: null }, ['p4', 'p7']],
  ['$in on an array', { tags: { $in: ['c', 'd'] } }, ['p2', 'p5', 'p6']],
  ['$nin on an array excludes any matching element', { tags: { $nin: ['a', 'b'] } }, ['p3', 'p5', 'p7']],
  ['$ne on an array', { tags: { $ne: 'a' } }, ['p2', 'p3', 'p5', 'p7']],
  ['$elemMatch on objects', { items: { $elemMatch: { k: 'y', n: { $gte: 3 } } } }, ['p1']],
  ['$elemMatch needs one element to match all', { items: { $elemMatch: { k: 'x', n: { $gt: 5 } } } }, ['p2']],
  ['$elemMatch on scalars', { tags: { $elemMatch: { $gte: 'c', $lt: 'd' } } }, ['p2', 'p5']],
  ['$elemMatch with $or inside', { items: { $elemMatch: { $or: [{ n: 2 }, { n: 7 }] } } }, ['p2', 'p5']],
  ['prefix match', { name: { $regex: '^张三' } }, ['p1', 'p2']],
  ['prefix match with an escaped metacharacter', { name: { $regex: '^a\\.b\\*' } }, ['p6']],
  ['prefix match as a RegExp', { name: /^李/ }, ['p3']],
  ['prefix match does not match other types', { age: { $regex: '^3' } }, ['p5']],
  ['$and', { $and: [{ 'addr.city': '白银' }, { age: { $gte: 20 } }] }, ['p1']],
  ['$or', { $or: [{ name: '李四' }, { age: 60 }, { 'addr.city': '会宁' }] }, ['p3', 'p5', 'p6']],
  ['$or nested in $and', { $and: [{ $or: [{ tags: 'a' }, { tags: 'c' }] }, { active: true }] }, ['p1', 'p6']],
  ['_id $in', { _id: { $in: ['p2', 'p7', 'nope'] } }, ['p2', 'p7']],
  ['_id range', { _id: { $gt: 'p5' } }, ['p6', 'p7']],
  ['empty $in matches nothing', { name: { $in: [] } }, []],
  ['empty filter matches all', {}, ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7']],
];

const REFUSED: [string, unknown, string][] = [
  ['$where', { $where: 'this.a == 1' }, '/$where'],
  ['$expr', { $expr: { $gt: ['$a', 1] } }, '/$expr'],
  ['$function in a field', { a: { $function: { body: 'x', args: [], lang: 'js' } } }, '/a/$function'],
  ['$accumulator', { a: { $accumulator: {} } }, '/a/$accumulator'],
  ['unknown operator', { a: { $foo: 1 } }, '/a/$foo'],
  ['$nor', { $nor: [{ a: 1 }] }, '/$nor'],
  ['$not', { a: { $not: { $eq: 1 } } }, '/a/$not'],
  ['an unanchored regex', { a: { $regex: 'abc' } }, '/a/$regex'],
  ['a regex with wildcards', { a: { $regex: '^a.*' } }, '/a/$regex'],
  ['regex flags', { a: /^a/i }, '/a'],
  ['$options', { a: { $regex: '^a', $options: 'i' } }, '/a/$options'],
  ['an operator inside $and', { $and: [{ b: 1 }, { $where: 'x' }] }, '/$and/1/$where'],
  ['$elemMatch with $where', { items: { $elemMatch: { $where: '1' } } }, '/items/$elemMatch/$where'],
  ['a field name with SQL in it', { "a') OR 1=1 --": 1 }, "/a') OR 1=1 --"],
  ['a field name with quotes', { 'a"b': 1 }, '/a"b'],
  ['embedded-document equality', { addr: { city: '白银' } }, '/addr'],
  ['whole-array equality', { tags: ['a', 'b'] }, '/tags'],
  ['a Date value', { at: new Date() }, '/at'],
  ['a class instance as filter', new (class Query {})(), '/'],
  ['a non-array $or', { $or: { a: 1 } }, '/$or'],
  ['NaN', { age: Number.NaN }, '/age'],
  ['$in without an array', { age: { $in: 5 } }, '/age/$in'],
];

export function defineStoreContract(label: string, factory: StoreFactory | null, skipReason?: string): void {
  describe.skipIf(!factory)(skipReason ? `${label} (${skipReason})` : label, () => {
    let store: DocumentStore;
    let seq = 0;
    beforeAll(async () => {
      store = await factory!.open();
    });
    afterAll(async () => {
      if (store) await factory!.dispose(store);
    });

    async function fresh<T extends StoredDoc = StoredDoc>(indexes: IndexSpec[] = []): Promise<Collection<T>> {
      const name = `t${++seq}_${Math.random().toString(36).slice(2, 8)}`;
      const spec: CollectionSpec = { name, indexes };
      await store.ensureCollection(spec);
      return store.collection<T>(name);
    }

    it('pings', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('inserts with version 1 and reads back the same document', async () => {
      const c = await fresh();
      const input = { _id: 'a1', title: '低保申请', n: 3, nested: { list: [1, 'x', null, { y: true }] } };
      const saved = await c.insert(input);
      expect(saved).toEqual({ ...input, _v: 1 });
      expect(await c.get('a1')).toEqual({ ...input, _v: 1 });
      expect(await c.get('missing')).toBeNull();
      expect(input).not.toHaveProperty('_v');
    });

    it('drops undefined fields and refuses what is not JSON', async () => {
      const c = await fresh();
      await c.insert({ _id: 'u', keep: 1, gone: undefined });
      expect(await c.get('u')).toEqual({ _id: 'u', _v: 1, keep: 1 });
      for (const bad of [
        { _id: 'd', at: new Date() },
        { _id: 'd', $set: 1 },
        { _id: 'd', 'a.b': 1 },
        { _id: 'd', n: Number.POSITIVE_INFINITY },
        { _id: '', n: 1 },
        { _id: 'd', matrix: [[1, 2]] },
        { _id: 'd', text: 'a\0b' },
      ]) {
        const err = await rejection(c.insert(bad));
        expect(err.code).toBe('MINFLOW_ERR_STORE_DOCUMENT_INVALID');
        expect(err.status).toBe(400);
      }
      expect(await c.count({})).toBe(1);
    });

    it('names the path of a nested problem and refuses documents nested too deeply', async () => {
      const c = await fresh();
      const nested = await rejection(c.insert({ _id: 'n', a: { 'l/st': [{ ok: 'x' }, { 'x.y': 1 }] } }));
      expect(nested.code).toBe('MINFLOW_ERR_STORE_DOCUMENT_INVALID');
      expect(nested.details[0].path).toBe('/a/l~1st/1/x.y');
      const nul = await rejection(c.insert({ _id: 'n', a: [1, 'ok', 'bad\0'] }));
      expect(nul.details[0].path).toBe('/a/2');
      const deep = (n: number): unknown => (n === 0 ? 'leaf' : { d: deep(n - 1) });
      await c.insert({ _id: 'ok', x: deep(63) });
      const tooDeep = await rejection(c.insert({ _id: 'deep', x: deep(64) }));
      expect(tooDeep.details[0].message).toBe('nested too deeply');
      expect(tooDeep.details[0].path).toBe(`/x${'/d'.repeat(64)}`);
      expect((await c.find({}, {})).items.map((d) => d._id)).toEqual(['ok']);
    });

    it('refuses a duplicate _id with 409 and keeps the first document', async () => {
      const c = await fresh();
      await c.insert({ _id: 'x', v: 'first' });
      const err = await rejection(c.insert({ _id: 'x', v: 'second' }));
      expect(err.code).toBe('MINFLOW_ERR_STORE_DUPLICATE');
      expect(err.status).toBe(409);
      expect(err.params.index).toBe('_id');
      expect((await c.get('x'))?.v).toBe('first');
    });

    it('enforces unique indexes on insert, replace and put, and requires their fields', async () => {
      const c = await fresh([{ name: 'by_username', fields: { username: 1 }, unique: true }]);
      await c.insert({ _id: 'u1', username: 'township' });
      const u2 = await c.insert({ _id: 'u2', username: 'county' });
      const dup = await rejection(c.insert({ _id: 'u3', username: 'township' }));
      expect(dup.code).toBe('MINFLOW_ERR_STORE_DUPLICATE');
      expect(dup.params.index).toBe('by_username');
      const viaReplace = await rejection(c.replace('u2', u2._v, { _id: 'u2', username: 'township' }));
      expect(viaReplace.code).toBe('MINFLOW_ERR_STORE_DUPLICATE');
      expect((await c.get('u2'))?.username).toBe('county');
      const viaPut = await rejection(c.put({ _id: 'u4', username: 'county' }));
      expect(viaPut.code).toBe('MINFLOW_ERR_STORE_DUPLICATE');
      const missing = await rejection(c.insert({ _id: 'u5' }));
      expect(missing.code).toBe('MINFLOW_ERR_STORE_DOCUMENT_INVALID');
      expect(await c.count({})).toBe(2);
    });

    it('refuses index declarations it cannot honour on every adapter', async () => {
      for (const indexes of [
        [{ name: 'aliases', fields: { aliases: 1 }, unique: true, multikey: true }],
        [{ name: 'bad', fields: { "a'b": 1 } }],
        [{ name: 'empty', fields: {} }],
        [
          { name: 'twice', fields: { a: 1 } },
          { name: 'twice', fields: { b: 1 } },
        ],
      ] as IndexSpec[][]) {
        const err = await rejection(store.ensureCollection({ name: `bad${++seq}`, indexes }));
        expect(err.code).toBe('MINFLOW_ERR_STORE_INDEX_INVALID');
      }
    });

    it('refuses an array in a field of a non-multikey index', async () => {
      const c = await fresh([{ name: 'status', fields: { status: 1 } }]);
      const err = await rejection(c.insert({ _id: 's', status: ['open'] }));
      expect(err.code).toBe('MINFLOW_ERR_STORE_DOCUMENT_INVALID');
      expect(err.details[0].path).toBe('/status');
    });

    it('replaces only at the expected version', async () => {
      const c = await fresh();
      await c.insert({ _id: 'case1', status: 'draft', extra: 1 });
      const next = await c.replace('case1', 1, { _id: 'case1', status: 'submitted' });
      expect(next).toEqual({ _id: 'case1', _v: 2, status: 'submitted' });
      expect(await c.get('case1')).toEqual({ _id: 'case1', _v: 2, status: 'submitted' });
      const stale = await rejection(c.replace('case1', 1, { _id: 'case1', status: 'lost' }));
      expect(stale.code).toBe('MINFLOW_ERR_STORE_VERSION_CONFLICT');
      expect(stale.status).toBe(409);
      const gone = await rejection(c.replace('nope', 1, { _id: 'nope' }));
      expect(gone.code).toBe('MINFLOW_ERR_STORE_NOT_FOUND');
      expect(gone.status).toBe(404);
      expect((await c.get('case1'))?.status).toBe('submitted');
    });

    it('lets exactly one of many concurrent replaces at the same version win', async () => {
      const c = await fresh();
      await c.insert({ _id: 'task', approvedBy: null });
      const approvers = Array.from({ length: 12 }, (_, i) => `approver${i}`);
      const results = await Promise.allSettled(
        approvers.map((who) => c.replace('task', 1, { _id: 'task', approvedBy: who })),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(approvers.length - 1);
      for (const r of lost) expect((r.reason as MinflowError).code).toBe('MINFLOW_ERR_STORE_VERSION_CONFLICT');
      const final = await c.get('task');
      expect(final?._v).toBe(2);
      expect(final?.approvedBy).toBe((won[0] as PromiseFulfilledResult<StoredDoc>).value.approvedBy);
    });

    it('puts unconditionally: creates, then replaces the whole document with a new version', async () => {
      const c = await fresh();
      expect(await c.put({ _id: 'inbox:1', a: 1, b: 2 })).toEqual({ _id: 'inbox:1', _v: 1, a: 1, b: 2 });
      expect(await c.put({ _id: 'inbox:1', a: 3 })).toEqual({ _id: 'inbox:1', _v: 2, a: 3 });
      expect(await c.get('inbox:1')).toEqual({ _id: 'inbox:1', _v: 2, a: 3 });
      const many = await Promise.all([1, 2, 3, 4].map((i) => c.put({ _id: 'inbox:2', i })));
      expect(many.map((d) => d._v).sort()).toEqual([1, 2, 3, 4]);
      expect((await c.get('inbox:2'))?._v).toBe(4);
    });

    it('deletes, optionally only at the expected version', async () => {
      const c = await fresh();
      await c.insert({ _id: 'd1' });
      await c.insert({ _id: 'd2' });
      expect(await c.delete('d1', 7)).toBe(false);
      expect(await c.get('d1')).not.toBeNull();
      expect(await c.delete('d1', 1)).toBe(true);
      expect(await c.delete('d1')).toBe(false);
      expect(await c.delete('d2')).toBe(true);
      expect(await c.count({})).toBe(0);
    });

    describe('write: several writes as one unit', () => {
      it('runs the ops in order across collections and returns each result', async () => {
        const cases = await fresh([{ name: 'tags', fields: { tags: 1 }, multikey: true }]);
        const log = await fresh();
        await cases.insert({ _id: 'k1', status: 'open', tags: ['a'] });
        await cases.insert({ _id: 'gone' });
        let built: StoredDoc | null = null;
        const results = await store.write([
          {
            op: 'replace',
            collection: cases.name,
            id: 'k1',
            expectedVersion: 1,
            doc: { _id: 'k1', status: 'done', tags: ['b'] },
          },
          { op: 'insert', collection: cases.name, doc: { _id: 'k2', tags: ['b', 'c'] } },
          { op: 'put', collection: cases.name, doc: { _id: 'k3', n: 1 } },
          { op: 'delete', collection: cases.name, id: 'gone', expectedVersion: 1 },
          { op: 'delete', collection: cases.name, id: 'never' },
          {
            op: 'append',
            collection: log.name,
            build: (last) => {
              built = { _id: '0001', _v: 0, seq: 1, after: last?._id ?? null };
              return built;
            },
          },
          // A function is called when its write runs: it sees what the ops before it made.
          { op: 'put', collection: log.name, doc: () => ({ _id: 'head', seq: (built?.seq as number) ?? 0 }) },
        ]);
        expect(results).toEqual([
          { _id: 'k1', _v: 2, status: 'done', tags: ['b'] },
          { _id: 'k2', _v: 1, tags: ['b', 'c'] },
          { _id: 'k3', _v: 1, n: 1 },
          true,
          false,
          { _id: '0001', _v: 1, seq: 1, after: null },
          { _id: 'head', _v: 1, seq: 1 },
        ]);
        expect(await cases.get('gone')).toBeNull();
        // Array indexes follow writes made in a batch.
        expect((await cases.find({ tags: 'b' }, { sort: { _id: 1 } })).items.map((d) => d._id)).toEqual(['k1', 'k2']);
        expect(await cases.count({ tags: 'a' })).toBe(0);
        expect(await store.write([])).toEqual([]);
      });

      it('stops at the first failing op and says which; atomic stores undo the ones before it', async () => {
        const c = await fresh([{ name: 'code', fields: { code: 1 }, unique: true }]);
        await c.insert({ _id: 'case', code: 'case', status: 'open' });
        await c.insert({ _id: 'other', code: 'taken' });
        const conflict = await rejection(
          store.write([
            { op: 'insert', collection: c.name, doc: { _id: 'row1', code: 'r1' } },
            {
              op: 'replace',
              collection: c.name,
              id: 'case',
              expectedVersion: 7,
              doc: { _id: 'case', code: 'case', status: 'lost' },
            },
            { op: 'insert', collection: c.name, doc: { _id: 'row2', code: 'r2' } },
          ]),
        );
        expect(conflict.code).toBe('MINFLOW_ERR_STORE_VERSION_CONFLICT');
        expect(conflict.status).toBe(409);
        expect(conflict.params.op).toBe(1);
        expect(conflict.params.applied).toBe(store.atomicWrites ? 0 : 1);
        expect(await c.get('row1')).toEqual(store.atomicWrites ? null : { _id: 'row1', _v: 1, code: 'r1' });
        expect(await c.get('row2')).toBeNull();
        expect(await c.get('case')).toEqual({ _id: 'case', _v: 1, code: 'case', status: 'open' });

        const duplicate = await rejection(
          store.write([
            {
              op: 'replace',
              collection: c.name,
              id: 'case',
              expectedVersion: 1,
              doc: { _id: 'case', code: 'case', status: 'won' },
            },
            { op: 'put', collection: c.name, doc: { _id: 'row3', code: 'taken' } },
          ]),
        );
        expect(duplicate.code).toBe('MINFLOW_ERR_STORE_DUPLICATE');
        expect(duplicate.params).toMatchObject({ index: 'code', op: 1, applied: store.atomicWrites ? 0 : 1 });
        expect((await c.get('case'))?.status).toBe(store.atomicWrites ? 'open' : 'won');
        expect(await c.get('row3')).toBeNull();
      });

      it('appends a chain: concurrent appenders each get their own next number (losers retry on 409)', async () => {
        const c = await fresh();
        const appendOne = async (who: number): Promise<void> => {
          for (let attempt = 0; attempt < 100; attempt++) {
            try {
              await store.write([
                {
                  op: 'append',
                  collection: c.name,
                  build: (last) => {
                    const seq = ((last?.seq as number | undefined) ?? 0) + 1;
                    return { _id: String(seq).padStart(4, '0'), seq, prev: last?._id ?? null, who };
                  },
                },
              ]);
              return;
            } catch (err) {
              if ((err as MinflowError).code !== 'MINFLOW_ERR_STORE_DUPLICATE') throw err;
            }
          }
          throw new Error('append did not get through');
        };
        await Promise.all(Array.from({ length: 8 }, (_, i) => appendOne(i)));
        const chain = (await c.find({}, { sort: { _id: 1 } })).items;
        expect(chain.map((d) => d.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
        expect(chain.map((d) => d.prev)).toEqual([null, '0001', '0002', '0003', '0004', '0005', '0006', '0007']);
        expect(new Set(chain.map((d) => d.who)).size).toBe(8);
      });
    });

    it('inserts in bulk; on a duplicate the earlier documents stay and the count is reported', async () => {
      const c = await fresh([{ name: 'code', fields: { code: 1 }, unique: true }]);
      const docs = Array.from({ length: 50 }, (_, i) => ({ _id: `b${i}`, code: `c${i}` }));
      const saved = await c.insertMany(docs);
      expect(saved).toHaveLength(50);
      expect(saved[49]).toEqual({ _id: 'b49', _v: 1, code: 'c49' });
      expect(await c.count({})).toBe(50);
      const err = await rejection(
        c.insertMany([
          { _id: 'n1', code: 'n1' },
          { _id: 'n2', code: 'c7' },
          { _id: 'n3', code: 'n3' },
        ]),
      );
      expect(err.code).toBe('MINFLOW_ERR_STORE_DUPLICATE');
      expect(err.params.inserted).toBe(1);
      expect(await c.get('n1')).not.toBeNull();
      expect(await c.get('n3')).toBeNull();
      expect(await c.insertMany([])).toEqual([]);
    });

    for (const indexed of [false, true]) {
      describe(indexed ? 'filters (with indexes declared)' : 'filters (no indexes)', () => {
        let c: Collection<Person>;
        beforeAll(async () => {
          c = await fresh<Person>(
            indexed
              ? [
                  { name: 'name', fields: { name: 1 } },
                  { name: 'city', fields: { 'addr.city': 1, age: -1 } },
                  { name: 'tags', fields: { tags: 1 }, multikey: true },
                  { name: 'items', fields: { items: 1 }, multikey: true },
                  { name: 'tags_age', fields: { tags: 1, active: 1, age: 1 }, multikey: true },
                ]
              : [],
          );
          await c.insertMany(PEOPLE);
        });
        for (const [title, filter, expected] of FILTER_CASES) {
          it(title, async () => {
            const page = await c.find(filter, { limit: 100 });
            expect(page.items.map((d) => d._id).sort()).toEqual(expected);
            expect(await c.count(filter)).toBe(expected.length);
            const one = await c.findOne(filter);
            if (expected.length) expect(expected).toContain(one?._id);
            else expect(one).toBeNull();
          });
        }
      });
    }

    it('compares an indexed field by type when it holds objects, numbers, booleans, null or nothing', async () => {
      const docs = [
        { _id: 's', v: 'a' },
        { _id: 'json', v: '{"x":1}' },
        { _id: 'obj', v: { x: 1 } },
        { _id: 'num', v: 1 },
        { _id: 'bool', v: true },
        { _id: 'null', v: null },
        { _id: 'none' },
      ];
      const cases: [Filter, string[]][] = [
        [{ v: 'a' }, ['s']],
        [{ v: '{"x":1}' }, ['json']],
        [{ v: 1 }, ['num']],
        [{ v: null }, ['none', 'null']],
        [{ v: { $ne: 'a' } }, ['bool', 'json', 'none', 'null', 'num', 'obj']],
        [{ v: { $ne: null } }, ['bool', 'json', 'num', 'obj', 's']],
        [{ v: { $in: ['a', 'b'] } }, ['s']],
        [{ v: { $nin: ['a', 'b'] } }, ['bool', 'json', 'none', 'null', 'num', 'obj']],
        [{ v: { $lt: 'b' } }, ['s']],
        [{ v: { $lte: '{' } }, ['s']],
        [{ v: { $gte: '0' } }, ['json', 's']],
        // Branches that exclude each other (counted one by one), and overlapping ones (a row once).
        [{ $or: [{ v: 'a' }, { v: null }, { v: 1 }] }, ['none', 'null', 'num', 's']],
        [{ $or: [{ v: 'a' }, { _id: { $in: ['s', 'num'] } }] }, ['num', 's']],
      ];
      for (const indexes of [[], [{ name: 'v', fields: { v: 1 } }]] as IndexSpec[][]) {
        const c = await fresh(indexes);
        await c.insertMany(docs);
        for (const [filter, expected] of cases) {
          const found = (await c.find(filter, { limit: 100 })).items.map((d) => d._id).sort();
          expect([JSON.stringify(filter), found]).toEqual([JSON.stringify(filter), expected]);
          expect(await c.count(filter)).toBe(expected.length);
        }
      }
    });

    describe('refused filters (400, with the offending path)', () => {
      let c: Collection;
      beforeAll(async () => {
        c = await fresh();
        await c.insert({ _id: 'r1', a: 1 });
      });
      for (const [title, filter, path] of REFUSED) {
        it(title, async () => {
          for (const call of [
            () => c.find(filter as Filter),
            () => c.count(filter as Filter),
            () => c.deleteMany(filter as Filter),
          ]) {
            const err = await rejection(call());
            expect(err.code).toBe('MINFLOW_ERR_STORE_FILTER_INVALID');
            expect(err.status).toBe(400);
            expect(err.details[0]?.path).toBe(path);
          }
          expect(await c.count({})).toBe(1);
        });
      }
    });

    describe('sort and cursor pagination', () => {
      interface Task extends StoredDoc {
        dueAt: string | null;
        prio?: number;
        roles: string[];
        org: string[];
        status: string;
      }
      const days = ['2026-03-01', '2026-03-02', null, '2026-03-03'];
      const tasks = Array.from({ length: 37 }, (_, i) => ({
        _id: `k${String((i * 7) % 37).padStart(2, '0')}`,
        dueAt: days[i % days.length],
        prio: i % 3,
        roles: i % 2 ? ['township-staff', 'auditor'] : ['county-approver'],
        org: ['620400', i % 5 ? '620402' : '620421'],
        status: i % 4 === 3 ? 'done' : 'open',
      }));
      const cmp = (a: unknown, b: unknown) =>
        a === b ? 0 : a === null ? -1 : b === null ? 1 : (a as string) < (b as string) ? -1 : 1;
      const order = (list: typeof tasks, dir: 1 | -1) =>
        [...list].sort((a, b) => dir * cmp(a.dueAt, b.dueAt) || dir * cmp(a._id, b._id)).map((t) => t._id);

      async function pages(c: Collection<Task>, filter: Filter, sort: Record<string, 1 | -1>, limit: number) {
        const ids: string[] = [];
        let cursor: string | null = null;
        let count = 0;
        do {
          const page: { items: Task[]; nextCursor: string | null } = await c.find(filter, { sort, limit, cursor });
          expect(page.items.length).toBeLessThanOrEqual(limit);
          if (page.nextCursor) expect(page.items).toHaveLength(limit);
          ids.push(...page.items.map((t) => t._id));
          cursor = page.nextCursor;
          if (++count > 100) throw new Error('pagination does not end');
        } while (cursor);
        return ids;
      }

      for (const indexed of [false, true]) {
        const label = indexed ? 'indexed' : 'unindexed';
        describe(label, () => {
          let c: Collection<Task>;
          beforeAll(async () => {
            c = await fresh<Task>(
              indexed
                ? [
                    { name: 'due', fields: { dueAt: 1 } },
                    { name: 'inbox', fields: { roles: 1, status: 1, dueAt: 1 }, multikey: true },
                    { name: 'org', fields: { org: 1 }, multikey: true },
                  ]
                : [],
            );
            await c.insertMany(tasks);
          });

          it(`walks all pages ascending with ties and nulls, no gaps or repeats (${label})`, async () => {
            expect(await pages(c, {}, { dueAt: 1 }, 5)).toEqual(order(tasks, 1));
          });

          it(`walks all pages descending (${label})`, async () => {
            expect(await pages(c, {}, { dueAt: -1 }, 4)).toEqual(order(tasks, -1));
          });

          it(`pages an inbox-style query: array contains a role, org contains a unit, open, by due date (${label})`, async () => {
            const filter = { roles: 'township-staff', org: '620402', status: 'open' };
            const expected = order(
              tasks.filter(
                (t) => t.roles.includes('township-staff') && t.org.includes('620402') && t.status === 'open',
              ),
              1,
            );
            expect(expected.length).toBeGreaterThan(6);
            expect(await pages(c, filter, { dueAt: 1 }, 3)).toEqual(expected);
            expect(await c.count(filter)).toBe(expected.length);
          });

          it(`pages the inbox query newest first (${label})`, async () => {
            const filter = { roles: 'county-approver', status: 'open' };
            const expected = order(
              tasks.filter((t) => t.roles.includes('county-approver') && t.status === 'open'),
              -1,
            );
            expect(expected.length).toBeGreaterThan(6);
            expect(await pages(c, filter, { dueAt: -1 }, 4)).toEqual(expected);
          });

          it(`sorts on several fields (${label})`, async () => {
            const page = await c.find({}, { sort: { prio: -1, dueAt: 1 }, limit: 1000 });
            const expected = [...tasks]
              .sort((a, b) => (b.prio ?? 0) - (a.prio ?? 0) || cmp(a.dueAt, b.dueAt) || cmp(a._id, b._id))
              .map((t) => t._id);
            expect(page.items.map((t) => t._id)).toEqual(expected);
            expect(page.nextCursor).toBeNull();
          });

          it(`pages and counts an $or of branches, a row matching several of them once (${label})`, async () => {
            // The case list's shape: its jurisdiction, or carbon-copied (here: an auditor's done tasks).
            const filter = { $or: [{ org: '620421' }, { roles: 'auditor', status: 'done' }, { org: '620421' }] };
            const expected = order(
              tasks.filter((t) => t.org.includes('620421') || (t.roles.includes('auditor') && t.status === 'done')),
              -1,
            );
            expect(expected.length).toBeGreaterThan(8);
            expect(
              tasks.some((t) => t.org.includes('620421') && t.roles.includes('auditor') && t.status === 'done'),
            ).toBe(true);
            expect(await pages(c, filter, { dueAt: -1 }, 3)).toEqual(expected);
            expect(await c.count(filter)).toBe(expected.length);
          });

          it(`pages and counts nested $or inside $and, with one branch implied by another (${label})`, async () => {
            // The inbox's shape: (its role at the unit OR the unit) AND open AND (one priority OR another for some roles).
            const filter = {
              $and: [
                { $or: [{ org: '620402', roles: 'township-staff' }, { org: '620402' }] },
                { status: 'open', $or: [{ prio: 2 }, { prio: 0, roles: { $in: ['auditor', 'county-approver'] } }] },
              ],
            };
            const expected = order(
              tasks.filter(
                (t) =>
                  t.org.includes('620402') &&
                  t.status === 'open' &&
                  (t.prio === 2 ||
                    (t.prio === 0 && (t.roles.includes('auditor') || t.roles.includes('county-approver')))),
              ),
              1,
            );
            expect(expected.length).toBeGreaterThan(6);
            expect(await pages(c, filter, { dueAt: 1 }, 2)).toEqual(expected);
            expect(await pages(c, filter, { dueAt: 1 }, 1000)).toEqual(expected);
            expect(await c.count(filter)).toBe(expected.length);
          });
        });
      }

      it('stays stable when documents are inserted between pages', async () => {
        const c = await fresh<Task>([{ name: 'due', fields: { dueAt: 1 } }]);
        await c.insertMany(tasks);
        const first = await c.find({}, { sort: { dueAt: 1 }, limit: 10 });
        const seen = first.items.map((t) => t._id);
        const lastDue = first.items[first.items.length - 1].dueAt;
        // One that sorts before the cursor (must not appear) and one after it (must appear once).
        await c.insert({ _id: 'a-before', dueAt: null, roles: [], org: [], status: 'open' });
        await c.insert({ _id: 'z-after', dueAt: '2026-12-31', roles: [], org: [], status: 'open' });
        let cursor = first.nextCursor;
        while (cursor) {
          const page = await c.find({}, { sort: { dueAt: 1 }, limit: 10, cursor });
          seen.push(...page.items.map((t) => t._id));
          cursor = page.nextCursor;
        }
        expect(lastDue).not.toBeUndefined();
        expect(seen).not.toContain('a-before');
        expect(seen.filter((id) => id === 'z-after')).toHaveLength(1);
        expect(new Set(seen).size).toBe(seen.length);
        expect(seen).toHaveLength(tasks.length + 1);
      });

      it('refuses a cursor from another query, a forged cursor, and a limit out of range', async () => {
        const c = await fresh<Task>();
        await c.insertMany(tasks);
        const page = await c.find({ status: 'open' }, { sort: { dueAt: 1 }, limit: 2 });
        expect(page.nextCursor).toEqual(expect.any(String));
        const other = await rejection(
          c.find({ status: 'done' }, { sort: { dueAt: 1 }, limit: 2, cursor: page.nextCursor }),
        );
        expect(other.code).toBe('MINFLOW_ERR_STORE_CURSOR_INVALID');
        const forged = await rejection(c.find({ status: 'open' }, { sort: { dueAt: 1 }, cursor: 'eyJoIjoiIn0' }));
        expect(forged.code).toBe('MINFLOW_ERR_STORE_CURSOR_INVALID');
        const named = await c.find({ _id: { $regex: '^k0' } }, { limit: 2 });
        const prefix = await rejection(c.find({ _id: { $regex: '^k1' } }, { limit: 2, cursor: named.nextCursor }));
        expect(prefix.code).toBe('MINFLOW_ERR_STORE_CURSOR_INVALID');
        const limit = await rejection(c.find({}, { limit: 5000 }));
        expect(limit.code).toBe('MINFLOW_ERR_STORE_QUERY_INVALID');
        const sort = await rejection(c.find({}, { sort: { 'a;b': 1 } }));
        expect(sort.code).toBe('MINFLOW_ERR_STORE_QUERY_INVALID');
      });
    });

    it('returns only the projected top-level fields (with _id and _v)', async () => {
      const c = await fresh();
      await c.insert({ _id: 'pr', name: '王五', idNumber: '620402199001011234', data: { income: 1200 }, due: 'x' });
      const page = await c.find({ name: '王五' }, { projection: ['name', 'data', 'absent'], sort: { due: 1 } });
      expect(page.items).toEqual([{ _id: 'pr', _v: 1, name: '王五', data: { income: 1200 } }]);
    });

    it('counts and deletes many by filter, leaving the rest', async () => {
      const c = await fresh([{ name: 'tags', fields: { tags: 1 }, multikey: true }]);
      await c.insertMany(PEOPLE);
      expect(await c.count({ tags: 'a' })).toBe(3);
      expect(await c.deleteMany({ tags: 'a' })).toBe(3);
      expect(await c.count({ tags: 'a' })).toBe(0);
      expect(await c.count({})).toBe(PEOPLE.length - 3);
      expect(await c.deleteMany({ name: 'nobody' })).toBe(0);
      expect(await c.deleteMany({})).toBe(PEOPLE.length - 3);
      expect(await c.count({})).toBe(0);
    });

    it('keeps array indexes in step with replace and delete', async () => {
      const c = await fresh([{ name: 'roles', fields: { roles: 1, dueAt: 1 }, multikey: true }]);
      await c.insert({ _id: 't', roles: ['a', 'b'], dueAt: '1' });
      await c.replace('t', 1, { _id: 't', roles: ['c'], dueAt: '1' });
      expect((await c.find({ roles: 'a' }, { sort: { dueAt: 1 } })).items).toEqual([]);
      expect((await c.find({ roles: 'c' }, { sort: { dueAt: 1 } })).items.map((d) => d._id)).toEqual(['t']);
      await c.replace('t', 2, { _id: 't', roles: ['c'], dueAt: '1', note: 'only this changed' });
      expect((await c.find({ roles: 'c' }, { sort: { dueAt: 1 } })).items.map((d) => d._v)).toEqual([3]);
      await c.replace('t', 3, { _id: 't', roles: ['c'], dueAt: '2' });
      await c.insert({ _id: 'u', roles: ['c'], dueAt: '0' });
      expect((await c.find({ roles: 'c' }, { sort: { dueAt: -1 } })).items.map((d) => d._id)).toEqual(['t', 'u']);
      await c.delete('t');
      expect((await c.find({ roles: 'c' }, { sort: { dueAt: 1 } })).items.map((d) => d._id)).toEqual(['u']);
    });

    it('matches array elements through an array index, but not the members of an object', async () => {
      const c = await fresh([{ name: 'labels', fields: { labels: 1, at: 1 }, multikey: true }]);
      await c.insertMany([
        { _id: 'arr', labels: ['x', 'y'], at: 2 },
        { _id: 'scalar', labels: 'x', at: 1 },
        { _id: 'obj', labels: { a: 'x' }, at: 0 },
        { _id: 'none', at: 3 },
      ]);
      expect((await c.find({ labels: 'x' }, { sort: { at: 1 } })).items.map((d) => d._id)).toEqual(['scalar', 'arr']);
      expect((await c.find({ labels: { $in: ['y', 'z'] } })).items.map((d) => d._id)).toEqual(['arr']);
      expect(await c.count({ labels: 'x', at: { $gt: 1 } })).toBe(1);
    });

    it('applies a changed index declaration to existing documents', async () => {
      const name = `t${++seq}_redeclare`;
      await store.ensureCollection({ name, indexes: [{ name: 'ix', fields: { a: 1 } }] });
      const c = store.collection(name);
      await c.insertMany([
        { _id: '1', a: 1, tags: ['x'] },
        { _id: '2', a: 2, tags: ['y', 'x'] },
      ]);
      await store.ensureCollection({ name, indexes: [{ name: 'ix', fields: { tags: 1, a: 1 }, multikey: true }] });
      await store.ensureCollection({ name, indexes: [{ name: 'ix', fields: { tags: 1, a: 1 }, multikey: true }] });
      expect((await c.find({ tags: 'x' }, { sort: { a: -1 } })).items.map((d) => d._id)).toEqual(['2', '1']);
    });
  });
}
