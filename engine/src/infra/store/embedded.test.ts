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
