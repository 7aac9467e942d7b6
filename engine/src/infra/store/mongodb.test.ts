import { defineStoreContract } from './contract.js';
import { MongoStore, openMongoStore } from './mongodb.js';

// CI sets MONGODB_URL (FerretDB started by .ci/ferretdb.sh); without it this suite is skipped by name.
const url = process.env.MONGODB_URL;

defineStoreContract(
  'store contract: mongodb',
  url
    ? {
        async open() {
          const dbName = `minflow_test_${process.pid}_${Date.now().toString(36)}`;
          return openMongoStore(url, { dbName });
        },
        async dispose(store) {
          if (store instanceof MongoStore) await store.db.dropDatabase();
          await store.close();
        },
      }
    : null,
  url ? undefined : 'set MONGODB_URL',
);
