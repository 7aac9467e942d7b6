import type { ServiceTaskContext } from '@minflow/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAs, type TestApp } from '../../../test/helpers.js';
import { AUDIT_COLLECTION } from '../../infra/audit/log.js';
import { ManualClock } from '../../infra/clock.js';
import { CASES } from '../cases/model.js';
import { demoStandards, STANDARDS, type StandardsDoc, standardsId } from './model.js';
import { beijingYear } from './service.js';

const HUINING = 'baiyin/huining';
const url = (county: string, year: number) => `/api/standards/${encodeURIComponent(county)}/${year}`;

function ctx(overrides: Partial<ServiceTaskContext>): ServiceTaskContext {
  return {
    jobKey: 'c1:job:x:1',
    caseId: 'c-new',
    itemKey: 'dibao-urban',
    elementId: 'standards',
    attempt: 1,
    variables: {},
    orgPath: ['baiyin', HUINING, 'baiyin/huining/huishi', 'baiyin/huining/huishi/dongguan'],
    now: new Date('2026-03-02T01:00:00Z'),
    log: { info() {}, warn() {}, error() {} },
    ...overrides,
  };
}

describe('standards (救助标准) per county and year', () => {
  let t: TestApp;
  const clock = new ManualClock('2026-03-02T01:00:00Z');
  beforeAll(async () => {
    t = await createTestApp({ clock });
  });
  afterAll(async () => t?.close());

  async function as(user: string | null, method: 'GET' | 'PUT', path: string, payload?: unknown) {
    const headers = user ? await loginAs(t.app, user) : {};
    return t.app.inject({ method, url: path, headers, payload: payload as object | undefined });
  }

  it('seeds the demo figures of the five counties of 白银市 for 2025 and 2026, marked as demo', async () => {
    expect((await as(null, 'GET', '/api/standards')).statusCode).toBe(401);
    const res = await as('village', 'GET', '/api/standards?year=2026');
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as Array<Record<string, unknown>>;
    expect(items.map((i) => i.countyName).sort()).toEqual(['会宁县', '平川区', '景泰县', '白银区', '靖远县']);
    const huining = items.find((i) => i.countyId === HUINING) as Record<string, unknown>;
    const seeded = demoStandards().find((s) => s.countyId === HUINING && s.year === 2026);
    expect(huining).toMatchObject({ ...seeded, demo: true, version: 1 });
    expect(huining.note).toContain('演示数据');
    // the low-income multiplier of the brief, and tekun basic = 1.3 × the urban standard
    expect(huining.lowIncomeMultiplier).toBe(1.5);
    expect(huining.tekunBasicMonthly).toBe(Math.round((huining.urbanMonthly as number) * 1.3));
    // 高龄津贴 rises with the age band
    expect(huining.elderlyAllowanceMonthly).toEqual({ '80-89': 80, '90-99': 150, '100+': 400 });
    expect(huining.missingFigures).toBeUndefined();
  });

  it('PUT: city administrators only, version-checked, unknown fields refused, audited', async () => {
    const current = (await as('admin', 'GET', url(HUINING, 2026))).json();
    const {
      countyId: _c,
      countyName: _n,
      year: _y,
      version,
      demo: _d,
      updatedAt: _u,
      updatedBy: _b,
      ...figures
    } = current;
    const body = { ...figures, urbanMonthly: 830, note: '会民发〔2026〕12号', version };

    expect((await as('county', 'PUT', url(HUINING, 2026), body)).statusCode).toBe(403);
    expect((await as('admin', 'PUT', url(HUINING, 2026), { ...body, surprise: 1 })).statusCode).toBe(400);
    expect((await as('admin', 'PUT', url(HUINING, 2026), { ...body, urbanMonthly: -1 })).statusCode).toBe(400);

    const ok = await as('admin', 'PUT', url(HUINING, 2026), body);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ urbanMonthly: 830, demo: false, version: version + 1, updatedBy: 'user-admin' });
    // the same (now stale) version again loses
    const stale = await as('admin', 'PUT', url(HUINING, 2026), { ...body, urbanMonthly: 840 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('MINFLOW_ERR_STORE_VERSION_CONFLICT');

    const audit = await t.app.store.collection(AUDIT_COLLECTION).find({ subjectType: 'Standards' }, { limit: 10 });
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({
      action: 'standards.update',
      subjectId: `${HUINING}@2026`,
      before: expect.objectContaining({ urbanMonthly: 815 }),
      after: expect.objectContaining({ urbanMonthly: 830 }),
    });
  });

  it('PUT creates a new year without a version; a county id that is not a county is refused', async () => {
    const base = (await as('admin', 'GET', url('baiyin/jingtai', 2026))).json();
    const {
      countyId: _c,
      countyName: _n,
      year: _y,
      version: _v,
      demo: _d,
      updatedAt: _u,
      updatedBy: _b,
      note: _no,
      ...figures
    } = base;
    const created = await as('admin', 'PUT', url('baiyin/jingtai', 2027), { ...figures, urbanMonthly: 850 });
    expect(created.statusCode, created.body).toBe(200);
    expect(created.json()).toMatchObject({ year: 2027, version: 1, countyName: '景泰县' });
    const again = await as('admin', 'PUT', url('baiyin/jingtai', 2027), { ...figures, urbanMonthly: 851 });
    expect(again.statusCode).toBe(409);
    const township = await as('admin', 'PUT', url('baiyin/huining/huishi', 2027), figures);
    expect(township.statusCode).toBe(400);
    expect(township.json()).toMatchObject({
      code: 'MINFLOW_ERR_AUTH_ORG_UNIT_NOT_FOUND',
      details: [{ path: '/countyId', message: 'baiyin/huining/huishi' }],
    });
  });

  it('load-standards gives the case county’s row for the Beijing-time year, and refuses (no retry) when none is configured', async () => {
    const handler = t.app.handlers.get('load-standards')?.handler;
    expect(handler).toBeDefined();
    const result = await handler!.run(ctx({}));
    expect(result).toMatchObject({ countyId: HUINING, year: 2026, urbanMonthly: 830, ruralMonthly: 545 });
    // 2025-12-31 17:00 UTC is already 2026 in Beijing
    expect(beijingYear(new Date('2025-12-31T17:00:00Z'))).toBe(2026);
    await expect(handler!.run(ctx({ now: new Date('2030-06-01T00:00:00Z') }))).rejects.toMatchObject({
      retryable: false,
      code: 'STANDARDS_MISSING',
    });
  });

  it('a row stored before 高龄津贴 existed is shown with its missing figure, refused by load-standards by name, and completed by a PUT', async () => {
    const rows = t.app.store.collection<StandardsDoc>(STANDARDS);
    const id = standardsId('baiyin/jingyuan', 2026);
    const stored = (await rows.get(id)) as StandardsDoc;
    const { elderlyAllowanceMonthly: _old, ...older } = stored;
    await rows.replace(id, stored._v, older as StandardsDoc);
    const jingyuan = ['baiyin', 'baiyin/jingyuan', 'baiyin/jingyuan/x', 'baiyin/jingyuan/x/y'];

    const read = await as('admin', 'GET', url('baiyin/jingyuan', 2026));
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toMatchObject({ missingFigures: ['elderlyAllowanceMonthly'], urbanMonthly: 815 });
    expect(read.json().elderlyAllowanceMonthly).toBeUndefined();

    const handler = t.app.handlers.get('load-standards')?.handler;
    const refused = handler!.run(ctx({ itemKey: 'elderly-allowance', orgPath: jingyuan }));
    await expect(refused).rejects.toMatchObject({ code: 'STANDARDS_INCOMPLETE', retryable: false });
    await expect(refused).rejects.toThrow(/elderlyAllowanceMonthly \(高龄津贴（元\/人·月）\)/);

    const {
      countyId: _c,
      countyName: _n,
      year: _y,
      demo: _d,
      updatedAt: _u,
      updatedBy: _b,
      missingFigures: _m,
      ...figures
    } = read.json();
    const put = await as('admin', 'PUT', url('baiyin/jingyuan', 2026), {
      ...figures,
      elderlyAllowanceMonthly: { '80-89': 80, '90-99': 150, '100+': 400 },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().missingFigures).toBeUndefined();
    const loaded = await handler!.run(ctx({ itemKey: 'elderly-allowance', orgPath: jingyuan }));
    expect(loaded.elderlyAllowanceMonthly).toEqual({ '80-89': 80, '90-99': 150, '100+': 400 });
  });

  it('benefit-overlap finds pending and granted dibao/tekun/low-income cases of any person of the application', async () => {
    const cases = t.app.store.collection(CASES);
    const person = '620422195006180373';
    const other = '620422197205140240';
    const base = {
      itemName: { zh: '' },
      definitionVersion: 1,
      orgUnitId: 'baiyin/huining/huishi/dongguan',
      orgPath: ['baiyin', HUINING, 'baiyin/huining/huishi', 'baiyin/huining/huishi/dongguan'],
      createdBy: 'user-village',
      updatedAt: '2026-01-01T00:00:00Z',
      endedAt: null,
      applicantName: null,
      applicantIdNumber: null,
      ccUserIds: [],
      openTaskCount: 0,
      incidentCount: 0,
      pendingWork: false,
      idempotency: null,
    };
    await cases.insert({
      ...base,
      _id: 'c-dibao',
      itemKey: 'dibao-urban',
      itemName: { zh: '城市居民最低生活保障' },
      status: 'completed',
      createdAt: '2026-01-01T00:00:00Z',
      personIds: [other, person],
      state: { variables: { benefit: { granted: true } } },
    });
    await cases.insert({
      ...base,
      _id: 'c-denied',
      itemKey: 'low-income',
      itemName: { zh: '低收入家庭认定' },
      status: 'completed',
      createdAt: '2026-01-02T00:00:00Z',
      personIds: [person],
      state: { variables: {} },
    });
    await cases.insert({
      ...base,
      _id: 'c-rejected',
      itemKey: 'tekun',
      itemName: { zh: '特困人员救助供养' },
      status: 'rejected',
      createdAt: '2026-01-03T00:00:00Z',
      personIds: [person],
      state: { variables: {} },
    });
    await cases.insert({
      ...base,
      _id: 'c-temp',
      itemKey: 'temporary-aid',
      itemName: { zh: '临时救助' },
      status: 'active',
      createdAt: '2026-01-04T00:00:00Z',
      personIds: [person],
      state: { variables: {} },
    });

    const handler = t.app.handlers.get('benefit-overlap')?.handler;
    const tekun = await handler!.run(
      ctx({ itemKey: 'tekun', variables: { applicant: { idNumber: person }, supporters: [] } }),
    );
    expect(tekun.checkedIdNumbers).toBe(1);
    // completed without a grant (c-denied) and rejected (c-rejected) do not hold a benefit
    expect(tekun.holdings).toEqual([
      expect.objectContaining({
        caseId: 'c-dibao',
        itemKey: 'dibao-urban',
        state: 'granted',
        conflict: true,
        idNumber: '620422********0373',
      }),
      expect.objectContaining({ caseId: 'c-temp', itemKey: 'temporary-aid', state: 'pending', conflict: false }),
    ]);
    expect(tekun.conflicts).toEqual([expect.objectContaining({ caseId: 'c-dibao' })]);
    expect(tekun.hasConflict).toBe(true);
    // medical aid is compatible with dibao: reported as a holding, not a conflict
    const medical = await handler!.run(ctx({ itemKey: 'medical-aid', variables: { applicant: { idNumber: person } } }));
    expect(medical.hasConflict).toBe(false);
    expect((medical.holdings as unknown[]).length).toBe(2);
    // the case itself is never its own conflict
    const self = await handler!.run(
      ctx({ caseId: 'c-dibao', itemKey: 'dibao-urban', variables: { members: [{ idNumber: other }] } }),
    );
    expect(self.holdings).toEqual([]);
  });
});
