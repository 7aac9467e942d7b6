import { describe, expect, it } from 'vitest';
import type { RuntimeContext, StepResult } from './interpreter.js';
import { checkInvariants } from './invariants.js';
import { completeTask, correlateMessage, fireTimer, start } from './operations.js';
import type { InstanceState } from './state.js';
import { Harness, loadFixture } from './testkit.js';

/** Small deterministic PRNG (mulberry32) so a failing interleaving can be replayed from its seed. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('fork/join under random interleavings', () => {
  it('1,000 random interleavings of a three-branch parallel join: exactly one token passes, once', async () => {
    const model = await loadFixture('parallel');
    for (let seed = 1; seed <= 1000; seed++) {
      const rand = rng(seed);
      const h = new Harness(model);
      h.start({});
      h.approve('accept');
      const pending = ['a', 'b', 'c'];
      while (pending.length) {
        const roll = rand();
        const el = pending[Math.floor(rand() * pending.length)]!;
        if (roll < 0.25) h.act(el, { action: 'comment', comment: `seed ${seed}` }, 'u');
        else if (roll < 0.35) h.act(el, { action: 'cc', to: 'u-watch' }, 'u');
        else {
          h.approve(el, {}, 'u');
          pending.splice(pending.indexOf(el), 1);
          if (pending.length)
            expect(
              h.state.tasks.some((t) => t.elementId === 'after'),
              `seed ${seed}`,
            ).toBe(false);
        }
      }
      expect(h.openElements(), `seed ${seed}`).toEqual(['after']);
      expect(h.state.tokens, `seed ${seed}`).toHaveLength(1);
      expect(
        h.state.history.filter((e) => e.type === 'gateway.joined'),
        `seed ${seed}`,
      ).toHaveLength(1);
      expect(
        h.effects.filter((e) => e.type === 'task.created' && e.task.elementId === 'after'),
        `seed ${seed}`,
      ).toHaveLength(1);
    }
  });

  it('random inclusive forks: the join waits for exactly the activated branches, in any completion order', async () => {
    const model = await loadFixture('inclusive');
    for (let seed = 1; seed <= 300; seed++) {
      const rand = rng(seed * 7919);
      const h = new Harness(model);
      h.start({ hasDisability: rand() < 0.5, medicalCost: rand() < 0.5 ? 9000 : 0 });
      const pending = h.openElements();
      while (pending.length) {
        const el = pending[Math.floor(rand() * pending.length)]!;
        h.approve(el);
        pending.splice(pending.indexOf(el), 1);
        expect(
          h.state.tasks.filter((t) => t.elementId === 'final'),
          `seed ${seed}`,
        ).toHaveLength(pending.length ? 0 : 1);
      }
      expect(h.state.tokens, `seed ${seed}`).toHaveLength(1);
    }
  });
});

describe('persisted state', () => {
  /**
   * Drives a case through many element kinds. At every wait state the next operation is applied
   * twice, to the live state and to a JSON copy (as if written to the store and read back); the
   * results must be identical, and the invariants must hold.
   */
  it('serialise → parse → continue gives the same result at every wait state', async () => {
    const parallel = await loadFixture('parallel');
    const mi = await loadFixture('mi-any');
    const gateway = await loadFixture('event-gateway');
    const child = await loadFixture('call-child', 2);
    const parent = await loadFixture('call-parent');

    const check = (ctx: RuntimeContext, state: InstanceState, op: (s: InstanceState) => StepResult): InstanceState => {
      const live = op(state);
      const copy = op(state === undefined ? state : (JSON.parse(JSON.stringify(state)) as InstanceState));
      expect(copy.state).toStrictEqual(live.state);
      expect(copy.effects).toStrictEqual(live.effects);
      expect(JSON.parse(JSON.stringify(live.state))).toStrictEqual(live.state);
      expect(checkInvariants(live.state, ctx.model)).toEqual([]);
      return live.state;
    };
    const actOn =
      (ctx: RuntimeContext, el: string, action = 'approve' as const) =>
      (s: InstanceState) =>
        completeTask(
          s,
          ctx,
          s.tasks.find((t) => t.elementId === el)!.id,
          { action, comment: 'ok' },
          { userId: String(s.tasks.find((t) => t.elementId === el)!.assignee ?? 'u') },
        );

    const h1 = new Harness(parallel);
    let s = check(h1.ctx, undefined as never, () => start(h1.ctx, { data: {}, initiator: 'a' }));
    for (const el of ['accept', 'b', 'a', 'c', 'after']) s = check(h1.ctx, s, actOn(h1.ctx, el));
    expect(s.status).toBe('completed');

    const h2 = new Harness(mi);
    s = check(h2.ctx, undefined as never, () =>
      start(h2.ctx, { data: { committee: ['x', 'y', 'z'] }, initiator: 'a' }),
    );
    s = check(h2.ctx, s, actOn(h2.ctx, 'vote', 'reject' as never));
    s = check(h2.ctx, s, actOn(h2.ctx, 'vote'));
    expect(s.tasks.map((t) => t.elementId)).toEqual(['after']);

    const h3 = new Harness(gateway);
    s = check(h3.ctx, undefined as never, () => start(h3.ctx, { data: {}, initiator: 'a' }));
    h3.clock.advance(7 * 86_400_000);
    s = check(h3.ctx, s, (x) => fireTimer(x, h3.ctx, x.timers[0]!.id));
    const h3b = new Harness(gateway);
    let s2 = check(h3b.ctx, undefined as never, () => start(h3b.ctx, { data: {}, initiator: 'a' }));
    s2 = check(h3b.ctx, s2, (x) => correlateMessage(x, h3b.ctx, 'objection', { by: 'v' }));
    expect(s2.tasks.map((t) => t.elementId)).toEqual(['reinvestigate']);

    const h4 = new Harness(parent, { children: [child] });
    s = check(h4.ctx, undefined as never, () => start(h4.ctx, { data: { income: 900, members: 3 }, initiator: 'a' }));
    s = check(h4.ctx, s, actOn(h4.ctx, 'verify'));
    expect(s.variables['perCapita']).toBe(300);
  });

  it('operations never mutate the state they are given', async () => {
    const h = new Harness(await loadFixture('parallel'));
    h.start({});
    const frozen = JSON.stringify(h.state);
    completeTask(h.state, h.ctx, h.task('accept').id, { action: 'approve' }, { userId: 'u' });
    expect(JSON.stringify(h.state)).toBe(frozen);
  });
});
