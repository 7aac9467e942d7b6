import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAs } from '../../../test/helpers.js';
import { residentId, simpleDefinition } from '../definitions/fixtures.test-helpers.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;
type Headers = Record<string, string>;

describe('GET /api/tasks/:id', () => {
  let t: TestApp;
  const h: Record<string, Headers> = {};
  let caseId = '';
  let taskId = '';
  beforeAll(async () => {
    t = await createTestApp();
    for (const u of ['admin', 'village', 'township', 'township2', 'county', 'auditor']) h[u] = await loginAs(t.app, u);
    const def = simpleDefinition('task-read');
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/definitions', headers: h.admin, payload: def })).statusCode,
    ).toBe(201);
    const pub = await t.app.inject({
      method: 'POST',
      url: '/api/definitions/task-read/publish',
      headers: h.admin,
      payload: {},
    });
    expect(pub.statusCode, pub.body).toBe(201);
    const filed = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: h.village,
      payload: { itemKey: 'task-read', data: { name: '周建国', idNumber: residentId('620422', '19500101', '007') } },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    caseId = filed.json().id;
    taskId = filed.json().openTasks[0].id;
  });
  afterAll(async () => {
    await t?.close();
  });
  const get = (who: string, id = taskId) =>
    t.app.inject({ method: 'GET', url: `/api/tasks/${encodeURIComponent(id)}`, headers: h[who] });

  it('gives the task with its actions and the case, masked as the case would be', async () => {
    const res = await get('township');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.task).toMatchObject({
      id: taskId,
      caseId,
      name: '乡镇审核',
      status: 'open',
      candidateRoles: ['township-staff'],
    });
    expect(body.task.actions).toContain('approve');
    expect(body.case).toMatchObject({ id: caseId, status: 'active' });
    expect(body.case.history.length).toBeGreaterThan(0);
    // The village assistant reads it too, with the ID number masked.
    const village = (await get('village')).json();
    expect(village.case.data.idNumber).toMatch(/\*{8}/);
  });

  it('a closed task is still readable (from the inbox projection), as closed', async () => {
    const approved = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${encodeURIComponent(taskId)}/complete`,
      headers: h.township,
      payload: { action: 'approve' },
    });
    expect(approved.statusCode, approved.body).toBe(200);
    const body = (await get('county')).json();
    expect(body.task).toMatchObject({ id: taskId, status: 'closed' });
    expect(body.case.status).toBe('completed');
  });

  it('answers 404 alike for a task outside the caller’s jurisdiction and for an unknown id', async () => {
    const outside = await get('township2');
    const unknown = await get('township2', `${caseId}:task999`);
    expect(outside.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(outside.json()).toEqual(unknown.json());
    expect(outside.body).not.toContain('周建国');
    expect((await t.app.inject({ method: 'GET', url: `/api/tasks/${taskId}` })).statusCode).toBe(401);
  });
});
