import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAs } from '../../../test/helpers.js';
import { repoRoot } from '../../config.js';
import type { InlineQueue } from '../../infra/queue/inline.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;
type Headers = Record<string, string>;

/** A resident ID with a valid GB 11643 check digit. */
function residentId(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * weights[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

const applicantId = residentId('62042219400305002'); // born 1940-03-05: 80+ for years to come

function application(overrides: Record<string, unknown> = {}) {
  return {
    applicant: { name: '张桂兰', idNumber: applicantId, phone: '13919012345', address: '会宁县会师镇南关村三社12号' },
    residence: { hukouAddress: '甘肃省会宁县会师镇南关村', livesLocally: true, yearsResident: 60 },
    bankAccount: { bankName: '甘肃省农村信用社', accountName: '张桂兰', accountNumber: '622827123456789012' },
    applyByAgent: false,
    ...overrides,
  };
}

describe('cases and tasks over HTTP (高龄津贴: village → township)', () => {
  let t: TestApp;
  const h: Record<string, Headers> = {};
  beforeAll(async () => {
    t = await createTestApp({ config: { definitionsDir: path.join(repoRoot, 'definitions') } });
    for (const u of ['village', 'township', 'township2', 'county', 'county2', 'auditor'])
      h[u] = await loginAs(t.app, u);
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (url: string, who: string, payload: unknown, extra: Headers = {}) =>
    t.app.inject({ method: 'POST', url, headers: { ...h[who], ...extra }, payload: payload as object });
  const get = (url: string, who: string) => t.app.inject({ method: 'GET', url, headers: h[who] });

  /**
   * After the village step the flow loads the county's 高龄津贴 standard in a service task (a
   * queued job) and computes the amount before the township review: run the queue, then read the
   * case as `who` until the job has moved it on.
   */
  async function settled(caseId: string, who = 'village') {
    for (let i = 0; i < 50; i++) {
      await (t.app.queue as InlineQueue).runDue();
      const c = (await get(`/api/cases/${caseId}`, who)).json();
      if (c.openTasks.length > 0 || c.status !== 'active') return c;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`case ${caseId} did not move on from its service task`);
  }

  async function fileCase(key: string, data = application()) {
    const res = await post('/api/cases', 'village', { itemKey: 'elderly-allowance', data }, { 'idempotency-key': key });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  }

  it('refuses an application with a wrong ID check digit, naming the field in Chinese', async () => {
    const bad = application({
      applicant: {
        ...application().applicant,
        idNumber: `${applicantId.slice(0, 17)}${applicantId[17] === '0' ? '1' : '0'}`,
      },
    });
    const res = await post(
      '/api/cases',
      'village',
      { itemKey: 'elderly-allowance', data: bad },
      { 'idempotency-key': 'bad-id-0001' },
    );
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('MINFLOW_ERR_CASES_DATA_INVALID');
    expect(body.details).toContainEqual({
      path: '/data/applicant/idNumber',
      message: expect.stringMatching(/[\u4e00-\u9fff]/),
    });
    const list = await get('/api/cases', 'village');
    expect(list.json().items).toHaveLength(0);
  });

  it('files a case with its first task at the village, and the same Idempotency-Key never makes a second case', async () => {
    const created = await fileCase('apply-0001');
    expect(created).toMatchObject({ itemKey: 'elderly-allowance', status: 'active', orgUnitId: expect.any(String) });
    expect(created.openTasks).toEqual([
      expect.objectContaining({ elementId: 'villageConfirmation', assignee: null, dueAt: expect.any(String) }),
    ]);
    const again = await post(
      '/api/cases',
      'village',
      { itemKey: 'elderly-allowance', data: application() },
      { 'idempotency-key': 'apply-0001' },
    );
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(created.id);
    const twisted = await post(
      '/api/cases',
      'village',
      { itemKey: 'elderly-allowance', data: application({ remarks: '另一份' }) },
      { 'idempotency-key': 'apply-0001' },
    );
    expect(twisted.statusCode).toBe(409);
    expect(twisted.json().code).toBe('MINFLOW_ERR_CASES_IDEMPOTENCY_MISMATCH');
  });

  it('answers parallel submissions with one Idempotency-Key with one case', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        post(
          '/api/cases',
          'village',
          { itemKey: 'elderly-allowance', data: application() },
          { 'idempotency-key': 'double-click-01' },
        ),
      ),
    );
    const ids = new Set(results.map((r) => r.json().id));
    expect(results.every((r) => r.statusCode === 201 || r.statusCode === 200)).toBe(true);
    expect(ids.size).toBe(1);
  });

  it('routes the case village → township, with inboxes and jurisdiction respected, to a granted end', async () => {
    const c = await fileCase('apply-0002');
    const villageTask = c.openTasks[0];

    const villageInbox = (await get('/api/tasks', 'village')).json().items.map((x: { id: string }) => x.id);
    expect(villageInbox).toContain(villageTask.id);
    expect((await get('/api/tasks', 'township')).json().items.map((x: { id: string }) => x.id)).not.toContain(
      villageTask.id,
    );
    // Another township of the same county neither sees nor can open the case.
    expect((await get(`/api/cases/${c.id}`, 'township2')).statusCode).toBe(404);
    expect((await get(`/api/cases/${c.id}`, 'county2')).statusCode).toBe(404);
    expect((await get(`/api/cases/${c.id}`, 'county')).statusCode).toBe(200);
    // The township user cannot act on the village's step.
    const foreign = await post(`/api/tasks/${villageTask.id}/complete`, 'township', { action: 'approve', data: {} });
    expect([403, 404]).toContain(foreign.statusCode);

    const badForm = await post(`/api/tasks/${villageTask.id}/complete`, 'village', {
      action: 'approve',
      data: { residenceConfirmed: true },
    });
    expect(badForm.statusCode).toBe(400);
    expect(badForm.json().details).toContainEqual({ path: '/data/visitDate', message: expect.any(String) });

    const claimed = await post(`/api/tasks/${villageTask.id}/claim`, 'village', undefined);
    expect(claimed.statusCode, claimed.body).toBe(200);
    const done = await post(`/api/tasks/${villageTask.id}/complete`, 'village', {
      action: 'approve',
      data: { residenceConfirmed: true, visitDate: '2026-03-03', note: '入户核实，常住' },
    });
    expect(done.statusCode, done.body).toBe(200);
    const afterVillage = await settled(c.id);
    expect(afterVillage.openTasks).toEqual([expect.objectContaining({ elementId: 'townshipReview' })]);
    const reviewId = afterVillage.openTasks[0].id;

    const townshipInbox = (await get('/api/tasks', 'township')).json().items.map((x: { id: string }) => x.id);
    expect(townshipInbox).toContain(reviewId);
    expect((await get('/api/tasks', 'township2')).json().items.map((x: { id: string }) => x.id)).not.toContain(
      reviewId,
    );
    expect((await get('/api/tasks?box=done', 'village')).json().items.map((x: { id: string }) => x.id)).toContain(
      villageTask.id,
    );

    const granted = await post(`/api/tasks/${reviewId}/complete`, 'township', {
      action: 'approve',
      data: {
        decision: 'grant',
        startMonth: '2026-04',
        opinion: '符合条件，准予发放',
      },
    });
    expect(granted.statusCode, granted.body).toBe(200);
    expect(granted.json()).toMatchObject({ status: 'completed', openTasks: [] });

    const detail = (await get(`/api/cases/${c.id}`, 'township')).json();
    const actions = detail.history
      .filter((e: { action?: string }) => e.action)
      .map((e: { elementId: string; action: string }) => `${e.elementId}:${e.action}`);
    expect(actions).toEqual(expect.arrayContaining(['villageConfirmation:approve', 'townshipReview:approve']));
  });

  it('lets exactly one of several simultaneous completions of a task win; the others get 409', async () => {
    const c = await fileCase('apply-0003');
    const taskId = c.openTasks[0].id;
    const body = { action: 'approve', data: { residenceConfirmed: true, visitDate: '2026-03-03' } };
    const results = await Promise.all(
      Array.from({ length: 6 }, () => post(`/api/tasks/${taskId}/complete`, 'village', body)),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes.filter((s) => s === 200)).toHaveLength(1);
    expect(codes.filter((s) => s === 409)).toHaveLength(5);
    const detail = await settled(c.id);
    expect(
      detail.history.filter(
        (e: { action?: string; elementId?: string }) => e.action === 'approve' && e.elementId === 'villageConfirmation',
      ),
    ).toHaveLength(1);
    expect(detail.openTasks.map((x: { elementId: string }) => x.elementId)).toEqual(['townshipReview']);
  });

  it('ends a case as rejected with the reason, which is required', async () => {
    const c = await fileCase('apply-0004');
    const village = await post(`/api/tasks/${c.openTasks[0].id}/complete`, 'village', {
      action: 'approve',
      data: { residenceConfirmed: true, visitDate: '2026-03-03' },
    });
    expect(village.statusCode, village.body).toBe(200);
    const reviewId = (await settled(c.id)).openTasks[0].id;
    const noReason = await post(`/api/tasks/${reviewId}/complete`, 'township', { action: 'reject' });
    expect(noReason.statusCode).toBe(400);
    const rejected = await post(`/api/tasks/${reviewId}/complete`, 'township', {
      action: 'reject',
      comment: '申请人未满80周岁',
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json()).toMatchObject({
      status: 'rejected',
      outcome: expect.objectContaining({ reason: '申请人未满80周岁' }),
    });
  });

  it('audits each transition and each unmasked answer once, the reveal with the transition that showed it', async () => {
    const c = await fileCase('apply-0006');
    const villageTask = c.openTasks[0];
    expect((await post(`/api/tasks/${villageTask.id}/claim`, 'village', undefined)).statusCode).toBe(200);
    const done = await post(`/api/tasks/${villageTask.id}/complete`, 'village', {
      action: 'approve',
      data: { residenceConfirmed: true, visitDate: '2026-03-03' },
    });
    expect(done.statusCode, done.body).toBe(200);
    const atTownship = await settled(c.id);
    const review = await post(`/api/tasks/${atTownship.openTasks[0].id}/claim`, 'township', undefined);
    expect(review.statusCode, review.body).toBe(200);
    // The township sees the ID number unmasked; the village assistant never does.
    expect(review.json().data.applicant.idNumber).toBe(applicantId);
    expect(done.json().data.applicant.idNumber).not.toBe(applicantId);
    const entries = async () =>
      (await t.app.store.collection('audit_log').find({ subjectId: c.id }, { sort: { _id: 1 } })).items.map(
        (e) => `${e.actorId}:${e.action}`,
      );
    const townshipId = (await get('/api/auth/me', 'township')).json().user.id;
    const villageId = (await get('/api/auth/me', 'village')).json().user.id;
    expect(await entries()).toEqual([
      `${villageId}:case.create`,
      `${villageId}:task.claim`,
      `${villageId}:task.approve`,
      // the service task that loaded the county's standard (a transition of its own)
      'system:case.job',
      `${townshipId}:task.claim`,
      `${townshipId}:case.reveal`,
    ]);
    // A plain read is its own reveal.
    expect((await get(`/api/cases/${c.id}`, 'township')).statusCode).toBe(200);
    expect((await entries()).filter((e) => e === `${townshipId}:case.reveal`)).toHaveLength(2);
  });

  it('masks ID numbers for readers without reveal rights and lists by applicant name prefix and ID number', async () => {
    const c = await fileCase('apply-0005');
    const forAuditor = (await get(`/api/cases/${c.id}`, 'auditor')).json();
    expect(forAuditor.data.applicant.idNumber).not.toBe(applicantId);
    expect(forAuditor.data.applicant.idNumber).toMatch(/\*{4,}/);
    const byName = (await get(`/api/cases?applicantName=${encodeURIComponent('张桂')}`, 'township')).json();
    expect(byName.items.map((x: { id: string }) => x.id)).toContain(c.id);
    const byId = (await get(`/api/cases?idNumber=${applicantId}`, 'township')).json();
    expect(byId.items.map((x: { id: string }) => x.id)).toContain(c.id);
    const outside = (await get(`/api/cases?idNumber=${applicantId}`, 'township2')).json();
    expect(outside.items).toEqual([]);
  });
});
