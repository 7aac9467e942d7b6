import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MinflowError } from '../../errors/registry.js';
import { EMBEDDED_FILE } from './embedded.js';
import { createStore } from './index.js';
import { databaseFromUrl, openMongoStore } from './mongodb.js';

describe('createStore', () => {
  let dir = '';
  afterEach(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens the embedded SQLite file under the data dir when no MongoDB URL is set, and keeps data across reopen', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minflow-create-'));
    const dataDir = path.join(dir, 'nested', 'data');
    const store = await createStore({ dataDir, mongodbUrl: null });
    expect(store.kind).toBe('embedded');
    await store.collection('cases').insert({ _id: 'c1', status: 'draft' });
    await store.close();
    expect(fs.existsSync(path.join(dataDir, EMBEDDED_FILE))).toBe(true);
    const again = await createStore({ dataDir, mongodbUrl: null });
    expect(await again.collection('cases').get('c1')).toEqual({ _id: 'c1', _v: 1, status: 'draft' });
    await again.close();
  });

  it('answers MINFLOW_ERR_STORE_UNAVAILABLE (503) after close and for an unreachable MongoDB', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minflow-create-'));
    const store = await createStore({ dataDir: dir, mongodbUrl: null });
    await store.close();
    await expect(store.collection('x').get('a')).rejects.toMatchObject({
      code: 'MINFLOW_ERR_STORE_UNAVAILABLE',
      status: 503,
    });
    const err = await openMongoStore('mongodb://127.0.0.1:1/minflow', { serverSelectionTimeoutMS: 300 }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(MinflowError);
    expect(err.code).toBe('MINFLOW_ERR_STORE_UNAVAILABLE');
  });

  it('takes the database from the MongoDB URL, defaulting to minflow', () => {
    expect(databaseFromUrl('mongodb://127.0.0.1:27017/civil')).toBe('civil');
    expect(databaseFromUrl('mongodb://a:1,b:2/prod?replicaSet=rs0')).toBe('prod');
    expect(databaseFromUrl('mongodb://127.0.0.1:27017')).toBe('minflow');
    expect(databaseFromUrl('mongodb://127.0.0.1:27017/?retryWrites=true')).toBe('minflow');
  });
});
