import { describe, expect, it } from 'vitest';
import { APPROVAL_ACTIONS } from '../runtime/index.js';
import { TASK_ACTIONS } from './supported.js';

describe('minflow:actions', () => {
  it('lint accepts exactly the approval actions the runtime executes', () => {
    expect([...TASK_ACTIONS].sort()).toEqual([...APPROVAL_ACTIONS].sort());
  });
});
