import { describe, expect, it } from 'vitest';
import { Harness, loadFixture } from './testkit.js';

describe('sequence: start, user tasks, end', () => {
  it('walks three user tasks to completion and records each task’s data under its element id', async () => {
    const h = new Harness(await loadFixture('sequence'));
    h.start({ name: '张三', income: 800 }, 'u-applicant');
    expect(h.openElements()).toEqual(['accept']);
    const accept = h.task('accept');
    expect(accept).toMatchObject({ roles: ['township-staff'], level: 'township', assignee: null, name: '乡镇受理' });
    h.approve('accept', { accepted: true });
    h.approve('review', { amount: 450 });
    expect(h.state.variables['review']).toEqual({ amount: 450 });
    expect(h.state.variables['action']).toBe('approve');
    h.approve('approve');
    expect(h.state.status).toBe('completed');
    expect(h.state.tokens).toEqual([]);
    expect(h.state.endedAt).toBe(h.clock.now().toISOString());
    expect(h.effects.filter((e) => e.type === 'case.ended')).toEqual([
      { type: 'case.ended', status: 'completed', reason: null },
    ]);
  });

  it('computes the due time in working days and schedules an overdue reminder', async () => {
    // Friday 2026-02-13 10:00 Beijing: P3D working days skips the Spring Festival (2-15..2-23) but counts
    // the make-up working day Saturday 2-14, so the 3rd working day is Tuesday 2-24.
    const h = new Harness(await loadFixture('sequence'));
    h.clock.set('2026-02-13T02:00:00Z');
    h.start({});
    const task = h.task('accept');
    expect(task.dueAt).toBe('2026-02-25T15:59:59.999Z');
    const due = h.state.timers.find((t) => t.kind === 'due')!;
    expect(due.dueAt).toBe(task.dueAt);
    h.clock.set('2026-02-25T16:00:00Z');
    h.fire(due.id);
    expect(h.last.effects).toContainEqual(
      expect.objectContaining({ type: 'notice', kind: 'overdue', taskId: task.id }),
    );
    expect(h.state.tasks).toHaveLength(1);
  });
});

describe('script and service tasks', () => {
  it('stores the FEEL result and hands the service task to a job with a stable key', async () => {
    const h = new Harness(await loadFixture('script-service'), { idPrefix: 'case-1:' });
    h.start({ standard: 700, income: 500, members: 3, minimum: 100 });
    expect(h.state.variables['amount']).toBe(600);
    const job = h.job('check');
    expect(job.key.startsWith('case-1:job:check:')).toBe(true);
    const enq = h.effects.find((e) => e.type === 'job.enqueued');
    expect(enq).toMatchObject({ handler: 'econ-check', attempt: 1, jobKey: job.key });
    expect((enq as { input: Record<string, unknown> }).input).toMatchObject({ amount: 600, members: 3 });
    h.completeJob('check', { verified: true });
    expect(h.state.variables['check']).toEqual({ verified: true });
    expect(h.state.status).toBe('completed');
  });

  it('a job completed twice advances the case once', async () => {
    const h = new Harness(await loadFixture('script-service'));
    h.start({ standard: 1, income: 0, members: 1, minimum: 0 });
    const { key } = h.job('check');
    const before = h.state;
    const { completeJob } = await import('./operations.js');
    const first = completeJob(before, h.ctx, key, { n: 1 });
    const second = completeJob(first.state, h.ctx, key, { n: 2 });
    expect(second.noop).toBe('JOB_NOT_PENDING');
    expect(second.state).toBe(first.state);
    expect(first.state.variables['check']).toEqual({ n: 1 });
  });

  it('retries a failing job with doubling backoff, then raises an incident; resolving it retries once', async () => {
    const h = new Harness(await loadFixture('script-service'));
    h.start({ standard: 1, income: 0, members: 1, minimum: 0 });
    h.failJob('check', 'timeout');
    expect(h.job('check')).toMatchObject({ attempt: 2, runAt: '2026-03-02T01:01:00.000Z', state: 'pending' });
    h.failJob('check', 'timeout');
    expect(h.job('check')).toMatchObject({ attempt: 3, runAt: '2026-03-02T01:02:00.000Z' });
    h.failJob('check', 'still down');
    expect(h.job('check').state).toBe('incident');
    expect(h.state.incidents).toEqual([
      expect.objectContaining({ kind: 'job', elementId: 'check', message: 'still down' }),
    ]);
    expect(h.state.status).toBe('active');
    const { failJob } = await import('./operations.js');
    expect(failJob(h.state, h.ctx, h.job('check').key, { message: 'again' }).noop).toBe('JOB_NOT_PENDING');
    h.resolve(h.state.incidents[0]!.id);
    expect(h.job('check')).toMatchObject({ state: 'pending', attempt: 4, retries: 4 });
    h.failJob('check', 'once more');
    expect(h.state.incidents).toHaveLength(1);
    h.resolve(h.state.incidents[0]!.id);
    h.completeJob('check', {});
    expect(h.state.status).toBe('completed');
  });

  it('a FEEL error in a script becomes an incident, and resolving it with the missing value resumes', async () => {
    const h = new Harness(await loadFixture('script-service'));
    h.start({ standard: 'seven hundred', income: 1, members: 1, minimum: 0 });
    expect(h.state.status).toBe('active');
    expect(h.state.incidents).toEqual([
      expect.objectContaining({ elementId: 'calc', kind: 'expression', phase: 'enter' }),
    ]);
    expect(h.state.tokens).toEqual([expect.objectContaining({ node: 'calc', state: 'incident' })]);
    h.resolve(h.state.incidents[0]!.id, { standard: 700 });
    expect(h.state.incidents).toEqual([]);
    expect(h.state.variables['amount']).toBe(699);
    expect(h.state.tokens).toEqual([expect.objectContaining({ node: 'check', state: 'waiting' })]);
  });
});
