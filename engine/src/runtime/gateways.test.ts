import { describe, expect, it } from 'vitest';
import { Harness, loadFixture } from './testkit.js';

describe('exclusive gateway', () => {
  it.each([
    [20000, 'city'],
    [5000, 'county'],
    [100, 'township'],
  ])('amount %d goes to %s (first true condition in document order, else the default)', async (amount, expected) => {
    const h = new Harness(await loadFixture('exclusive'));
    h.start({ amount });
    expect(h.openElements()).toEqual([expected]);
    h.approve(expected);
    expect(h.state.status).toBe('completed');
  });

  it('raises an incident when no condition holds and there is no default, and resumes once data is fixed', async () => {
    const h = new Harness(await loadFixture('exclusive-no-default'));
    h.start({});
    expect(h.state.incidents).toEqual([expect.objectContaining({ elementId: 'route', kind: 'no-flow' })]);
    expect(h.state.tasks).toEqual([]);
    expect(h.effects).toContainEqual(expect.objectContaining({ type: 'incident.raised' }));
    h.resolve(h.state.incidents[0]!.id, { amount: 5000 });
    expect(h.openElements()).toEqual(['county']);
  });
});

describe('parallel gateway', () => {
  const orders = [
    ['a', 'b', 'c'],
    ['a', 'c', 'b'],
    ['b', 'a', 'c'],
    ['b', 'c', 'a'],
    ['c', 'a', 'b'],
    ['c', 'b', 'a'],
  ];
  it.each(orders)(
    'forks three branches and joins exactly once when they finish in order %s, %s, %s',
    async (...order) => {
      const h = new Harness(await loadFixture('parallel'));
      h.start({});
      h.approve('accept');
      expect(h.openElements()).toEqual(['a', 'b', 'c']);
      for (const [i, el] of order.entries()) {
        h.approve(el);
        if (i < 2) expect(h.state.tasks.some((t) => t.elementId === 'after')).toBe(false);
      }
      expect(h.openElements()).toEqual(['after']);
      expect(h.state.tokens).toHaveLength(1);
      expect(h.state.history.filter((e) => e.type === 'gateway.joined')).toHaveLength(1);
    },
  );
});

describe('inclusive gateway', () => {
  it('activates every branch whose condition holds and joins when all activated branches are done', async () => {
    const h = new Harness(await loadFixture('inclusive'));
    h.start({ hasDisability: true, medicalCost: 8000 });
    expect(h.openElements()).toEqual(['disability', 'medical']);
    h.approve('medical');
    expect(h.openElements()).toEqual(['disability']);
    h.approve('disability');
    expect(h.openElements()).toEqual(['final']);
  });

  it('takes only the default flow when no condition holds, and the join does not wait for branches never started', async () => {
    const h = new Harness(await loadFixture('inclusive'));
    h.start({ hasDisability: false, medicalCost: 0 });
    expect(h.openElements()).toEqual(['basic']);
    h.approve('basic');
    expect(h.openElements()).toEqual(['final']);
  });

  it('with one branch active, the join passes as soon as it arrives', async () => {
    const h = new Harness(await loadFixture('inclusive'));
    h.start({ hasDisability: true, medicalCost: 0 });
    expect(h.openElements()).toEqual(['disability']);
    h.approve('disability');
    expect(h.openElements()).toEqual(['final']);
  });
});

describe('event-based gateway (公示: timer vs objection)', () => {
  it('the timer wins after 7 days and the message subscription is cancelled', async () => {
    const h = new Harness(await loadFixture('event-gateway'));
    h.start({});
    expect(h.state.timers).toHaveLength(1);
    expect(h.state.messages.map((m) => m.name)).toEqual(['objection']);
    h.advance(6 * 86_400_000);
    expect(h.state.tasks).toEqual([]);
    h.advance(86_400_000);
    expect(h.openElements()).toEqual(['approve']);
    expect(h.state.messages).toEqual([]);
    const late = h.message('objection', { by: '村民李四' });
    expect(late.noop).toBe('MESSAGE_NOT_AWAITED');
  });

  it('an objection wins and cancels the timer; the payload is kept under the event id', async () => {
    const h = new Harness(await loadFixture('event-gateway'));
    h.start({});
    const timerId = h.state.timers[0]!.id;
    h.clock.advance(3 * 86_400_000);
    h.message('objection', { by: '村民李四', reason: '家中有车' });
    expect(h.openElements()).toEqual(['reinvestigate']);
    expect(h.state.variables['objection']).toEqual({ by: '村民李四', reason: '家中有车' });
    expect(h.state.timers).toEqual([]);
    expect(h.last.effects).toContainEqual({ type: 'timer.cancelled', timerId });
    h.clock.advance(5 * 86_400_000);
    expect(h.fire(timerId).noop).toBe('TIMER_NOT_PENDING');
    expect(h.openElements()).toEqual(['reinvestigate']);
  });
});
