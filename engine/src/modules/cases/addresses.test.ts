import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAs, type TestApp } from '../../../test/helpers.js';
import { addressItem } from './address-item.test-helpers.js';

const KEY = 'address-allowance';
const DONGGUAN = 'baiyin/huining/huishi/dongguan';

describe('address fields (minflow-address) in case data', () => {
  let t: TestApp;
  const h: Record<string, Record<string, string>> = {};
  beforeAll(async () => {
    t = await createTestApp();
    for (const u of ['admin', 'village', 'township']) h[u] = await loginAs(t.app, u);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/definitions',
      headers: h.admin,
      payload: addressItem(KEY),
    });
    expect(created.statusCode, created.body).toBe(201);
    const published = await t.app.inject({
      method: 'POST',
      url: `/api/definitions/${KEY}/publish`,
      headers: h.admin,
      payload: {},
    });
    expect(published.statusCode, published.body).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const file = (data: Record<string, unknown>, lang = 'zh-CN') =>
    t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { ...h.village, 'accept-language': lang },
      payload: { itemKey: KEY, data },
    });
  const caseCount = async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/cases?itemKey=${KEY}&limit=100`, headers: h.admin });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().items as unknown[]).length;
  };

  it('stores a valid address with the region text from the jurisdiction tree, not the one sent', async () => {
    const res = await file({
      name: '王淑珍',
      home: { unitId: DONGGUAN, region: '随便写的地址', detail: '三组12号' },
      hukou: { unitId: 'baiyin/huining/huishi' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const read = await t.app.inject({ method: 'GET', url: `/api/cases/${res.json().id}`, headers: h.township });
    expect(read.json().data.home).toEqual({ unitId: DONGGUAN, region: '白银市会宁县会师镇东关村', detail: '三组12号' });
    expect(read.json().data.hukou).toEqual({ unitId: 'baiyin/huining/huishi', region: '白银市会宁县会师镇' });
  });

  it('refuses an unknown unit with a 400 naming /data/home/unitId in zh-CN and en, and writes nothing', async () => {
    const before = await caseCount();
    const res = await file({ name: '王淑珍', home: { unitId: 'baiyin/huining/huishi/nowhere', detail: '一组' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('MINFLOW_ERR_CASES_DATA_INVALID');
    expect(res.json().details).toEqual([
      { path: '/data/home/unitId', message: '所选地址（baiyin/huining/huishi/nowhere）不在行政区划中，请从列表中选择' },
    ]);
    const en = await file({ name: 'Wang', home: { unitId: 'nowhere' } }, 'en');
    expect(en.statusCode).toBe(400);
    expect(en.json().details[0].path).toBe('/data/home/unitId');
    expect(en.json().details[0].message).toContain('not a unit of the administrative divisions');
    expect(await caseCount()).toBe(before);
  });

  it('refuses a unit at another level than the field asks for (a township for a village address)', async () => {
    const res = await file({ name: '王淑珍', home: { unitId: 'baiyin/huining/huishi' }, hukou: { unitId: DONGGUAN } });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([
      { path: '/data/home/unitId', message: '地址须选到村（社区）一级（会师镇不是）' },
      { path: '/data/hukou/unitId', message: '地址须选到乡镇（街道）一级（东关村不是）' },
    ]);
  });

  it('a detail longer than 100 characters is refused by the schema at the field', async () => {
    const res = await file({ name: '王淑珍', home: { unitId: DONGGUAN, detail: '号'.repeat(101) } });
    expect(res.statusCode).toBe(400);
    expect(res.json().details.map((d: { path: string }) => d.path)).toEqual(['/data/home/detail']);
  });

  it('a changed address at a task is checked the same way and gets its region from the tree', async () => {
    const created = await file({ name: '李明', home: { unitId: DONGGUAN } });
    expect(created.statusCode, created.body).toBe(201);
    const task = created.json().openTasks[0];
    const complete = (changes: Record<string, unknown>) =>
      t.app.inject({
        method: 'POST',
        url: `/api/tasks/${task.id}/complete`,
        headers: h.township,
        payload: { action: 'approve', changes },
      });
    const bad = await complete({ home: { unitId: 'baiyin/nowhere' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].path).toBe('/changes/home/unitId');
    const good = await complete({ home: { unitId: 'baiyin/huining/huishi/xiguan', region: 'x', detail: '5号' } });
    expect(good.statusCode, good.body).toBe(200);
    expect(good.json().data.home).toEqual({
      unitId: 'baiyin/huining/huishi/xiguan',
      region: '白银市会宁县会师镇西关社区',
      detail: '5号',
    });
  });
});
