import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAs, type TestApp } from '../../../test/helpers.js';
import { repoRoot } from '../../config.js';
import { listDefinitionFolders } from './folder.js';

/**
 * Every shipped item exported as one file from an engine that published it, and imported into
 * another engine: the same content (hash), no semantic difference, and it publishes there.
 */
describe('export and import of the 19 items between two engines', () => {
  let source: TestApp;
  let target: TestApp;
  let keys: string[];
  beforeAll(async () => {
    const dir = path.join(repoRoot, 'definitions');
    keys = (await listDefinitionFolders(dir)).map((f) => path.basename(f));
    source = await createTestApp({ config: { definitionsDir: dir } });
    target = await createTestApp();
  }, 120_000);
  afterAll(async () => {
    await source?.close();
    await target?.close();
  });

  it('finds the 19 items', () => {
    expect(keys).toHaveLength(19);
  });

  it('round-trips each item unchanged', async () => {
    const fromAdmin = await loginAs(source.app, 'admin');
    const toAdmin = await loginAs(target.app, 'admin');
    for (const key of keys) {
      const exported = await source.app.inject({
        method: 'GET',
        url: `/api/definitions/${key}/export?version=1`,
        headers: fromAdmin,
      });
      expect(exported.statusCode, `${key}: ${exported.body}`).toBe(200);
      // Through text, as a file would travel.
      const file = JSON.parse(exported.body);
      expect(file.format).toBe('minflow.item/1');
      const imported = await target.app.inject({
        method: 'POST',
        url: '/api/definitions/import',
        headers: toAdmin,
        payload: file,
      });
      expect(imported.statusCode, `${key}: ${imported.body}`).toBe(201);
      const original = await source.app.inject({ method: 'GET', url: `/api/definitions/${key}`, headers: fromAdmin });
      expect(imported.json().hash, key).toBe(original.json().hash);

      const published = await target.app.inject({
        method: 'POST',
        url: `/api/definitions/${key}/publish`,
        headers: toAdmin,
      });
      expect(published.statusCode, `${key}: ${published.body}`).toBe(201);
      const back = await target.app.inject({
        method: 'GET',
        url: `/api/definitions/${key}/export?version=1`,
        headers: toAdmin,
      });
      const { exportedAt: _a, ...again } = back.json();
      const { exportedAt: _b, ...first } = file;
      expect(again, key).toEqual(first);
    }
  }, 120_000);
});

describe('an exported file dropped into definitions/', () => {
  it('is imported and published on first start like a folder', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { simpleDefinition } = await import('./fixtures.test-helpers.js');
    const { toItemFile } = await import('./exchange.js');
    const dir = await mkdtemp(path.join(tmpdir(), 'minflow-defs-file-'));
    const { key, ...rest } = simpleDefinition('shared-item');
    const file = toItemFile({ key, ...rest } as never, 3, '2026-01-01T00:00:00.000Z');
    await writeFile(path.join(dir, 'shared-item-v3.minflow.json'), JSON.stringify(file));
    await writeFile(path.join(dir, 'broken.minflow.json'), JSON.stringify({ ...file, format: 'other/1' }));
    const app = await createTestApp({ config: { definitionsDir: dir } });
    try {
      const admin = await loginAs(app.app, 'admin');
      const versions = await app.app.inject({
        method: 'GET',
        url: '/api/definitions/shared-item/versions',
        headers: admin,
      });
      expect(versions.json().items).toMatchObject([{ version: 1, publishedBy: 'system' }]);
      const list = await app.app.inject({ method: 'GET', url: '/api/definitions', headers: admin });
      expect(list.json().items.map((d: { key: string }) => d.key)).toEqual(['shared-item']);
    } finally {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
