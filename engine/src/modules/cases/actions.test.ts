import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAs, type TestApp } from '../../../test/helpers.js';
import { residentId, simpleFormSchema } from '../definitions/fixtures.test-helpers.js';

/**
 * The approval actions through the HTTP API, as the demo users (会师镇: village 东关村 files,
 * township staff review, the county approves, then a 7-day publicity during which an objection
 * may arrive as a message).
 */
const bpmn = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:minflow="http://minflow.dev/schema/bpmn/1.0" id="Defs" targetNamespace="http://minflow.dev/test">
  <bpmn:message id="Message_objection" name="objection"/>
  <bpmn:process id="ApprovalActions" isExecutable="true">
    <bpmn:startEvent id="Start"/>
    <bpmn:userTask id="Review" name="乡镇审核" minflow:roles="township-staff,investigator" minflow:level="township"
      minflow:actions="approve,reject,return,transfer,delegate,addSigner,cc,comment"/>
    <bpmn:userTask id="CountyApproval" name="县级审批" minflow:roles="county-approver" minflow:level="county"
      minflow:actions="approve,reject,return"/>
    <bpmn:eventBasedGateway id="Publicity" name="公示7天"/>
    <bpmn:intermediateCatchEvent id="PublicityOver" name="公示期满">
      <bpmn:timerEventDefinition><bpmn:timeDuration>P7D</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="Objection" name="收到异议">
      <bpmn:messageEventDefinition messageRef="Message_objection"/>
    </bpmn:intermediateCatchEvent>
    <bpmn:userTask id="Recheck" name="异议复查" minflow:roles="township-staff" minflow:level="township"/>
    <bpmn:endEvent id="Granted"/>
    <bpmn:endEvent id="Rechecked"/>
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Review"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Review" targetRef="CountyApproval"/>
    <bpmn:sequenceFlow id="F3" sourceRef="CountyApproval" targetRef="Publicity"/>
    <bpmn:sequenceFlow id="F4" sourceRef="Publicity" targetRef="PublicityOver"/>
    <bpmn:sequenceFlow id="F5" sourceRef="Publicity" targetRef="Objection"/>
    <bpmn:sequenceFlow id="F6" sourceRef="PublicityOver" targetRef="Granted"/>
    <bpmn:sequenceFlow id="F7" sourceRef="Objection" targetRef="Recheck"/>
    <bpmn:sequenceFlow id="F8" sourceRef="Recheck" targetRef="Rechecked"/>
  </bpmn:process>
</bpmn:definitions>`;

type Headers = Record<string, string>;
interface TaskJson {
  id: string;
  caseId: string;
  elementId: string;
  kind: string;
  assignee: string | null;
  owner: string | null;
  delegation: string | null;
  suspended: boolean;
}
interface CaseJson {
  id: string;
  status: string;
  data: Record<string, unknown>;
  openTasks: TaskJson[];
  history: Array<{
    type: string;
    elementId?: string;
    userId?: string;
    action?: string;
    comment?: string | null;
    to?: string | string[];
    message?: string;
    data?: Record<string, unknown>;
  }>;
  outcome: { reason: string | null } | null;
}

const USERS = ['admin', 'village', 'township', 'investigator2', 'township2', 'county', 'county2'] as const;
type User = (typeof USERS)[number];

describe('approval actions over HTTP', () => {
  let t: TestApp;
  const h = {} as Record<User, Headers>;
  let seq = 0;

  beforeAll(async () => {
    t = await createTestApp();
    for (const u of USERS) h[u] = await loginAs(t.app, u);
    const def = {
      key: 'actions-aid',
      name: { zh: '审批动作测试' },
      category: 'social-assistance',
      description: '测试：退回、撤回、转办、委派、加签、抄送、异议',
      startLevels: ['village', 'township'],
      formSchema: simpleFormSchema,
      uiSchema: {},
      bpmnXml: bpmn,
    };
    const created = await t.app.inject({ method: 'POST', url: '/api/definitions', headers: h.admin, payload: def });
    expect(created.statusCode, created.body).toBe(201);
    const published = await t.app.inject({
      method: 'POST',
      url: '/api/definitions/actions-aid/publish',
      headers: h.admin,
    });
    expect(published.statusCode, published.body).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (who: User, url: string, payload: unknown = {}, extra: Headers = {}) =>
    t.app.inject({ method: 'POST', url, headers: { ...h[who], ...extra }, payload: payload as object });
  const get = (who: User, url: string) => t.app.inject({ method: 'GET', url, headers: h[who] });

  async function file(who: User = 'village'): Promise<CaseJson> {
    seq++;
    const res = await post(
      who,
      '/api/cases',
      { itemKey: 'actions-aid', data: { name: `申请人${seq}`, idNumber: residentId('620422', '19500101', '123') } },
      { 'idempotency-key': `actions-${seq}-${Date.now()}` },
    );
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  }
  async function read(id: string, who: User = 'township'): Promise<CaseJson> {
    const res = await get(who, `/api/cases/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }
  async function inbox(who: User, box: 'todo' | 'done' | 'cc' = 'todo'): Promise<TaskJson[]> {
    const res = await get(who, `/api/tasks?box=${box}&limit=100`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items;
  }
  const inboxOf = async (who: User, caseId: string) =>
    (await inbox(who)).filter((x) => x.caseId === caseId).map((x) => x.elementId);
  const open = (c: CaseJson, elementId: string) => {
    const task = c.openTasks.find((x) => x.elementId === elementId);
    expect(task, `${elementId} open in ${JSON.stringify(c.openTasks.map((x) => x.elementId))}`).toBeDefined();
    return task as TaskJson;
  };
  async function act(who: User, taskId: string, body: Record<string, unknown>, status = 200): Promise<CaseJson> {
    const res = await post(who, `/api/tasks/${taskId}/complete`, body);
    expect(res.statusCode, res.body).toBe(status);
    return res.json();
  }
  /** Files a case and approves it through Review and CountyApproval: it then waits in publicity. */
  async function toPublicity(): Promise<CaseJson> {
    const c = await file();
    await act('township', open(c, 'Review').id, { action: 'approve' });
    const atCounty = await read(c.id);
    await act('county', open(atCounty, 'CountyApproval').id, { action: 'approve' });
    const waiting = await read(c.id);
    expect(waiting).toMatchObject({ status: 'active', openTasks: [] });
    return waiting;
  }

  it('returns to the previous step, then to the applicant for correction, who resubmits with changed data', async () => {
    const c = await file();
    expect(await inboxOf('township', c.id)).toEqual(['Review']);
    await act('township', open(c, 'Review').id, { action: 'approve', comment: '材料齐全' });
    let now = await read(c.id);
    expect(await inboxOf('county', c.id)).toEqual(['CountyApproval']);

    // A return needs a reason.
    const noReason = await post('county', `/api/tasks/${open(now, 'CountyApproval').id}/complete`, {
      action: 'return',
      target: 'previous',
    });
    expect(noReason.statusCode).toBe(400);

    await act('county', open(now, 'CountyApproval').id, {
      action: 'return',
      target: 'previous',
      comment: '请补充入户调查意见',
    });
    now = await read(c.id);
    expect(now.openTasks.map((x) => x.elementId)).toEqual(['Review']);
    expect(await inboxOf('county', c.id)).toEqual([]);
    expect(await inboxOf('township', c.id)).toEqual(['Review']);
    expect(now.history).toContainEqual(
      expect.objectContaining({
        type: 'task.returned',
        elementId: 'CountyApproval',
        userId: 'user-county',
        to: 'Review',
        comment: '请补充入户调查意见',
      }),
    );

    // To the applicant (补正): the correction task goes to the initiator, not to the township inbox.
    await act('township', open(now, 'Review').id, {
      action: 'return',
      target: 'applicant',
      comment: '请补充联系电话',
    });
    now = await read(c.id);
    const correction = open(now, 'Review');
    expect(correction).toMatchObject({ kind: 'correction', assignee: 'user-village' });
    expect(await inboxOf('village', c.id)).toEqual(['Review']);
    expect(await inboxOf('township', c.id)).toEqual([]);
    // Only the applicant may resubmit.
    await act('township', correction.id, { action: 'approve' }, 403);

    await act('village', correction.id, { action: 'approve', changes: { phone: '13919012345' }, comment: '已补充' });
    now = await read(c.id);
    expect(now.data.phone).toBe('13919012345');
    const review = open(now, 'Review');
    expect(review.kind).toBe('task');
    expect(await inboxOf('township', c.id)).toEqual(['Review']);
    expect(await inboxOf('village', c.id)).toEqual([]);

    // The resubmitted case goes on normally.
    await act('township', review.id, { action: 'approve' });
    now = await read(c.id);
    await act('county', open(now, 'CountyApproval').id, { action: 'approve' });
    now = await read(c.id);
    expect(now).toMatchObject({ status: 'active', openTasks: [] });
  });

  it('lets the submitter withdraw until the next step acts, and refuses it afterwards', async () => {
    const early = await file();
    // Nobody else may withdraw someone's application.
    const byOther = await post('township', `/api/cases/${early.id}/withdraw`, { comment: '代为撤回' });
    expect(byOther.statusCode).toBe(409);
    const withdrawn = await post('village', `/api/cases/${early.id}/withdraw`, { comment: '家属已另行申请' });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json()).toMatchObject({ status: 'withdrawn', openTasks: [] });
    expect(await inboxOf('township', early.id)).toEqual([]);
    const listed = (await get('township', '/api/cases?status=withdrawn')).json().items.map((x: { id: string }) => x.id);
    expect(listed).toContain(early.id);

    const late = await file();
    const claim = await post('township', `/api/tasks/${open(late, 'Review').id}/claim`);
    expect(claim.statusCode, claim.body).toBe(200);
    const refused = await post('village', `/api/cases/${late.id}/withdraw`, { comment: '不想申请了' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('MINFLOW_ERR_RUNTIME_WITHDRAW_NOT_ALLOWED');
    expect((await read(late.id)).status).toBe('active');
    // Acting on a withdrawn case is refused too.
    const onWithdrawn = await post('township', `/api/tasks/${open(early, 'Review').id}/complete`, {
      action: 'approve',
    });
    expect(onWithdrawn.statusCode).toBe(409);
  });

  it('transfers a task to another user of the same unit: the inbox moves with it', async () => {
    const c = await file();
    const task = open(c, 'Review');
    // Not to someone outside the case's jurisdiction.
    await act('township', task.id, { action: 'transfer', to: 'user-township2', comment: '转郭城驿' }, 400);
    const moved = await act('township', task.id, {
      action: 'transfer',
      to: 'user-investigator2',
      comment: '请杨军办理',
    });
    expect(open(moved, 'Review').assignee).toBe('user-investigator2');
    expect(await inboxOf('township', c.id)).toEqual([]);
    expect(await inboxOf('investigator2', c.id)).toEqual(['Review']);
    // The previous holder can no longer act on it.
    await act('township', task.id, { action: 'approve' }, 403);
    await act('investigator2', task.id, { action: 'approve', comment: '同意' });
    const now = await read(c.id);
    expect(now.openTasks.map((x) => x.elementId)).toEqual(['CountyApproval']);
    expect(now.history).toContainEqual(
      expect.objectContaining({
        type: 'task.action',
        action: 'transfer',
        userId: 'user-township',
        to: 'user-investigator2',
      }),
    );
    expect(now.history).toContainEqual(
      expect.objectContaining({ type: 'task.completed', elementId: 'Review', userId: 'user-investigator2' }),
    );
    const done = (await inbox('investigator2', 'done')).filter((x) => x.caseId === c.id);
    expect(done.map((x) => x.elementId)).toEqual(['Review']);
  });

  it('delegates a task: the delegate can only resolve, then the owner confirms', async () => {
    const c = await file();
    const task = open(c, 'Review');
    const delegated = await act('township', task.id, {
      action: 'delegate',
      to: 'user-investigator2',
      comment: '请核实',
    });
    expect(open(delegated, 'Review')).toMatchObject({
      assignee: 'user-investigator2',
      owner: 'user-township',
      delegation: 'pending',
    });
    expect(await inboxOf('investigator2', c.id)).toEqual(['Review']);
    expect(await inboxOf('township', c.id)).toEqual([]);
    // A delegate proposes; they do not decide.
    await act('investigator2', task.id, { action: 'approve' }, 400);
    const resolved = await act('investigator2', task.id, { action: 'resolve', comment: '已入户核实，情况属实' });
    expect(open(resolved, 'Review')).toMatchObject({ assignee: 'user-township', delegation: 'resolved' });
    expect(await inboxOf('township', c.id)).toEqual(['Review']);
    expect(await inboxOf('investigator2', c.id)).toEqual([]);
    await act('township', task.id, { action: 'approve', comment: '同意' });
    expect((await read(c.id)).openTasks.map((x) => x.elementId)).toEqual(['CountyApproval']);
  });

  it('adds a signer before: the owner waits for the signer, then decides', async () => {
    const c = await file();
    const task = open(c, 'Review');
    const added = await act('township', task.id, { action: 'addSigner', position: 'before', to: 'user-investigator2' });
    const signer = added.openTasks.find((x) => x.kind === 'signer-before') as TaskJson;
    expect(signer).toMatchObject({ elementId: 'Review', assignee: 'user-investigator2' });
    expect(added.openTasks.find((x) => x.id === task.id)?.suspended).toBe(true);
    const suspended = await post('township', `/api/tasks/${task.id}/complete`, { action: 'approve' });
    expect(suspended.statusCode).toBe(409);
    expect(suspended.json().code).toBe('MINFLOW_ERR_RUNTIME_TASK_SUSPENDED');

    await act('investigator2', signer.id, { action: 'approve', comment: '调查员同意' });
    let now = await read(c.id);
    expect(now.openTasks.map((x) => [x.id, x.suspended])).toEqual([[task.id, false]]);
    await act('township', task.id, { action: 'approve' });
    now = await read(c.id);
    expect(now.openTasks.map((x) => x.elementId)).toEqual(['CountyApproval']);
  });

  it('adds a signer after: the step moves on only when the signer approves too', async () => {
    const c = await file();
    const task = open(c, 'Review');
    const added = await act('township', task.id, {
      action: 'addSigner',
      position: 'after',
      to: 'user-investigator2',
      comment: '我同意，请调查员会签',
    });
    expect(added.openTasks).toEqual([
      expect.objectContaining({ elementId: 'Review', kind: 'signer-after', assignee: 'user-investigator2' }),
    ]);
    expect(await inboxOf('county', c.id)).toEqual([]);
    expect(await inboxOf('investigator2', c.id)).toEqual(['Review']);
    await act('investigator2', added.openTasks[0].id, { action: 'approve' });
    const now = await read(c.id);
    expect(now.openTasks.map((x) => x.elementId)).toEqual(['CountyApproval']);
    expect(await inboxOf('county', c.id)).toEqual(['CountyApproval']);
  });

  it('carbon-copies a case (the cc recipient’s 抄送 inbox and counts; the case readable) and records comments without moving the task', async () => {
    const c = await file();
    const task = open(c, 'Review');
    const before = (await get('county', '/api/tasks/counts')).json().cc as number;
    await act('township', task.id, { action: 'cc', to: ['user-township2'] }, 400);
    const copied = await act('township', task.id, { action: 'cc', to: ['user-county'], comment: '请县局知悉' });
    expect(copied.openTasks.map((x) => x.id)).toEqual([task.id]);
    const cc = (await inbox('county', 'cc')).filter((x) => x.caseId === c.id);
    expect(cc).toEqual([expect.objectContaining({ kind: 'cc', elementId: 'Review', taskId: task.id })]);
    expect((await get('county', '/api/tasks/counts')).json().cc).toBe(before + 1);
    expect((await get('county', `/api/cases/${c.id}`)).statusCode).toBe(200);
    // Other users get no notice.
    expect((await inbox('investigator2', 'cc')).filter((x) => x.caseId === c.id)).toEqual([]);

    await act('township', task.id, { action: 'comment' }, 400);
    const commented = await act('township', task.id, { action: 'comment', comment: '已电话联系申请人' });
    expect(commented.openTasks.map((x) => x.id)).toEqual([task.id]);
    expect((await read(c.id)).history).toContainEqual(
      expect.objectContaining({ type: 'task.action', action: 'comment', comment: '已电话联系申请人' }),
    );
  });

  it('correlates an objection during publicity, and answers correlated: false to a message no one waits for', async () => {
    const early = await file();
    const notYet = await post('township', `/api/cases/${early.id}/messages/objection`, { comment: '太早了' });
    expect(notYet.statusCode, notYet.body).toBe(200);
    expect(notYet.json().correlated).toBe(false);
    expect((await read(early.id)).openTasks.map((x) => x.elementId)).toEqual(['Review']);

    const c = await toPublicity();
    const unknown = await post('township', `/api/cases/${c.id}/messages/praise`, {});
    expect(unknown.json()).toMatchObject({ correlated: false });
    const objection = await post('township', `/api/cases/${c.id}/messages/objection`, {
      payload: { from: '村民王某' },
      comment: '申请人有经营性车辆',
    });
    expect(objection.statusCode, objection.body).toBe(200);
    const body = objection.json();
    expect(body.correlated).toBe(true);
    expect(body.case.openTasks.map((x: TaskJson) => x.elementId)).toEqual(['Recheck']);
    expect(await inboxOf('township', c.id)).toEqual(['Recheck']);
    // The event-based gateway chose the message: a second objection finds no one waiting.
    const again = await post('township', `/api/cases/${c.id}/messages/objection`, { comment: '再次异议' });
    expect(again.json()).toMatchObject({ correlated: false });
    const detail = await read(c.id);
    expect(detail.openTasks.map((x) => x.elementId)).toEqual(['Recheck']);
  });

  it('hides a case from users outside its jurisdiction (404) and refuses actions without the role (403)', async () => {
    const c = await file();
    const task = open(c, 'Review');
    for (const outsider of ['township2', 'county2'] as const) {
      expect((await get(outsider, `/api/cases/${c.id}`)).statusCode).toBe(404);
      const listed = (await get(outsider, '/api/cases?limit=100')).json().items.map((x: { id: string }) => x.id);
      expect(listed).not.toContain(c.id);
      expect(await inboxOf(outsider, c.id)).toEqual([]);
      for (const url of [`/api/tasks/${task.id}/claim`, `/api/tasks/${task.id}/complete`]) {
        const res = await post(outsider, url, url.endsWith('complete') ? { action: 'approve' } : {});
        expect(res.statusCode, `${outsider} ${url}: ${res.body}`).toBe(404);
      }
      const msg = await post(outsider, `/api/cases/${c.id}/messages/objection`, {});
      expect(msg.statusCode).toBe(404);
    }
    // The filing village assistant reads the case but holds no role for the township's step.
    expect((await get('village', `/api/cases/${c.id}`)).statusCode).toBe(200);
    const byVillage = await post('village', `/api/tasks/${task.id}/complete`, { action: 'approve' });
    expect(byVillage.statusCode).toBe(403);
    // The county sees the case but the step is not theirs either.
    expect((await post('county', `/api/tasks/${task.id}/claim`)).statusCode).toBe(403);
    const now = await read(c.id);
    expect(open(now, 'Review').assignee).toBeNull();
    expect(now.history.filter((x) => ['task.claimed', 'task.completed', 'task.action'].includes(x.type))).toEqual([]);
  });

  it('gives exactly one of two simultaneous claims the task; the other gets 409', async () => {
    for (let round = 0; round < 5; round++) {
      const c = await file();
      const task = open(c, 'Review');
      const [a, b] = await Promise.all([
        post('township', `/api/tasks/${task.id}/claim`),
        post('investigator2', `/api/tasks/${task.id}/claim`),
      ]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
      const winner = a.statusCode === 200 ? 'user-township' : 'user-investigator2';
      const now = await read(c.id);
      expect(open(now, 'Review').assignee).toBe(winner);
      expect(now.history.filter((x) => x.type === 'task.claimed')).toEqual([
        expect.objectContaining({ userId: winner }),
      ]);
      // The inbox follows the winner.
      const loser: User = winner === 'user-township' ? 'investigator2' : 'township';
      expect(await inboxOf(loser, c.id)).toEqual([]);
      expect(await inboxOf(winner === 'user-township' ? 'township' : 'investigator2', c.id)).toEqual(['Review']);
    }
  });
});
