import { describe, expect, it } from 'vitest';
import { completeTask, recall } from './operations.js';
import { Harness, loadFixture } from './testkit.js';

const staff = { userId: 'u-staff', roles: ['township-staff'] };
const county = { userId: 'u-county', roles: ['county-approver'] };

async function sequence() {
  const h = new Harness(await loadFixture('sequence'));
  h.start({ name: '张三', income: 800, members: [{ name: '张三' }] }, 'u-applicant');
  return h;
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return `${(e as { code: string }).code} ${(e as { status: number }).status}`;
  }
  return 'no error';
}

describe('approve and case field changes', () => {
  it('changes editable case fields, records the diff, and refuses fields outside minflow:editable', async () => {
    const h = await sequence();
    expect(code(() => h.act('accept', { action: 'approve', changes: { name: '李四' } }, staff))).toBe(
      'MINFLOW_ERR_RUNTIME_FIELD_NOT_EDITABLE 403',
    );
    h.act('accept', { action: 'approve', changes: { income: 650 }, comment: '核减' }, staff);
    expect(h.state.data['income']).toBe(650);
    const done = h.state.history.find((e) => e.type === 'task.completed')!;
    expect(done).toMatchObject({
      userId: 'u-staff',
      action: 'approve',
      comment: '核减',
      changes: [{ field: 'income', from: 800, to: 650 }],
    });
  });

  it('candidate roles are checked for an unassigned task, and acting claims it', async () => {
    const h = await sequence();
    expect(code(() => h.act('accept', { action: 'approve' }, county))).toBe('MINFLOW_ERR_RUNTIME_NOT_CANDIDATE 403');
    h.claim('accept', staff);
    expect(h.task('accept')).toMatchObject({ assignee: 'u-staff', claimedAt: h.clock.now().toISOString() });
    expect(code(() => h.claim('accept', { userId: 'u-other', roles: ['township-staff'] }))).toBe(
      'MINFLOW_ERR_RUNTIME_TASK_ALREADY_CLAIMED 409',
    );
    expect(code(() => h.act('accept', { action: 'approve' }, { userId: 'u-other', roles: ['township-staff'] }))).toBe(
      'MINFLOW_ERR_RUNTIME_NOT_ASSIGNEE 403',
    );
  });

  it('two approvers completing the same task from the same state: the loser’s task is no longer open', async () => {
    const h = await sequence();
    const taskId = h.task('accept').id;
    const won = completeTask(h.state, h.ctx, taskId, { action: 'approve' }, staff);
    expect(code(() => completeTask(won.state, h.ctx, taskId, { action: 'approve' }, staff))).toBe(
      'MINFLOW_ERR_RUNTIME_TASK_NOT_OPEN 409',
    );
  });

  it('actions outside minflow:actions are refused', async () => {
    const h = await sequence();
    h.approve('accept', {}, staff);
    h.approve('review', {}, staff);
    expect(code(() => h.act('approve', { action: 'transfer', to: 'u-x' }, county))).toBe(
      'MINFLOW_ERR_RUNTIME_ACTION_NOT_ALLOWED 400',
    );
  });
});

describe('reject', () => {
  it('needs a reason, then ends the case as rejected and closes everything', async () => {
    const h = await sequence();
    expect(code(() => h.act('accept', { action: 'reject' }, staff))).toBe('MINFLOW_ERR_RUNTIME_REASON_REQUIRED 400');
    h.act('accept', { action: 'reject', comment: '不符合低保条件' }, staff);
    expect(h.state).toMatchObject({
      status: 'rejected',
      outcome: { reason: '不符合低保条件', userId: 'u-staff', elementId: 'accept' },
    });
    expect(h.state.timers).toEqual([]);
    expect(h.last.effects).toContainEqual({ type: 'case.ended', status: 'rejected', reason: '不符合低保条件' });
    expect(code(() => h.act(h.state.tasks[0] ?? ({ id: 'x' } as never), { action: 'approve' }, staff))).toBe(
      'MINFLOW_ERR_RUNTIME_CASE_NOT_ACTIVE 409',
    );
  });
});

describe('return', () => {
  it('to the previous step re-creates its task with a fresh due time (timers re-armed)', async () => {
    const h = await sequence(); // Monday 2026-03-02 09:00 Beijing
    expect(h.task('accept').dueAt).toBe('2026-03-05T15:59:59.999Z'); // P3D working days → Thursday
    h.approve('accept', {}, staff);
    const reviewDue = h.state.timers.find((t) => t.kind === 'due')!;
    h.clock.advance(86_400_000); // Tuesday
    h.act('review', { action: 'return', comment: '材料不全' }, staff);
    expect(h.openElements()).toEqual(['accept']);
    expect(h.last.effects).toContainEqual({ type: 'timer.cancelled', timerId: reviewDue.id });
    expect(h.task('accept').dueAt).toBe('2026-03-06T15:59:59.999Z'); // three working days from Tuesday
    expect(h.state.timers).toEqual([expect.objectContaining({ kind: 'due', dueAt: '2026-03-06T15:59:59.999Z' })]);
    expect(h.last.effects).toContainEqual(expect.objectContaining({ type: 'notice', kind: 'return', to: ['u-staff'] }));
    h.approve('accept', {}, staff);
    expect(h.openElements()).toEqual(['review']);
  });

  it('to any earlier step by element id, and not to a step that has not been done', async () => {
    const h = await sequence();
    h.approve('accept', {}, staff);
    h.approve('review', {}, staff);
    expect(code(() => h.act('approve', { action: 'return', target: 'approve', comment: 'x' }, county))).toBe(
      'MINFLOW_ERR_RUNTIME_RETURN_TARGET_INVALID 400',
    );
    h.act('approve', { action: 'return', target: 'accept', comment: '重新受理' }, county);
    expect(h.openElements()).toEqual(['accept']);
    expect(h.state.tokens).toHaveLength(1);
  });

  it('the first step cannot return to a previous one', async () => {
    const h = await sequence();
    expect(code(() => h.act('accept', { action: 'return', comment: 'x' }, staff))).toBe(
      'MINFLOW_ERR_RUNTIME_RETURN_TARGET_INVALID 400',
    );
  });

  it('to the applicant for correction: the applicant edits the case and the same step comes back', async () => {
    const h = await sequence();
    h.approve('accept', {}, staff);
    h.act('review', { action: 'return', target: 'applicant', comment: '请补充收入证明' }, staff);
    const correction = h.task('review');
    expect(correction).toMatchObject({ kind: 'correction', assignee: 'u-applicant', name: '补正：乡镇审核' });
    expect(h.state.timers.filter((t) => t.kind === 'due')).toEqual([]);
    expect(code(() => h.act('review', { action: 'approve' }, staff))).toBe('MINFLOW_ERR_RUNTIME_NOT_ASSIGNEE 403');
    h.act('review', { action: 'approve', changes: { income: 500, proof: 'income.pdf' } }, 'u-applicant');
    expect(h.state.data).toMatchObject({ income: 500, proof: 'income.pdf' });
    expect(h.task('review')).toMatchObject({ kind: 'task', assignee: null });
    expect(h.state.timers.filter((t) => t.kind === 'due')).toHaveLength(1);
  });

  it('within a parallel branch moves only that branch; to a step before the fork restarts the scope', async () => {
    const h = new Harness(await loadFixture('parallel'));
    h.start({});
    h.approve('accept');
    h.approve('a');
    h.approve('b');
    // c returns to accept (before the fork): a and b's join arrivals are discarded.
    h.act('c', { action: 'return', target: 'accept', comment: '重新受理' }, 'staff');
    expect(h.openElements()).toEqual(['accept']);
    expect(h.state.tokens).toHaveLength(1);
    h.approve('accept');
    h.approve('a');
    h.approve('b');
    h.approve('c');
    expect(h.openElements()).toEqual(['after']);
  });
});

describe('return inside a parallel branch', () => {
  it('moves only that branch: the other branch’s task and its join arrival are untouched', async () => {
    const h = new Harness(await loadFixture('parallel-branch'));
    h.start({});
    h.approve('visit');
    const check = h.task('check');
    h.act('visitReview', { action: 'return', comment: '调查记录缺签字' }, 'staff');
    expect(h.openElements()).toEqual(['check', 'visit']);
    expect(h.task('check').id).toBe(check.id);
    h.approve('check');
    expect(h.state.tokens.map((t) => t.state).sort()).toEqual(['joining', 'waiting']);
    h.approve('visit');
    h.approve('visitReview');
    expect(h.state.status).toBe('completed');
  });
});

describe('withdraw', () => {
  it('the applicant may withdraw until the next step acts', async () => {
    const h = await sequence();
    expect(code(() => h.withdraw('u-staff'))).toBe('MINFLOW_ERR_RUNTIME_WITHDRAW_NOT_ALLOWED 409');
    h.withdraw('u-applicant');
    expect(h.state.status).toBe('withdrawn');
    expect(h.state.tasks).toEqual([]);
  });

  it('is refused once the step has been claimed', async () => {
    const h = await sequence();
    h.claim('accept', staff);
    expect(code(() => h.withdraw('u-applicant'))).toBe('MINFLOW_ERR_RUNTIME_WITHDRAW_NOT_ALLOWED 409');
  });
});

describe('transfer, delegate, add signer, carbon copy, comment', () => {
  it('transfer hands the task to another user', async () => {
    const h = await sequence();
    h.claim('accept', staff);
    h.act('accept', { action: 'transfer', to: 'u-zhou', comment: '请周干部办理' }, staff);
    expect(h.task('accept').assignee).toBe('u-zhou');
    expect(h.last.effects).toContainEqual(
      expect.objectContaining({ type: 'notice', kind: 'transfer', to: ['u-zhou'] }),
    );
    expect(code(() => h.act('accept', { action: 'approve' }, staff))).toBe('MINFLOW_ERR_RUNTIME_NOT_ASSIGNEE 403');
    h.act('accept', { action: 'approve' }, 'u-zhou');
    expect(h.openElements()).toEqual(['review']);
  });

  it('delegate: the delegate can only resolve; the task comes back to the owner with the draft', async () => {
    const h = await sequence();
    h.claim('accept', staff);
    h.act('accept', { action: 'delegate', to: 'u-helper' }, staff);
    expect(h.task('accept')).toMatchObject({ assignee: 'u-helper', owner: 'u-staff', delegation: 'pending' });
    expect(code(() => h.act('accept', { action: 'approve' }, 'u-helper'))).toBe(
      'MINFLOW_ERR_RUNTIME_ACTION_NOT_ALLOWED 400',
    );
    expect(code(() => h.act('accept', { action: 'approve' }, staff))).toBe('MINFLOW_ERR_RUNTIME_NOT_ASSIGNEE 403');
    h.act('accept', { action: 'resolve', data: { visited: true } }, 'u-helper');
    expect(h.task('accept')).toMatchObject({ assignee: 'u-staff', delegation: 'resolved', draft: { visited: true } });
    h.act('accept', { action: 'approve', data: { visited: true } }, staff);
    expect(h.openElements()).toEqual(['review']);
  });

  it('add signer before: the owner’s task waits until the added signer approves', async () => {
    const h = await sequence();
    h.claim('accept', staff);
    const own = h.task('accept');
    h.act(own, { action: 'addSigner', position: 'before', to: 'u-expert' }, staff);
    const added = h.state.tasks.find((t) => t.kind === 'signer-before')!;
    expect(added).toMatchObject({ assignee: 'u-expert', parentTaskId: own.id });
    expect(code(() => h.act(h.state.tasks.find((t) => t.id === own.id)!, { action: 'approve' }, staff))).toBe(
      'MINFLOW_ERR_RUNTIME_TASK_SUSPENDED 409',
    );
    h.act(added, { action: 'approve', comment: '同意' }, 'u-expert');
    expect(h.state.tasks).toEqual([expect.objectContaining({ id: own.id, suspendedBy: null })]);
    h.act('accept', { action: 'approve' }, staff);
    expect(h.openElements()).toEqual(['review']);
  });

  it('add signer after: the owner approves, the case moves on only after the signer approves too', async () => {
    const h = await sequence();
    h.claim('accept', staff);
    h.act('accept', { action: 'addSigner', position: 'after', to: 'u-chief', data: { opinion: '拟同意' } }, staff);
    expect(h.task('accept')).toMatchObject({ kind: 'signer-after', assignee: 'u-chief' });
    h.act('accept', { action: 'approve' }, 'u-chief');
    expect(h.state.variables['accept']).toEqual({ opinion: '拟同意' });
    expect(h.openElements()).toEqual(['review']);
  });

  it('an added signer who rejects rejects the case', async () => {
    const h = await sequence();
    h.claim('accept', staff);
    h.act('accept', { action: 'addSigner', position: 'after', to: 'u-chief' }, staff);
    h.act('accept', { action: 'reject', comment: '不同意' }, 'u-chief');
    expect(h.state.status).toBe('rejected');
  });

  it('carbon copy gives readers and notices; comment only adds history; neither closes the task', async () => {
    const h = await sequence();
    h.act('accept', { action: 'cc', to: ['u-village', 'u-county'] }, staff);
    expect(h.state.ccs.map((c) => c.userId)).toEqual(['u-village', 'u-county']);
    expect(h.last.effects).toContainEqual(
      expect.objectContaining({ type: 'notice', kind: 'cc', to: ['u-village', 'u-county'] }),
    );
    expect(code(() => h.act('accept', { action: 'comment' }, staff))).toBe('MINFLOW_ERR_RUNTIME_REASON_REQUIRED 400');
    h.act('accept', { action: 'comment', comment: '已电话联系申请人' }, staff);
    expect(h.openElements()).toEqual(['accept']);
    expect(h.state.history.at(-1)).toMatchObject({
      type: 'task.action',
      action: 'comment',
      comment: '已电话联系申请人',
    });
  });
});

describe('recall (撤回 by the approver)', () => {
  it('takes the step back while the next step has not acted, reassigned to the approver', async () => {
    const h = await sequence();
    h.approve('accept', {}, staff);
    const review = h.task('review');
    h.apply(recall(h.state, h.ctx, staff, '填错了'));
    expect(h.openElements()).toEqual(['accept']);
    expect(h.task('accept')).toMatchObject({ assignee: 'u-staff' });
    expect(h.last.effects).toContainEqual({
      type: 'task.closed',
      taskId: review.id,
      elementId: 'review',
      reason: 'recalled',
    });
    h.approve('accept', {}, staff);
    expect(h.openElements()).toEqual(['review']);
  });

  it('is refused once the next step claimed the task, and for someone else', async () => {
    const h = await sequence();
    h.approve('accept', {}, staff);
    expect(code(() => recall(h.state, h.ctx, county))).toBe('MINFLOW_ERR_RUNTIME_WITHDRAW_NOT_ALLOWED 409');
    h.claim('review', { userId: 'u-other', roles: ['township-staff'] });
    expect(code(() => recall(h.state, h.ctx, staff))).toBe('MINFLOW_ERR_RUNTIME_WITHDRAW_NOT_ALLOWED 409');
  });
});
