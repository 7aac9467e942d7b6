import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineStoreContract } from './contract.js';
import { EMBEDDED_FILE, openEmbeddedStore } from './embedded.js';
import type { DocumentStore } from './port.js';

const dirs = new Map<DocumentStore, string>();

defineStoreContract('store contract: embedded (SQLite)', {
  async open() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minflow-store-'));
    const store = openEmbeddedStore(dir);
    dirs.set(store, dir);
    return store;
  },
  async dispose(store) {
    await store.close();
    fs.rmSync(dirs.get(store)!, { recursive: true, force: true });
  },
});

describe('embedded store: background checkpoints', () => {
  it('copies the WAL into the database file off the event loop, and closes cleanly', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minflow-ckpt-'));
    try {
      const file = path.join(dir, EMBEDDED_FILE);
      const store = openEmbeddedStore(dir, { backgroundCheckpointAfter: 20 });
      await store.ensureCollection({ name: 'rows' });
      const sizeBefore = fs.statSync(file).size;
      const payload = 'x'.repeat(2000);
      for (let i = 0; i < 200; i++)
        await store.write([{ op: 'insert', collection: 'rows', doc: { _id: `r${i}`, payload } }]);
      // The writer's own automatic checkpoint is only a backstop now (10,000 pages, far beyond these ~200 writes).
      expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
      // Within a few checkpoint intervals the rows are in the database file itself.
      const deadline = Date.now() + 10_000;
      while (fs.statSync(file).size < sizeBefore + 200 * 2000 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      expect(fs.statSync(file).size).toBeGreaterThanOrEqual(sizeBefore + 200 * 2000);
      await store.close();
      expect(fs.existsSync(`${file}-wal`)).toBe(false);
      const reopened = openEmbeddedStore(dir);
      expect(await reopened.collection('rows').count({})).toBe(200);
      await reopened.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('embedded store: concurrent writes', () => {
  it('keeps each concurrent batch all-or-nothing and version-checked; a losing batch alone fails and writes nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minflow-group-'));
    try {
      const store = openEmbeddedStore(dir);
      await store.ensureCollection({ name: 'cases', indexes: [{ name: 'tags', fields: { tags: 1 }, multikey: true }] });
      await store.ensureCollection({ name: 'rows' });
      const cases = store.collection('cases');
      await cases.insert({ _id: 'k1', status: 'open', tags: ['a'] });
      // Issued together (as concurrent requests do): two transitions of k1 at version 1, and an unrelated one.
      const transition = (who: string) =>
        store.write([
          {
            op: 'replace',
            collection: 'cases',
            id: 'k1',
            expectedVersion: 1,
            doc: { _id: 'k1', status: who, tags: [who] },
          },
          { op: 'insert', collection: 'rows', doc: { _id: `row-${who}`, by: who } },
        ]);
      const [first, second, other] = await Promise.allSettled([
        transition('first'),
        transition('second'),
        store.write([{ op: 'insert', collection: 'rows', doc: { _id: 'row-other' } }]),
      ]);
      expect(first.status).toBe('fulfilled');
      expect(second.status).toBe('rejected');
      const lost = (second as PromiseRejectedResult).reason as { code: string; status: number; params: object };
      expect(lost.code).toBe('MINFLOW_ERR_STORE_VERSION_CONFLICT');
      expect(lost.status).toBe(409);
      expect(lost.params).toMatchObject({ op: 0, applied: 0 });
      expect(other.status).toBe('fulfilled');
      expect(await cases.get('k1')).toEqual({ _id: 'k1', _v: 2, status: 'first', tags: ['first'] });
      expect(await cases.count({ tags: 'second' })).toBe(0);
      const rows = store.collection('rows');
      expect((await rows.find({}, { sort: { _id: 1 } })).items.map((r) => r._id)).toEqual(['row-first', 'row-other']);

      // A read issued right after a write (not awaited) sees it; and everything survives a reopen.
      const pending = store.write([{ op: 'insert', collection: 'rows', doc: { _id: 'row-late' } }]);
      expect(await rows.get('row-late')).toMatchObject({ _id: 'row-late', _v: 1 });
      await pending;
      await store.close();
      const reopened = openEmbeddedStore(dir);
      expect(await reopened.collection('rows').count({})).toBe(3);
      expect(await reopened.collection('cases').get('k1')).toMatchObject({ _v: 2, status: 'first' });
      await reopened.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('embedded store: files of the previous layout (scalar indexes on the document)', () => {
  it('answers queries right before and after its indexes are rebuilt, and keeps them in step with writes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minflow-layout-'));
    try {
      // A file as layout 3 wrote it: no `k` column, the scalar index an expression index on `doc`.
      const Database = (await import('better-sqlite3')).default;
      const old = new Database(path.join(dir, EMBEDDED_FILE));
      old.exec(`CREATE TABLE _minflow_indexes (coll TEXT NOT NULL, name TEXT NOT NULL, spec TEXT NOT NULL, PRIMARY KEY (coll, name)) WITHOUT ROWID;
        CREATE TABLE "c_tasks" (rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, v INTEGER NOT NULL, doc TEXT NOT NULL);
        CREATE INDEX "i_tasks__status_due" ON "c_tasks" (json_extract(doc,'$."status"'), json_extract(doc,'$."dueAt"'), id);`);
      old
        .prepare('INSERT INTO _minflow_indexes VALUES (?, ?, ?)')
        .run(
          'tasks',
          'status_due',
          JSON.stringify({
            layout: 3,
            name: 'status_due',
            fields: { status: 1, dueAt: 1 },
            unique: false,
            multikey: false,
          }),
        );
      const insert = old.prepare('INSERT INTO "c_tasks" (id, v, doc) VALUES (?, 1, ?)');
      insert.run('t1', JSON.stringify({ status: 'open', dueAt: '2026-02-01' }));
      insert.run('t2', JSON.stringify({ status: 'closed', dueAt: '2026-01-01' }));
      insert.run('t3', JSON.stringify({ status: 'open', dueAt: '2026-01-15' }));
      old.close();

      const store = openEmbeddedStore(dir);
      const tasks = store.collection('tasks');
      const openIds = async () =>
        (await tasks.find({ status: 'open' }, { sort: { dueAt: 1 } })).items.map((d) => d._id);
      expect(await openIds()).toEqual(['t3', 't1']);
      await store.ensureCollection({
        name: 'tasks',
        indexes: [{ name: 'status_due', fields: { status: 1, dueAt: 1 } }],
      });
      expect(await openIds()).toEqual(['t3', 't1']);
      const { sql, params } = (
        tasks as unknown as { explain(f: object, o: object): { sql: string; params: unknown[] } }
      ).explain({ status: 'open' }, { sort: { dueAt: 1 } });
      const plan = (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
        .map((r) => r.detail)
        .join('\n');
      expect(plan).toContain('USING INDEX i_tasks__status_due');

      // A write that leaves the indexed fields alone, then ones that change them (replace and put).
      const t1 = await tasks.get('t1');
      await tasks.replace('t1', t1!._v, { _id: 't1', status: 'open', dueAt: '2026-02-01', note: 'seen' });
      expect(await openIds()).toEqual(['t3', 't1']);
      await tasks.replace('t1', 2, { _id: 't1', status: 'open', dueAt: '2026-01-02', note: 'moved' });
      await tasks.put({ _id: 't3', status: 'closed', dueAt: '2026-01-15' });
      await tasks.put({ _id: 't2', status: 'open', dueAt: '2026-01-01', note: 'reopened' });
      expect(await openIds()).toEqual(['t2', 't1']);
      expect(await tasks.count({ status: 'closed' })).toBe(1);
      expect(await tasks.get('t1')).toEqual({ _id: 't1', _v: 3, status: 'open', dueAt: '2026-01-02', note: 'moved' });
      await store.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
