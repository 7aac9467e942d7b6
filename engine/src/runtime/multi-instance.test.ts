import { describe, expect, it } from 'vitest';
import { Harness, loadFixture } from './testkit.js';

const committee = ['u-wang', 'u-li', 'u-zhao'];

describe('multi-instance user tasks', () => {
  it('会签 (no condition): one task per member, assigned from the collection; all approve → next step', async () => {
    const h = new Harness(await loadFixture('mi-all'));
    h.start({ committee });
    const tasks = h.state.tasks;
    expect(tasks.map((t) => [t.assignee, t.miIndex])).toEqual([
      ['u-wang', 0],
      ['u-li', 1],
      ['u-zhao', 2],
    ]);
    h.act(tasks[1]!, { action: 'approve', data: { opinion: '同意' } }, 'u-li');
    h.act(tasks[0]!, { action: 'approve' }, 'u-wang');
    expect(h.state.tasks).toHaveLength(1);
    const scope = h.state.scopes.find((s) => s.kind === 'multiInstance')!;
    expect(scope.mi).toMatchObject({
      nrOfInstances: 3,
      nrOfCompletedInstances: 2,
      nrOfApproved: 2,
      nrOfActiveInstances: 1,
    });
    h.act(tasks[2]!, { action: 'approve' }, 'u-zhao');
    expect(h.openElements()).toEqual(['after']);
    expect(h.state.variables['vote']).toMatchObject({
      nrOfInstances: 3,
      nrOfApproved: 3,
      nrOfRejected: 0,
      outcome: 'approve',
    });
    expect(h.state.variables['action']).toBe('approve');
  });

  it('会签: the first rejection decides (the vote can no longer pass) and rejects the case', async () => {
    const h = new Harness(await loadFixture('mi-all'));
    h.start({ committee });
    const [wang, li, zhao] = h.state.tasks;
    h.act(wang!, { action: 'approve' }, 'u-wang');
    h.act(li!, { action: 'reject', comment: '收入超标' }, 'u-li');
    expect(h.state.status).toBe('rejected');
    expect(h.state.outcome).toMatchObject({ reason: '收入超标', elementId: 'vote' });
    expect(h.effects).toContainEqual(expect.objectContaining({ type: 'task.closed', taskId: zhao!.id }));
  });

  it('或签 (nrOfApproved >= 1): the first approval decides and closes the others’ tasks', async () => {
    const h = new Harness(await loadFixture('mi-any'));
    h.start({ committee });
    const [wang, li, zhao] = h.state.tasks;
    h.act(li!, { action: 'reject', comment: '不同意' }, 'u-li');
    expect(h.state.tasks).toHaveLength(2);
    h.act(zhao!, { action: 'approve' }, 'u-zhao');
    expect(h.openElements()).toEqual(['after']);
    expect(h.effects).toContainEqual({
      type: 'task.closed',
      taskId: wang!.id,
      elementId: 'vote',
      reason: 'vote-decided',
    });
    expect(h.state.variables['vote']).toMatchObject({ nrOfApproved: 1, nrOfRejected: 1, outcome: 'approve' });
  });

  it('sequential with a 2/3 ratio: one member at a time, passes at two approvals of three', async () => {
    const h = new Harness(await loadFixture('mi-sequential-ratio'));
    h.start({ committee });
    expect(h.state.tasks.map((t) => t.assignee)).toEqual(['u-wang']);
    h.approve('vote', {}, 'u-wang');
    expect(h.state.tasks.map((t) => t.assignee)).toEqual(['u-li']);
    h.approve('vote', {}, 'u-li');
    expect(h.openElements()).toEqual(['after']);
    expect(h.state.variables['vote']).toMatchObject({ nrOfCompletedInstances: 2, outcome: 'approve' });
  });

  it('sequential with a 2/3 ratio: two rejections make 2/3 unreachable and reject the case early', async () => {
    const h = new Harness(await loadFixture('mi-sequential-ratio'));
    h.start({ committee });
    h.act('vote', { action: 'reject', comment: '有房产' }, 'u-wang');
    expect(h.state.status).toBe('active');
    h.act('vote', { action: 'reject', comment: '有车辆' }, 'u-li');
    expect(h.state.status).toBe('rejected');
    expect(h.state.outcome?.reason).toBe('有房产；有车辆');
  });

  it('an empty collection skips the activity', async () => {
    const h = new Harness(await loadFixture('mi-all'));
    h.start({ committee: [] });
    expect(h.openElements()).toEqual(['after']);
  });

  it('a collection that is not a list is an incident', async () => {
    const h = new Harness(await loadFixture('mi-all'));
    h.start({ committee: 'u-wang' });
    expect(h.state.incidents).toEqual([expect.objectContaining({ elementId: 'vote', kind: 'expression' })]);
  });

  it('only the member assigned to an instance may act on it', async () => {
    const h = new Harness(await loadFixture('mi-all'));
    h.start({ committee });
    expect(() => h.act(h.state.tasks[0]!, { action: 'approve' }, 'u-li')).toThrow(
      expect.objectContaining({ code: 'MINFLOW_ERR_RUNTIME_NOT_ASSIGNEE', status: 403 }),
    );
    expect(() => h.act(h.state.tasks[0]!, { action: 'return', comment: 'x' }, 'u-wang')).toThrow(
      expect.objectContaining({ code: 'MINFLOW_ERR_RUNTIME_ACTION_NOT_ALLOWED' }),
    );
  });
});

describe('multi-instance incidents', () => {
  it('a failing due expression stops the body consistently; resolving it starts the missing instances', async () => {
    const h = new Harness(await loadFixture('mi-due'));
    h.start({ committee, reviewDays: 'soon' });
    expect(h.state.incidents).toEqual([expect.objectContaining({ elementId: 'vote', kind: 'expression' })]);
    expect(h.state.tasks).toEqual([]);
    h.resolve(h.state.incidents[0]!.id, { reviewDays: 'P5D' });
    expect(h.state.tasks.map((t) => [t.assignee, t.dueAt])).toEqual([
      ['u-wang', '2026-03-07T01:00:00.000Z'],
      ['u-li', '2026-03-07T01:00:00.000Z'],
      ['u-zhao', '2026-03-07T01:00:00.000Z'],
    ]);
    for (const t of h.state.tasks) h.act(t, { action: 'approve' }, t.assignee!);
    expect(h.openElements()).toEqual(['after']);
  });
});
