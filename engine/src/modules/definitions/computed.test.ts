import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAs, type TestApp } from '../../../test/helpers.js';
import { repoRoot } from '../../config.js';
import { simpleDefinition } from './fixtures.test-helpers.js';
import { loadDefinitionFolder } from './folder.js';
import { contentHash } from './model.js';

let t: TestApp;
let admin: { authorization: string };

beforeAll(async () => {
  t = await createTestApp();
  admin = await loginAs(t.app, 'admin');
});
afterAll(async () => {
  await t?.close();
});

function inject(method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, lang = 'zh-CN') {
  return t.app.inject({
    method,
    url,
    headers: { ...admin, 'accept-language': lang },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

const computed = [
  {
    path: 'assessment.monthlyAmount',
    title: { zh: '核算月保障金（元）', en: 'Computed monthly amount (yuan)' },
    format: 'money',
  },
  { path: 'assessment.eligible', title: { zh: '是否符合条件' }, format: 'boolean' },
  { path: 'note', title: { zh: '说明' } },
];

describe('computed values (核算结果) of a definition', () => {
  it('are kept on the draft, the published version, the item read and the export/import', async () => {
    const created = await inject('POST', '/api/definitions', simpleDefinition('computed-item', { computed }));
    expect(created.statusCode).toBe(201);
    expect(created.json().computed).toEqual(computed);
    expect((await inject('GET', '/api/definitions/computed-item')).json().computed).toEqual(computed);

    const { key: _k, ...content } = simpleDefinition('computed-item');
    const changed = [computed[0]];
    const updated = await inject('PUT', '/api/definitions/computed-item', {
      ...content,
      version: 1,
      computed: changed,
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json().computed).toEqual(changed);

    const diff = await inject('GET', '/api/definitions/computed-item/diff?from=draft&to=draft');
    expect(diff.json().same).toBe(true);
    expect((await inject('POST', '/api/definitions/computed-item/publish')).statusCode).toBe(201);
    const item = await inject('GET', '/api/items/computed-item');
    expect(item.statusCode).toBe(200);
    expect(item.json().computed).toEqual(changed);

    const exported = await inject('GET', '/api/definitions/computed-item/export?version=1');
    expect(exported.statusCode).toBe(200);
    expect(exported.json().item.computed).toEqual(changed);
    const imported = await inject('POST', '/api/definitions/import?key=computed-copy', exported.json());
    expect(imported.statusCode).toBe(201);
    expect(imported.json().computed).toEqual(changed);

    // a change of the computed values alone is a new version, and the diff says so
    const v = (await inject('GET', '/api/definitions/computed-item')).json().version;
    await inject('PUT', '/api/definitions/computed-item', { ...content, version: v, computed });
    const diffed = await inject('GET', '/api/definitions/computed-item/diff?from=1&to=draft');
    expect(diffed.json().item).toEqual([{ attribute: 'computed', from: changed, to: computed }]);
    const second = await inject('POST', '/api/definitions/computed-item/publish');
    expect(second.json()).toMatchObject({ version: 2, created: true });
  });

  it('changes the content hash only when declared', () => {
    const { key: _k, ...plain } = simpleDefinition('h') as never as Parameters<typeof contentHash>[0] & {
      key: string;
    };
    const withComputed = { ...plain, computed: [computed[0]] } as Parameters<typeof contentHash>[0];
    expect(contentHash({ ...plain, computed: undefined })).toBe(contentHash(plain));
    expect(contentHash(withComputed)).not.toBe(contentHash(plain));
  });

  it('an item without computed values has none on its item read', async () => {
    await inject('POST', '/api/definitions', simpleDefinition('computed-none'));
    await inject('POST', '/api/definitions/computed-none/publish');
    const item = await inject('GET', '/api/items/computed-none');
    expect(item.statusCode).toBe(200);
    expect(item.json().computed).toBeUndefined();
  });

  it('refuses an unknown format, a path that is not a variable path and unknown fields, naming each', async () => {
    const bad = [
      { path: 'assessment.monthlyAmount', title: { zh: '金额' }, format: 'currency' },
      { path: 'assessment..x', title: { zh: '坏路径' } },
      { path: 'a', title: { zh: '多余' }, colour: 'red' },
      { path: 'b' },
    ];
    const res = await inject('POST', '/api/definitions', simpleDefinition('computed-bad', { computed: bad }));
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('MINFLOW_ERR_COMMON_VALIDATION');
    const paths = body.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining(['/computed/0/format', '/computed/1/path', '/computed/2/colour', '/computed/3/title']),
    );
    expect(body.details.find((d: { path: string }) => d.path === '/computed/0/format').message).toBe(
      '应当是预设定的枚举值之一',
    );

    const en = await inject('POST', '/api/definitions', simpleDefinition('computed-bad', { computed: [bad[0]] }), 'en');
    expect(en.statusCode).toBe(400);
    expect(en.json()).toMatchObject({
      code: 'MINFLOW_ERR_COMMON_VALIDATION',
      details: [{ path: '/computed/0/format', message: 'must be equal to one of the allowed values' }],
    });
  });

  it('are refused on import of an item file with a bad format, naming the field', async () => {
    await inject('POST', '/api/definitions', simpleDefinition('computed-src', { computed }));
    const file = (await inject('GET', '/api/definitions/computed-src/export')).json();
    file.item.computed = [{ path: 'x', title: { zh: 'x' }, format: 'percent' }];
    const res = await inject('POST', '/api/definitions/import?key=computed-bad-import', file);
    expect(res.statusCode).toBe(400);
    expect(res.json().details.map((d: { path: string }) => d.path)).toContain('/item/computed/0/format');
  });
});

describe('computed values in a definition folder', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'minflow-computed-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('are read from item.json and checked there', async () => {
    const folder = path.join(dir, 'dibao-rural');
    await cp(path.join(repoRoot, 'definitions', 'dibao-rural'), folder, { recursive: true });
    const item = JSON.parse(await readFile(path.join(folder, 'item.json'), 'utf8'));
    const ok = await loadDefinitionFolder(folder);
    expect(ok.ok && ok.input.computed).toEqual(item.computed);

    item.computed = [{ path: 'assessment.monthlyAmount', title: { zh: '金额' }, format: 'yuan' }];
    await writeFile(path.join(folder, 'item.json'), JSON.stringify(item));
    const bad = await loadDefinitionFolder(folder);
    expect(bad.ok).toBe(false);
    expect(bad.ok ? [] : bad.problems.map((p) => p.path)).toEqual(['item.json/computed/0/format']);
  });
});
