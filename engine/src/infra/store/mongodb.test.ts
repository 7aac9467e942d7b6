import { expect } from 'vitest';
import { defineStoreContract } from './contract.js';
import { createStore } from './index.js';
import { MongoStore } from './mongodb.js';

// CI sets MONGODB_URL (FerretDB started by .ci/ferretdb.sh); without it this suite is skipped by name.
const url = process.env.MONGODB_URL;

/** The same server, another database: each run works in its own and drops it afterwards. */
function withDatabase(base: string, db: string): string {
  return base.replace(/^(mongodb(?:\+srv)?:\/\/[^/?]+)(\/[^?]*)?/, `$1/${db}`);
}

defineStoreContract(
  'store contract: mongodb',
  url
    ? {
        async open() {
          const db = `minflow_test_${process.pid}_${Date.now().toString(36)}`;
          // Through createStore, as the engine opens it when MONGODB_URL is set.
          const store = await createStore({ dataDir: '/nonexistent', mongodbUrl: withDatabase(url, db) });
          expect(store.kind).toBe('mongodb');
          expect((store as MongoStore).db.databaseName).toBe(db);
          return store;
        },
        async dispose(store) {
          if (store instanceof MongoStore) await store.db.dropDatabase();
          await store.close();
        },
      }
    : null,
  url ? undefined : 'set MONGODB_URL',
);
