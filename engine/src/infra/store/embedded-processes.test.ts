import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { EMBEDDED_FILE, openEmbeddedStore } from './embedded.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const tsx = pathToFileURL(
  path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/loader.mjs'),
).href;

describe('embedded store: two engine processes on one file', () => {
  let dir = '';
  afterEach(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loses no version-checked update and leaves an intact database', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minflow-2proc-'));
    const store = openEmbeddedStore(dir);
    await store.ensureCollection({ name: 'counters' });
    await store.ensureCollection({ name: 'log', indexes: [{ name: 'tags', fields: { tags: 1 }, multikey: true }] });
    await store.collection('counters').insert({ _id: 'shared', n: 0 });
    await store.close();

    const file = path.join(dir, EMBEDDED_FILE);
    const rounds = 300;
    const startAt = String(Date.now() + 2500);
    const workers = ['a', 'b'].map((w) =>
      run(
        process.execPath,
        ['--import', tsx, path.join(here, 'fixtures/hammer.ts'), file, w, String(rounds), startAt],
        {
          timeout: 120_000,
        },
      ),
    );
    const outputs = await Promise.all(workers);
    const summaries = outputs.map((o) => JSON.parse(o.stdout) as { worker: string; conflicts: number });
    expect(summaries.map((s) => s.worker).sort()).toEqual(['a', 'b']);
    // The processes really raced (each retried after the other's write), so the count below means something.
    expect(summaries.reduce((n, s) => n + s.conflicts, 0)).toBeGreaterThan(0);
    console.info(`two processes: ${summaries.map((s) => `${s.worker} retried ${s.conflicts}×`).join(', ')}`);

    const reopened = openEmbeddedStore(dir);
    const counter = await reopened.collection<{ _id: string; _v: number; n: number }>('counters').get('shared');
    // Every increment that reported success is there: no lost update.
    expect(counter?.n).toBe(2 * rounds);
    expect(counter?._v).toBe(2 * rounds + 1);
    const log = reopened.collection('log');
    expect(await log.count({})).toBe(2 * rounds);
    // The array index written by both processes' triggers agrees with the documents.
    expect(await log.count({ tags: 'a' })).toBe(rounds);
    expect((await log.find({ tags: 'r3' }, { limit: 1000 })).items).toHaveLength(
      Array.from({ length: rounds }, (_, i) => i).filter((i) => i % 7 === 3).length * 2,
    );
    await reopened.close();

    const db = new Database(file, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  }, 150_000);
});
