import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAs, type TestApp } from '../../../test/helpers.js';

interface Region {
  id: string;
  name: string;
  level: string;
  parentId: string | null;
}

describe('GET /api/org-units/regions (address pickers)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });
  const regions = async (who: string) => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/org-units/regions',
      headers: await loginAs(t.app, who),
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { cityId: string; items: Region[] };
  };

  it('gives a village assistant the whole city: every county, township and village, with names only', async () => {
    const own = await t.app.inject({
      method: 'GET',
      url: '/api/org-units?format=tree',
      headers: await loginAs(t.app, 'village'),
    });
    const body = await regions('village');
    expect(body.cityId).toBe('baiyin');
    expect(body.items.length).toBeGreaterThan(own.json().items.length);
    expect(body.items.find((u) => u.id === 'baiyin')).toEqual({
      id: 'baiyin',
      name: '白银市',
      level: 'city',
      parentId: null,
    });
    // Another county's village, outside the assistant's jurisdiction, is there for picking.
    const jingyuan = body.items.filter((u) => u.id.startsWith('baiyin/jingyuan/'));
    expect(jingyuan.some((u) => u.level === 'village')).toBe(true);
    expect(new Set(body.items.map((u) => u.level))).toEqual(new Set(['city', 'county', 'township', 'village']));
    for (const u of body.items) expect(Object.keys(u).sort()).toEqual(['id', 'level', 'name', 'parentId']);
  });

  it('needs a session', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/org-units/regions' });
    expect(res.statusCode).toBe(401);
  });

  it('shows a unit added by the city admin on the next read (the cached list is refreshed)', async () => {
    const before = await regions('township');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/org-units',
      headers: await loginAs(t.app, 'admin'),
      payload: { parentId: 'baiyin/huining/huishi', slug: 'xinzhuang', name: '新庄村', code: '620422100299' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const after = await regions('township');
    expect(after.items.length).toBe(before.items.length + 1);
    expect(after.items.find((u) => u.id === 'baiyin/huining/huishi/xinzhuang')).toMatchObject({
      name: '新庄村',
      level: 'village',
      parentId: 'baiyin/huining/huishi',
    });
  });
});
