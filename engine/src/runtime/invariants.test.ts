import { describe, expect, it } from 'vitest';
import { checkInvariants } from './invariants.js';
import type { InstanceState } from './state.js';
import { Harness, loadFixture } from './testkit.js';

async function waiting(): Promise<{ state: InstanceState; h: Harness }> {
  const h = new Harness(await loadFixture('timers'));
  h.start({ waitFor: 'PT1H' });
  h.advance(3600_000);
  expect(h.openElements()).toEqual(['review']);
  return { state: h.state, h };
}

describe('checkInvariants', () => {
  it('a sound state has no violations', async () => {
    const { state, h } = await waiting();
    expect(checkInvariants(state, h.model)).toEqual([]);
  });

  it('detects a lost token (a task without its token)', async () => {
    const { state, h } = await waiting();
    state.tokens = [];
    const found = checkInvariants(state, h.model).join('\n');
    expect(found).toMatch(/active case without any token/);
    expect(found).toMatch(/task .* has no token/);
    expect(found).toMatch(/timer .* has no token/);
  });

  it('detects a duplicated token and a waiting user-task token without a task', async () => {
    const { state, h } = await waiting();
    state.tokens.push({ ...state.tokens[0]! });
    state.tokens.push({ ...state.tokens[0]!, id: 'extra' });
    const found = checkInvariants(state, h.model).join('\n');
    expect(found).toMatch(/duplicate token ids/);
    expect(found).toMatch(/token extra waits at user task review without a task/);
  });

  it('detects leftovers in an ended case and a token at a non-wait state', async () => {
    const { state, h } = await waiting();
    state.tokens[0]!.node = 'start';
    expect(checkInvariants(state, h.model).join('\n')).toMatch(/not a wait state/);
    state.status = 'completed';
    state.endedAt = '2026-03-02T01:00:00Z';
    expect(checkInvariants(state, h.model).join('\n')).toMatch(/completed case still has 1 token/);
  });
});
