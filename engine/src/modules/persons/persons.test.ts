import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAs } from '../../../test/helpers.js';
import { residentId } from '../definitions/fixtures.test-helpers.js';
import { householdItem } from './fixtures.test-helpers.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;
type Headers = Record<string, string>;

const ZHANG = residentId('620422', '19600101', '011');
const LI = residentId('620422', '19620202', '022');
const WANG = residentId('620422', '19900303', '033');

describe('person lookup (人员查询): a person and their household across items, within the jurisdiction', () => {
  let t: TestApp;
  const h: Record<string, Headers> = {};
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await createTestApp();
    for (const u of ['admin', 'village', 'township', 'township2', 'auditor', 'county2']) h[u] = await loginAs(t.app, u);
    for (const [key, zh] of [
      ['household-aid', '家庭救助'],
      ['household-care', '家庭照护'],
    ]) {
      const c = await t.app.inject({
        method: 'POST',
        url: '/api/definitions',
        headers: h.admin,
        payload: householdItem(key, zh),
      });
      expect(c.statusCode, c.body).toBe(201);
      const p = await t.app.inject({
        method: 'POST',
        url: `/api/definitions/${key}/publish`,
        headers: h.admin,
        payload: {},
      });
      expect(p.statusCode, p.body).toBe(201);
    }
    const file = async (who: string, itemKey: string, data: unknown) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/cases',
        headers: h[who],
        payload: { itemKey, data },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    // 会师镇: 张三 applies with his wife 李四; 李四 applies for another item with 王五.
    ids.a = await file('village', 'household-aid', {
      applicant: { name: '张三', idNumber: ZHANG },
      members: [{ name: '李四', idNumber: LI }],
    });
    ids.b = await file('village', 'household-care', {
      applicant: { name: '李四', idNumber: LI },
      members: [{ name: '王五', idNumber: WANG }],
    });
    // 郭城驿镇 (another township) also has a case naming 李四.
    ids.c = await file('township2', 'household-aid', { applicant: { name: '李四', idNumber: LI } });
  });
  afterAll(async () => {
    await t?.close();
  });

  const lookup = (who: string, query: string) =>
    t.app.inject({ method: 'GET', url: `/api/persons?${query}`, headers: h[who] });
  const reveals = async () =>
    (await t.app.store.collection('audit_log').find({ action: 'person.reveal' }, { limit: 1000 })).items.length;

  it('by ID number: the person, their household and every case of theirs in the township, unmasked and audited', async () => {
    const before = await reveals();
    const res = await lookup('township', `idNumber=${ZHANG}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.persons.map((p: { name: string }) => p.name)).toEqual(['张三', '李四']);
    expect(body.persons[0]).toMatchObject({ idNumber: ZHANG, matched: true, relation: 'applicant', masked: false });
    expect(body.persons[0].caseIds).toEqual([ids.a]);
    expect(body.persons[1]).toMatchObject({ idNumber: LI, matched: false, relation: 'applicant' });
    expect(body.persons[1].caseIds.sort()).toEqual([ids.a, ids.b].sort());
    // Both items, with the benefit each records; the other township's case is not there.
    expect(body.cases.map((c: { id: string }) => c.id).sort()).toEqual([ids.a, ids.b].sort());
    expect(body.cases.find((c: { id: string }) => c.id === ids.a)).toMatchObject({
      itemName: { zh: '家庭救助' },
      status: 'active',
      benefit: { granted: true, monthlyAmount: 500, startMonth: '2026-11' },
    });
    expect(res.body).not.toContain(ids.c);
    expect((await reveals()) - before).toBe(2);
  });

  it('the auditor (read-only, city-wide) sees every township’s cases, with ID numbers masked and no reveal', async () => {
    const before = await reveals();
    const body = (await lookup('auditor', `idNumber=${LI}`)).json();
    expect(body.cases.map((c: { id: string }) => c.id).sort()).toEqual([ids.a, ids.b, ids.c].sort());
    for (const p of body.persons) {
      expect(p.masked).toBe(true);
      expect(p.idNumber).toMatch(/^620422\*{8}\d{3}[\dX]$/);
    }
    expect(JSON.stringify(body)).not.toContain(LI);
    expect(await reveals()).toBe(before);
  });

  it('another township finds only its own case; a county elsewhere finds nobody', async () => {
    const own = (await lookup('township2', `idNumber=${LI}`)).json();
    expect(own.cases.map((c: { id: string }) => c.id)).toEqual([ids.c]);
    const none = (await lookup('township2', `idNumber=${ZHANG}`)).json();
    expect(none).toEqual({ persons: [], cases: [], truncated: false });
    expect((await lookup('county2', `idNumber=${LI}`)).json().cases).toEqual([]);
  });

  it('by name prefix: the applicants whose name starts with it, and their households', async () => {
    const body = (await lookup('township', `name=${encodeURIComponent('张')}`)).json();
    expect(body.persons[0]).toMatchObject({ name: '张三', matched: true });
    expect(body.persons.some((p: { name: string }) => p.name === '李四')).toBe(true);
  });

  it('the village assistant sees their village’s cases masked; a query needs exactly one of idNumber or name', async () => {
    const body = (await lookup('village', `idNumber=${ZHANG}`)).json();
    expect(body.cases.map((c: { id: string }) => c.id).sort()).toEqual([ids.a, ids.b].sort());
    expect(body.persons.every((p: { masked: boolean }) => p.masked)).toBe(true);
    expect((await lookup('township', '')).statusCode).toBe(400);
    expect((await lookup('township', `idNumber=${ZHANG}&name=张`)).statusCode).toBe(400);
    expect((await lookup('township', 'idNumber=123')).statusCode).toBe(400);
  });
});
