import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineStoreContract } from './contract.js';
import { openEmbeddedStore } from './embedded.js';
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
