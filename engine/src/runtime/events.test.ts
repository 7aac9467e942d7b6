import { describe, expect, it } from 'vitest';
import { Harness, loadFixture } from './testkit.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('timer events', () => {
  async function atReview() {
    const h = new Harness(await loadFixture('timers'));
    h.clock.set('2026-03-01T00:00:00Z');
    h.apply(
      (await import('./operations.js')).start(h.ctx, { data: {}, initiator: 'a', variables: { waitFor: 'PT1H' } }),
    );
    return h;
  }

  it('intermediate duration (from FEEL) and date timers wait, and firing early is a no-op', async () => {
    const h = await atReview();
    const wait = h.state.timers[0]!;
    expect(wait).toMatchObject({ kind: 'catch', node: 'wait', dueAt: '2026-03-01T01:00:00.000Z' });
    expect(h.fire(wait.id).noop).toBe('TIMER_NOT_DUE');
    h.advance(HOUR);
    expect(h.state.timers).toEqual([expect.objectContaining({ node: 'until', dueAt: '2026-03-02T01:00:00.000Z' })]);
    h.clock.set('2026-03-02T01:00:00Z');
    h.advance(0);
    expect(h.openElements()).toEqual(['review']);
  });

  it('a non-interrupting cycle R3/PT10M fires three reminders and keeps the task; the interrupting timer then escalates', async () => {
    const h = await atReview();
    h.clock.set('2026-03-02T01:00:00Z');
    h.advance(0);
    const task = h.task('review');
    h.advance(10 * MIN);
    h.advance(10 * MIN);
    h.advance(10 * MIN);
    h.advance(10 * MIN);
    expect(h.state.history.filter((e) => e.type === 'boundary.triggered' && e.elementId === 'remind')).toHaveLength(3);
    expect(h.task('review').id).toBe(task.id);
    expect(h.state.timers.filter((t) => t.node === 'remind')).toEqual([]);
    h.advance(20 * MIN);
    expect(h.openElements()).toEqual(['supervisor']);
    expect(h.effects).toContainEqual({
      type: 'task.closed',
      taskId: task.id,
      elementId: 'review',
      reason: 'interrupted',
    });
    expect(h.state.timers).toEqual([]);
  });

  it('completing the task cancels its boundary timers', async () => {
    const h = await atReview();
    h.clock.set('2026-03-02T01:00:00Z');
    h.advance(0);
    const ids = h.state.timers.map((t) => t.id);
    h.approve('review');
    expect(h.state.status).toBe('completed');
    for (const id of ids) expect(h.effects).toContainEqual({ type: 'timer.cancelled', timerId: id });
  });
});

describe('message events', () => {
  it('an intermediate message catch waits for its message; a message boundary interrupts the task', async () => {
    const h = new Harness(await loadFixture('message'));
    h.start({});
    expect(h.message('cancel').noop).toBe('MESSAGE_NOT_AWAITED');
    h.message('documents', { files: ['户口本.pdf'] });
    expect(h.state.variables['awaitDocs']).toEqual({ files: ['户口本.pdf'] });
    expect(h.openElements()).toEqual(['review']);
    h.message('cancel', { reason: '申请人放弃' });
    expect(h.openElements()).toEqual(['closed']);
    h.approve('closed');
    expect(h.state.status).toBe('completed');
  });
});

describe('embedded sub-process', () => {
  it('runs its own scope and continues after its end event', async () => {
    const h = new Harness(await loadFixture('subprocess'));
    h.start({});
    expect(h.openElements()).toEqual(['visit']);
    expect(h.state.scopes.map((s) => s.kind).sort()).toEqual(['process', 'subProcess']);
    h.approve('visit', { complete: true });
    expect(h.openElements()).toEqual(['review']);
    expect(h.state.scopes.map((s) => s.kind)).toEqual(['process']);
  });

  it('a terminate end event inside ends only the sub-process', async () => {
    const h = new Harness(await loadFixture('subprocess'));
    h.start({});
    h.approve('visit', { complete: false });
    expect(h.openElements()).toEqual(['review']);
    expect(h.state.status).toBe('active');
  });

  it('an interrupting boundary timer on the sub-process cancels everything inside', async () => {
    const h = new Harness(await loadFixture('subprocess'));
    h.start({});
    const visit = h.task('visit');
    h.advance(3 * 24 * HOUR);
    expect(h.openElements()).toEqual(['escalated']);
    expect(h.effects).toContainEqual({
      type: 'task.closed',
      taskId: visit.id,
      elementId: 'visit',
      reason: 'interrupted',
    });
    expect(h.state.scopes).toHaveLength(1);
  });
});

describe('terminate end event', () => {
  it('at process level ends the case and closes the other branch’s task', async () => {
    const h = new Harness(await loadFixture('terminate'));
    h.start({});
    const b = h.task('b');
    h.approve('a');
    expect(h.state.status).toBe('completed');
    expect(h.effects).toContainEqual(expect.objectContaining({ type: 'task.closed', taskId: b.id }));
  });
});

describe('call activity', () => {
  it('runs the called process in a nested scope with mapped variables in and out', async () => {
    const child = await loadFixture('call-child', 3);
    const h = new Harness(await loadFixture('call-parent'), { children: [child] });
    h.start({ income: 1200, members: 3 });
    const scope = h.state.scopes.find((s) => s.kind === 'call')!;
    expect(scope.model).toEqual({ processId: 'econCheck', version: 3 });
    expect(scope.variables).toMatchObject({ householdIncome: 1200, size: 3, perCapita: 400 });
    expect(h.openElements()).toEqual(['verify']);
    h.approve('verify', { ok: true });
    expect(h.state.variables).toMatchObject({ perCapita: 400, verified: true });
    expect(h.state.variables['householdIncome']).toBeUndefined();
    expect(h.openElements()).toEqual(['decide']);
  });

  it('an unknown called process is an incident on the call activity', async () => {
    const h = new Harness(await loadFixture('call-parent'));
    h.start({ income: 1, members: 1 });
    expect(h.state.incidents).toEqual([expect.objectContaining({ elementId: 'check', kind: 'model' })]);
  });
});

describe('loop guard', () => {
  it('a bounded loop runs to its end', async () => {
    const h = new Harness(await loadFixture('loop'));
    h.start({ limit: 50 });
    expect(h.state.variables['n']).toBe(50);
    expect(h.openElements()).toEqual(['done']);
  });

  it('an endless loop becomes an incident instead of hanging', async () => {
    const h = new Harness(await loadFixture('loop'), { maxSteps: 500 });
    h.start({ limit: 1e9 });
    expect(h.state.incidents).toEqual([expect.objectContaining({ kind: 'loop' })]);
    expect(h.state.status).toBe('active');
  });
});
