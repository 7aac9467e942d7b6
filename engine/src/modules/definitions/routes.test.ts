import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAs, TEST_DEMO_PASSWORD, type TestApp } from '../../../test/helpers.js';
import { repoRoot } from '../../config.js';
import { simpleBpmn, simpleDefinition } from './fixtures.test-helpers.js';

let t: TestApp;
let admin: { authorization: string };

beforeAll(async () => {
  t = await createTestApp();
  admin = await loginAs(t.app, 'admin');
});
afterAll(async () => {
  await t?.close();
});

function inject(method: 'GET' | 'POST' | 'PUT', url: string, headers: Record<string, string>, payload?: unknown) {
  return t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
}

describe('definitions API', () => {
  it('requires a session and the right ability', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/definitions' })).statusCode).toBe(401);
    const village = await loginAs(t.app, 'village');
    const res = await inject('POST', '/api/definitions', village, simpleDefinition('village-made'));
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('MINFLOW_ERR_AUTH_FORBIDDEN');
  });

  it('creates, reads, updates with version checks, publishes and lists versions', async () => {
    const created = await inject('POST', '/api/definitions', admin, simpleDefinition('api-item'));
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ key: 'api-item', version: 1, publishedVersion: null });

    expect((await inject('POST', '/api/definitions', admin, simpleDefinition('api-item'))).json().code).toBe(
      'MINFLOW_ERR_DEFINITIONS_EXISTS',
    );

    const read = await inject('GET', '/api/definitions/api-item', admin);
    expect(read.statusCode).toBe(200);
    expect(read.json().formSchema.properties.idNumber.format).toBe('cn-resident-id');

    const { key: _k, ...content } = simpleDefinition('api-item');
    const updated = await inject('PUT', '/api/definitions/api-item', admin, {
      ...content,
      version: 1,
      description: '新说明',
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json().version).toBe(2);
    const stale = await inject('PUT', '/api/definitions/api-item', admin, { ...content, version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('MINFLOW_ERR_DEFINITIONS_DRAFT_CONFLICT');

    const published = await inject('POST', '/api/definitions/api-item/publish', admin);
    expect(published.statusCode).toBe(201);
    expect(published.json()).toMatchObject({ key: 'api-item', version: 1, created: true });
    const again = await inject('POST', '/api/definitions/api-item/publish', admin);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ version: 1, created: false });
    const staleAsk = await inject('POST', '/api/definitions/api-item/publish?version=1', admin);
    expect(staleAsk.statusCode).toBe(409);

    const versions = await inject('GET', '/api/definitions/api-item/versions', admin);
    expect(versions.json()).toMatchObject({ items: [{ key: 'api-item', version: 1 }], nextCursor: null });

    const list = await inject('GET', '/api/definitions?limit=100', admin);
    expect(list.json().items.find((d: { key: string }) => d.key === 'api-item')).toMatchObject({
      publishedVersion: 1,
      hasUnpublishedChanges: false,
    });
  });

  it('answers 400 with the offending pointer or BPMN element when publishing a broken definition', async () => {
    const bad = simpleDefinition('broken-api', {
      formSchema: { type: 'object', properties: { age: { type: 'integer', minimum: 'zero' } } },
      bpmnXml: simpleBpmn().replace('minflow:level="township"', 'minflow:level="province"'),
    });
    expect((await inject('POST', '/api/definitions', admin, bad)).statusCode).toBe(201);
    const res = await inject('POST', '/api/definitions/broken-api/publish', { ...admin, 'accept-language': 'en' });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('MINFLOW_ERR_DEFINITIONS_INVALID');
    expect(body.details).toEqual(
      expect.arrayContaining([
        { path: '/formSchema/properties/age/minimum', message: expect.any(String) },
        {
          path: 'bpmn:Review',
          message: 'minflow:level must be one of city | county | township | village, got "province"',
        },
      ]),
    );
    const zh = await inject('POST', '/api/definitions/broken-api/publish', admin);
    expect(zh.json().message).toMatch(/^事项定义校验未通过/);

    const dry = await inject('POST', '/api/definitions/broken-api/validate', admin);
    expect(dry.statusCode).toBe(200);
    expect(dry.json().valid).toBe(false);
    expect(dry.json().problems.map((p: { path: string }) => p.path)).toContain('bpmn:Review');
  });

  it('refuses a BPMN document with a DOCTYPE', async () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>${simpleBpmn().replace('<?xml version="1.0" encoding="UTF-8"?>', '')}`;
    await inject('POST', '/api/definitions', admin, simpleDefinition('doctype', { bpmnXml: xml }));
    const res = await inject('POST', '/api/definitions/doctype/publish', admin);
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].path).toBe('/bpmnXml');
  });

  it('validates request bodies and params with their schemas', async () => {
    const res = await inject('POST', '/api/definitions', admin, { ...simpleDefinition('Not_Kebab'), extra: 1 });
    expect(res.statusCode).toBe(400);
    expect(
      res
        .json()
        .details.map((d: { path: string }) => d.path)
        .sort(),
    ).toEqual(['/extra', '/key']);
    expect((await inject('GET', '/api/definitions/nope-nothing', admin)).statusCode).toBe(404);
  });
});

describe('items API (catalog)', () => {
  beforeAll(async () => {
    for (const [key, startLevels] of [
      ['village-start', ['village', 'township']],
      ['county-start', ['county']],
    ] as const) {
      await inject('POST', '/api/definitions', admin, simpleDefinition(key, { startLevels }));
      await inject('POST', `/api/definitions/${key}/publish`, admin);
    }
  });

  it('lists only the items the caller may start at their level', async () => {
    const village = await loginAs(t.app, 'village');
    const items = (await inject('GET', '/api/items', village)).json().items.map((i: { key: string }) => i.key);
    expect(items).toContain('village-start');
    expect(items).not.toContain('county-start');
    const township = await loginAs(t.app, 'township');
    expect((await inject('GET', '/api/items', township)).json().items.map((i: { key: string }) => i.key)).toContain(
      'village-start',
    );
    // The county approver and the city admin start nothing.
    const county = await loginAs(t.app, 'county');
    expect((await inject('GET', '/api/items', county)).json().items).toEqual([]);
    expect((await inject('GET', '/api/items', admin)).json().items).toEqual([]);
  });

  it('serves a published item’s schemas, latest or by version', async () => {
    const village = await loginAs(t.app, 'village');
    const res = await inject('GET', '/api/items/village-start', village);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ key: 'village-start', version: 1, taskForms: {} });
    expect(res.json().formSchema.type).toBe('object');
    expect(res.json().bpmnXml).toContain('bpmn:process');
    expect((await inject('GET', '/api/items/village-start?version=9', village)).statusCode).toBe(404);
    expect((await inject('GET', '/api/items/not-there', village)).statusCode).toBe(404);
  });
});

describe('first-start import', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'minflow-defs-dir-'));
    await cp(path.join(repoRoot, 'definitions', 'elderly-allowance'), path.join(dir, 'elderly-allowance'), {
      recursive: true,
    });
    // A broken folder: its BPMN has a user task without roles. It must be skipped, not stop the engine.
    await cp(path.join(repoRoot, 'definitions', 'elderly-allowance'), path.join(dir, 'broken-item'), {
      recursive: true,
    });
    const { readFile } = await import('node:fs/promises');
    const bpmn = await readFile(path.join(dir, 'broken-item', 'process.bpmn'), 'utf8');
    await writeFile(path.join(dir, 'broken-item', 'process.bpmn'), bpmn.replace('minflow:roles="township-staff" ', ''));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('imports and publishes each valid folder once, skips broken ones, and is idempotent across restarts', async () => {
    const first = await createTestApp({ config: { definitionsDir: dir } });
    try {
      const headers = await loginAs(first.app, 'admin');
      const list = await first.app.inject({ method: 'GET', url: '/api/definitions', headers });
      expect(list.json().items.map((d: { key: string }) => d.key)).toEqual(['elderly-allowance']);
      const versions = await first.app.inject({
        method: 'GET',
        url: '/api/definitions/elderly-allowance/versions',
        headers,
      });
      expect(versions.json().items).toMatchObject([{ version: 1, publishedBy: 'system' }]);
      const village = await loginAs(first.app, 'village');
      const items = await first.app.inject({ method: 'GET', url: '/api/items', headers: village });
      expect(items.json().items).toMatchObject([{ key: 'elderly-allowance', name: { zh: '高龄津贴' }, version: 1 }]);

      // A restart on the same data dir publishes nothing new.
      await first.app.close();
      const { buildApp } = await import('../../app.js');
      const again = await buildApp({
        env: {},
        config: {
          dataDir: first.dataDir,
          definitionsDir: dir,
          seedDemo: true,
          demoPassword: TEST_DEMO_PASSWORD,
          mongodbUrl: null,
        },
        logger: false,
      });
      try {
        await again.ready();
        const h = await loginAs(again, 'admin');
        const v = await again.inject({ method: 'GET', url: '/api/definitions/elderly-allowance/versions', headers: h });
        expect(v.json().items).toHaveLength(1);
      } finally {
        await again.close();
      }
    } finally {
      await rm(first.dataDir, { recursive: true, force: true });
    }
  });
});
