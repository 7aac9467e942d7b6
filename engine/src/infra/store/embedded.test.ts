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
