import { addDuration, parseDuration } from './duration.js';
import {
  type Actor,
  isPlainObject,
  Run,
  type RuntimeContext,
  runtimeError,
  type StepResult,
  type TaskInput,
} from './interpreter.js';
import type { NodeModel, ProcessModel } from './model.js';
import { type InstanceState, ROOT_SCOPE, type TaskState, type Token } from './state.js';

/**
 * The operations: each is a pure function (state, input, context) → { state, effects, entries }.
 * The input state is never mutated. Business errors throw MinflowError (MINFLOW_ERR_RUNTIME_*);
 * expression errors become incidents in the returned state; repeated deliveries are no-ops.
 */

function noop(state: InstanceState, reason: NonNullable<StepResult['noop']>): StepResult {
  return { state, effects: [], entries: [], noop: reason };
}

function assertActive(state: InstanceState): void {
  if (state.status !== 'active') throw runtimeError('MINFLOW_ERR_RUNTIME_CASE_NOT_ACTIVE', { status: state.status });
}

/** Starts an instance: the case form data, the submitting user; runs to the first wait states. */
export function start(
  ctx: RuntimeContext,
  input: { data: Record<string, unknown>; initiator: string; variables?: Record<string, unknown> },
): StepResult {
  const now = ctx.clock.now().toISOString();
  const initial: InstanceState = {
    schema: 1,
    processId: ctx.model.id,
    version: ctx.model.version ?? null,
    status: 'active',
    initiator: input.initiator,
    startedAt: now,
    endedAt: null,
    outcome: null,
    data: structuredClone(input.data),
    variables: { ...structuredClone(input.variables ?? {}), initiator: input.initiator },
    tokens: [],
    scopes: [{ id: ROOT_SCOPE, kind: 'process', node: null, parent: null, owner: null }],
    tasks: [],
    timers: [],
    jobs: [],
    messages: [],
    incidents: [],
    ccs: [],
    history: [],
    seq: 0,
  };
  const run = new Run(initial, ctx);
  run.log({ type: 'case.started', userId: input.initiator });
  run.schedule(run.newToken(ctx.model.startNode, ROOT_SCOPE));
  run.drain();
  return run.result();
}

function openTask(run: Run, taskId: string): TaskState {
  const task = run.s.tasks.find((t) => t.id === taskId);
  if (!task) throw runtimeError('MINFLOW_ERR_RUNTIME_TASK_NOT_OPEN', { taskId });
  return task;
}

function taskToken(run: Run, task: TaskState): Token {
  const token = run.token(task.tokenId);
  if (!token) throw runtimeError('MINFLOW_ERR_RUNTIME_STATE_INVALID', { reason: `task ${task.id} has no token` });
  return token;
}

/** Actions each kind of task offers (on top of the step's `minflow:actions`). */
function allowedActions(task: TaskState, token: Token): Set<string> {
  if (task.kind === 'correction') return new Set(['approve', 'comment']);
  if (task.delegation === 'pending') return new Set(['resolve', 'comment']);
  if (task.kind === 'signer-before' || task.kind === 'signer-after')
    return new Set(['approve', 'reject', 'comment', 'cc']);
  const set = new Set<string>(task.actions);
  set.add('approve');
  set.add('comment');
  set.delete('resolve');
  if (token.loop) {
    set.delete('return');
    set.delete('addSigner');
  }
  return set;
}

function authorize(run: Run, task: TaskState, actor: Actor): void {
  if (task.kind === 'correction') {
    if (actor.userId !== run.s.initiator) throw runtimeError('MINFLOW_ERR_RUNTIME_NOT_ASSIGNEE', { taskId: task.id });
    return;
  }
  if (task.assignee) {
    if (task.assignee !== actor.userId) throw runtimeError('MINFLOW_ERR_RUNTIME_NOT_ASSIGNEE', { taskId: task.id });
    return;
  }
  if (actor.roles && task.roles.length && !task.roles.some((r) => actor.roles!.includes(r))) {
    throw runtimeError('MINFLOW_ERR_RUNTIME_NOT_CANDIDATE', { roles: task.roles.join(', ') });
  }
}

function recipients(action: string, to: TaskInput['to'], many: boolean): string[] {
  const list = (Array.isArray(to) ? to : to ? [to] : []).filter((u) => typeof u === 'string' && u.trim() !== '');
  if (!list.length)
    throw runtimeError('MINFLOW_ERR_RUNTIME_ACTION_INPUT_INVALID', { action, reason: '`to` is required' }, '/to');
  if (!many && list.length !== 1) {
    throw runtimeError('MINFLOW_ERR_RUNTIME_ACTION_INPUT_INVALID', { action, reason: '`to` must be one user' }, '/to');
  }
  return [...new Set(list)];
}

/** Applies case field changes, refusing fields the step may not edit; returns the diff for history. */
function applyChanges(run: Run, task: TaskState, changes: Record<string, unknown> | undefined) {
  if (!changes) return undefined;
  if (!isPlainObject(changes)) {
    throw runtimeError('MINFLOW_ERR_RUNTIME_ACTION_INPUT_INVALID', {
      action: 'changes',
      reason: 'changes must be an object',
    });
  }
  const editable = new Set(task.editable.map((p) => p.replace(/^\//, '').split('/')[0]));
  const diff: Array<{ field: string; from: unknown; to: unknown }> = [];
  for (const field of Object.keys(changes)) {
    if (task.kind !== 'correction' && !editable.has(field)) {
      throw runtimeError('MINFLOW_ERR_RUNTIME_FIELD_NOT_EDITABLE', { field: `/${field}` }, `/changes/${field}`);
    }
  }
  for (const [field, value] of Object.entries(changes)) {
    const from = run.s.data[field];
    if (JSON.stringify(from) === JSON.stringify(value)) continue;
    diff.push({ field, from: from === undefined ? null : structuredClone(from), to: structuredClone(value) });
    if (value === undefined) delete run.s.data[field];
    else run.s.data[field] = structuredClone(value);
  }
  return diff.length ? diff : undefined;
}

function nodeOfTask(run: Run, task: TaskState, token: Token): NodeModel {
  return run.modelFor(token.scope).nodes[task.elementId]!;
}

/** Completes a user task's step: stores its data, sets `action`, moves the token on. */
function finishStep(run: Run, task: TaskState, token: Token, action: 'approve', data: Record<string, unknown>): void {
  run.setVariable(token.scope, task.elementId, data);
  run.setVariable(token.scope, 'action', action);
  run.disarm(token);
  run.schedule(token, 'leave');
}

/**
 * Acts on an open task with an approval action. See TaskInput; `actor.roles` (when given) must
 * include a candidate role of an unassigned task; an assigned task only takes its assignee.
 */
export function completeTask(
  state: InstanceState,
  ctx: RuntimeContext,
  taskId: string,
  input: TaskInput,
  actor: Actor,
): StepResult {
  assertActive(state);
  const run = new Run(state, ctx);
  const task = openTask(run, taskId);
  const token = taskToken(run, task);
  const action = input.action;
  if (task.suspendedBy && action !== 'comment') {
    const signer = run.s.tasks.find((t) => t.id === task.suspendedBy)?.assignee ?? '';
    throw runtimeError('MINFLOW_ERR_RUNTIME_TASK_SUSPENDED', { taskId, signer });
  }
  authorize(run, task, actor);
  if (!allowedActions(task, token).has(action))
    throw runtimeError('MINFLOW_ERR_RUNTIME_ACTION_NOT_ALLOWED', { action }, '/action');
  const comment = typeof input.comment === 'string' && input.comment.trim() ? input.comment.trim() : null;
  const data = input.data === undefined ? {} : input.data;
  if (!isPlainObject(data))
    throw runtimeError(
      'MINFLOW_ERR_RUNTIME_ACTION_INPUT_INVALID',
      { action, reason: 'data must be an object' },
      '/data',
    );
  if (!task.assignee && task.kind !== 'correction') {
    task.assignee = actor.userId;
    task.claimedAt = run.nowIso;
  }
  const node = nodeOfTask(run, task, token);
  const base = {
    elementId: task.elementId,
    taskId: task.id,
    tokenId: token.id,
    scopeId: token.scope,
    userId: actor.userId,
  };

  switch (action) {
    case 'approve': {
      const changes = applyChanges(run, task, input.changes);
      run.closeTask(task, 'completed');
      run.log({
        type: 'task.completed',
        ...base,
        action,
        comment,
        data: structuredClone(data),
        changes,
        message: task.kind,
      });
      if (task.kind === 'signer-before') {
        const parent = run.s.tasks.find((t) => t.id === task.parentTaskId);
        if (parent) {
          parent.suspendedBy = null;
          run.effects.push({ type: 'task.updated', task: structuredClone(parent) });
        }
      } else if (task.kind === 'signer-after') {
        const pending = task.pending!;
        finishStep(run, task, token, 'approve', pending.data);
      } else if (task.kind === 'correction') {
        // The step comes back: re-enter it (new task, due time and boundary timers; errors become incidents).
        run.schedule(token);
      } else if (token.loop) {
        run.completeInstance(token, { userId: actor.userId, action, data, comment });
      } else {
        finishStep(run, task, token, 'approve', data);
      }
      break;
    }
    case 'reject': {
      if (!comment) throw runtimeError('MINFLOW_ERR_RUNTIME_REASON_REQUIRED', { action }, '/comment');
      run.closeTask(task, 'rejected');
      run.log({ type: 'task.completed', ...base, action, comment, data: structuredClone(data), message: task.kind });
      if (token.loop) run.completeInstance(token, { userId: actor.userId, action, data, comment });
      else run.finishCase('rejected', { reason: comment, userId: actor.userId, elementId: task.elementId });
      break;
    }
    case 'return':
      returnTask(run, task, token, node, input, actor, comment);
      break;
    case 'transfer': {
      const [to] = recipients(action, input.to, false);
      if (to === actor.userId)
        throw runtimeError(
          'MINFLOW_ERR_RUNTIME_ACTION_INPUT_INVALID',
          { action, reason: 'cannot transfer to yourself' },
          '/to',
        );
      task.assignee = to!;
      task.claimedAt = null;
      run.log({ type: 'task.action', ...base, action, comment, to });
      run.effects.push({ type: 'task.updated', task: structuredClone(task) });
      run.effects.push({
        type: 'notice',
        kind: 'transfer',
        to: [to!],
        taskId,
        elementId: task.elementId,
        by: actor.userId,
      });
      break;
    }
    case 'delegate': {
      const [to] = recipients(action, input.to, false);
      if (to === actor.userId)
        throw runtimeError(
          'MINFLOW_ERR_RUNTIME_ACTION_INPUT_INVALID',
          { action, reason: 'cannot delegate to yourself' },
          '/to',
        );
      task.owner = actor.userId;
      task.assignee = to!;
      task.delegation = 'pending';
      run.log({ type: 'task.action', ...base, action, comment, to });
      run.effects.push({ type: 'task.updated', task: structuredClone(task) });
      run.effects.push({
        type: 'notice',
        kind: 'delegate',
        to: [to!],
        taskId,
        elementId: task.elementId,
        by: actor.userId,
      });
      break;
    }
    case 'resolve': {
      task.assignee = task.owner;
      task.delegation = 'resolved';
      task.draft = structuredClone(data);
      run.log({
        type: 'task.action',
        ...base,
        action,
        comment,
        data: structuredClone(data),
        to: task.owner ?? undefined,
      });
      run.effects.push({ type: 'task.updated', task: structuredClone(task) });
      run.effects.push({
        type: 'notice',
        kind: 'resolve',
        to: [task.owner!],
        taskId,
        elementId: task.elementId,
        by: actor.userId,
      });
      break;
    }
    case 'addSigner': {
      const [to] = recipients(action, input.to, false);
      const position = input.position ?? 'before';
      if (position !== 'before' && position !== 'after') {
        throw runtimeError(
          'MINFLOW_ERR_RUNTIME_ACTION_INPUT_INVALID',
          { action, reason: 'position is before or after' },
          '/position',
        );
      }
      if (to === actor.userId)
        throw runtimeError(
          'MINFLOW_ERR_RUNTIME_ACTION_INPUT_INVALID',
          { action, reason: 'cannot add yourself' },
          '/to',
        );
      if (position === 'before') {
        const added = run.createTask(token, node, 'signer-before', {
          assignee: to!,
          parentTaskId: task.id,
          actions: ['approve', 'reject', 'comment'],
        });
        task.suspendedBy = added.id;
        run.effects.push({ type: 'task.updated', task: structuredClone(task) });
      } else {
        const changes = applyChanges(run, task, input.changes);
        run.closeTask(task, 'signer-added');
        run.log({
          type: 'task.completed',
          ...base,
          action: 'approve',
          comment,
          data: structuredClone(data),
          changes,
          message: 'signer-after',
        });
        run.createTask(token, node, 'signer-after', {
          assignee: to!,
          parentTaskId: task.id,
          actions: ['approve', 'reject', 'comment'],
          pending: { userId: actor.userId, data: structuredClone(data), changes: input.changes ?? {}, comment },
        });
      }
      run.log({ type: 'task.action', ...base, action, comment, to, message: position });
      run.effects.push({
        type: 'notice',
        kind: 'signer',
        to: [to!],
        taskId,
        elementId: task.elementId,
        by: actor.userId,
      });
      break;
    }
    case 'cc': {
      const to = recipients(action, input.to, true);
      for (const userId of to) run.s.ccs.push({ userId, by: actor.userId, taskId, at: run.nowIso });
      run.log({ type: 'task.action', ...base, action, comment, to });
      run.effects.push({ type: 'notice', kind: 'cc', to, taskId, elementId: task.elementId, by: actor.userId });
      break;
    }
    case 'comment': {
      if (!comment) throw runtimeError('MINFLOW_ERR_RUNTIME_REASON_REQUIRED', { action }, '/comment');
      run.log({ type: 'task.action', ...base, action, comment });
      break;
    }
  }
  run.drain();
  return run.result();
}

function returnTask(
  run: Run,
  task: TaskState,
  token: Token,
  node: NodeModel,
  input: TaskInput,
  actor: Actor,
  comment: string | null,
): void {
  if (!comment) throw runtimeError('MINFLOW_ERR_RUNTIME_REASON_REQUIRED', { action: 'return' }, '/comment');
  const target = input.target ?? 'previous';
  const base = {
    elementId: task.elementId,
    taskId: task.id,
    tokenId: token.id,
    scopeId: token.scope,
    userId: actor.userId,
  };
  if (target === 'applicant') {
    run.closeTask(task, 'returned');
    run.disarm(token);
    run.log({ type: 'task.returned', ...base, action: 'return', comment, to: 'applicant' });
    run.createTask(token, node, 'correction', {
      name: node.name ? `补正：${node.name}` : '补正材料',
      assignee: run.s.initiator,
      roles: [],
      actions: ['approve', 'comment'],
      editable: [],
    });
    run.effects.push({
      type: 'notice',
      kind: 'return',
      to: [run.s.initiator],
      taskId: task.id,
      elementId: task.elementId,
      by: actor.userId,
    });
    return;
  }
  // Scopes the current token is in (its own and its ancestors): a return may not leave a finished scope.
  const chain: string[] = [];
  for (let sc = run.scope(token.scope); sc; sc = sc.parent ? run.scope(sc.parent) : undefined) chain.push(sc.id);
  const completed = run.s.history.filter(
    (h) =>
      h.type === 'task.completed' &&
      h.action === 'approve' &&
      (h.message === 'task' || h.message === 'signer-after') &&
      h.scopeId !== undefined &&
      chain.includes(h.scopeId) &&
      run.modelFor(h.scopeId).nodes[h.elementId!]?.type === 'userTask' &&
      !run.modelFor(h.scopeId).nodes[h.elementId!]?.multiInstance,
  );
  let entry: (typeof completed)[number] | undefined;
  if (target === 'previous') {
    const earlier = completed.filter((h) => h.elementId !== task.elementId);
    entry = earlier.filter((h) => h.tokenId === token.id).at(-1) ?? earlier.at(-1);
    if (!entry) {
      throw runtimeError(
        'MINFLOW_ERR_RUNTIME_RETURN_TARGET_INVALID',
        { target, reason: 'no earlier step was completed' },
        '/target',
      );
    }
  } else {
    entry = completed.filter((h) => h.elementId === target).at(-1);
    if (!entry) {
      throw runtimeError(
        'MINFLOW_ERR_RUNTIME_RETURN_TARGET_INVALID',
        { target, reason: 'it is not an earlier completed step of this case' },
        '/target',
      );
    }
  }
  const targetId = entry.elementId!;
  run.log({ type: 'task.returned', ...base, action: 'return', comment, to: targetId });
  const notify = entry.userId ? [entry.userId] : [];
  if (entry.tokenId === token.id) {
    // Same branch: move this token back; parallel branches elsewhere are untouched.
    run.closeTask(task, 'returned');
    run.disarm(token);
    token.node = targetId;
    token.via = null;
    run.schedule(token);
  } else {
    // The target lies before a fork (or in an enclosing scope): that scope restarts from it.
    const scopeId = entry.scopeId!;
    for (const t of run.s.tokens.filter((x) => x.scope === scopeId)) run.cancelToken(t, 'returned');
    run.schedule(run.newToken(targetId, scopeId));
  }
  if (notify.length) {
    run.effects.push({
      type: 'notice',
      kind: 'return',
      to: notify,
      taskId: task.id,
      elementId: targetId,
      by: actor.userId,
    });
  }
}

/** Claims an unassigned task for the actor (a candidate). */
export function claimTask(state: InstanceState, ctx: RuntimeContext, taskId: string, actor: Actor): StepResult {
  assertActive(state);
  const run = new Run(state, ctx);
  const task = openTask(run, taskId);
  if (task.assignee && task.assignee !== actor.userId) {
    throw runtimeError('MINFLOW_ERR_RUNTIME_TASK_ALREADY_CLAIMED', { assignee: task.assignee });
  }
  if (task.assignee === actor.userId) return noop(state, 'ALREADY_ASSIGNED');
  authorize(run, task, actor);
  task.assignee = actor.userId;
  task.claimedAt = run.nowIso;
  run.log({ type: 'task.claimed', elementId: task.elementId, taskId, tokenId: task.tokenId, userId: actor.userId });
  run.effects.push({ type: 'task.updated', task: structuredClone(task) });
  return run.result();
}

/** Gives a claimed task back to its candidates. Delegated, added-signer and correction tasks cannot be unclaimed. */
export function unclaimTask(state: InstanceState, ctx: RuntimeContext, taskId: string, actor: Actor): StepResult {
  assertActive(state);
  const run = new Run(state, ctx);
  const task = openTask(run, taskId);
  if (task.assignee !== actor.userId) throw runtimeError('MINFLOW_ERR_RUNTIME_NOT_ASSIGNEE', { taskId });
  if (
    task.kind !== 'task' ||
    task.delegation === 'pending' ||
    (task.miIndex !== null && typeof task.loopItem === 'string')
  ) {
    throw runtimeError('MINFLOW_ERR_RUNTIME_ACTION_NOT_ALLOWED', { action: 'unclaim' });
  }
  task.assignee = null;
  task.claimedAt = null;
  task.owner = null;
  task.delegation = null;
  run.log({ type: 'task.unclaimed', elementId: task.elementId, taskId, tokenId: task.tokenId, userId: actor.userId });
  run.effects.push({ type: 'task.updated', task: structuredClone(task) });
  return run.result();
}

/**
 * The applicant withdraws the case (撤回申请) until the next step acts: once any step has been
 * claimed or acted on by someone else, it is too late.
 */
export function withdraw(state: InstanceState, ctx: RuntimeContext, actor: Actor, comment?: string | null): StepResult {
  assertActive(state);
  if (actor.userId !== state.initiator) {
    throw runtimeError('MINFLOW_ERR_RUNTIME_WITHDRAW_NOT_ALLOWED', { reason: 'only the applicant may withdraw' });
  }
  const acted =
    state.history.some(
      (h) =>
        (h.type === 'task.completed' || h.type === 'task.action' || h.type === 'task.claimed') &&
        h.userId !== state.initiator,
    ) || state.tasks.some((t) => t.kind !== 'correction' && t.assignee !== null && t.claimedAt !== null);
  if (acted)
    throw runtimeError('MINFLOW_ERR_RUNTIME_WITHDRAW_NOT_ALLOWED', { reason: 'the next step has already acted' });
  const run = new Run(state, ctx);
  run.finishCase('withdrawn', { reason: comment?.trim() || null, userId: actor.userId, elementId: null });
  return run.result();
}

/** History entry types that mean someone acted on the case after a step was completed. */
const ACTED = new Set([
  'task.completed',
  'task.action',
  'task.claimed',
  'task.returned',
  'job.completed',
  'message.correlated',
]);

/**
 * The approver who completed the latest step takes it back (撤回) while the next step has not
 * acted: the next step's task is closed and the approver's step is reopened, assigned to them.
 * Possible only when the step led straight to user task(s) on the same token (no fork, job or
 * timer in between) and nobody has claimed or acted on anything since.
 */
export function recall(state: InstanceState, ctx: RuntimeContext, actor: Actor, comment?: string | null): StepResult {
  assertActive(state);
  const done = state.history.filter(
    (h) => h.type === 'task.completed' && h.action === 'approve' && h.message === 'task' && h.scopeId !== undefined,
  );
  const entry = done.at(-1);
  const refuse = (reason: string) => runtimeError('MINFLOW_ERR_RUNTIME_WITHDRAW_NOT_ALLOWED', { reason });
  if (!entry || entry.userId !== actor.userId) throw refuse('you did not complete the latest step');
  if (state.history.some((h) => h.seq > entry.seq && ACTED.has(h.type)))
    throw refuse('the next step has already acted');
  const run = new Run(state, ctx);
  const token = run.token(entry.tokenId!);
  const next = token ? run.s.tasks.filter((t) => t.tokenId === token.id) : [];
  if (
    !token ||
    token.scope !== entry.scopeId ||
    token.state !== 'waiting' ||
    !next.length ||
    next.some((t) => t.claimedAt)
  ) {
    throw refuse('the step did not lead straight to a waiting user task');
  }
  for (const t of next) run.closeTask(t, 'recalled');
  run.disarm(token);
  run.log({
    type: 'task.recalled',
    elementId: entry.elementId,
    taskId: entry.taskId,
    tokenId: token.id,
    scopeId: token.scope,
    userId: actor.userId,
    action: 'recall',
    comment: comment?.trim() || null,
  });
  token.node = entry.elementId!;
  token.via = null;
  run.schedule(token);
  run.drain();
  for (const t of run.s.tasks) {
    if (t.tokenId === token.id && t.elementId === entry.elementId && !t.assignee) {
      t.assignee = actor.userId;
      t.claimedAt = run.nowIso;
      run.effects.push({ type: 'task.updated', task: structuredClone(t) });
    }
  }
  return run.result();
}

/** Ends an active case by administrative decision (终止): everything pending is cancelled. */
export function terminate(state: InstanceState, ctx: RuntimeContext, actor: Actor, reason: string): StepResult {
  assertActive(state);
  if (!reason?.trim()) throw runtimeError('MINFLOW_ERR_RUNTIME_REASON_REQUIRED', { action: 'terminate' }, '/reason');
  const run = new Run(state, ctx);
  run.finishCase('terminated', { reason: reason.trim(), userId: actor.userId, elementId: null });
  return run.result();
}

/** A scheduled timer is due. Firing one that is gone (cancelled, already fired) or not yet due is a no-op. */
export function fireTimer(state: InstanceState, ctx: RuntimeContext, timerId: string): StepResult {
  const pending = state.timers.find((t) => t.id === timerId);
  if (!pending) return noop(state, 'TIMER_NOT_PENDING');
  if (state.status !== 'active') return noop(state, 'CASE_NOT_ACTIVE');
  if (Date.parse(pending.dueAt) > ctx.clock.now().getTime()) return noop(state, 'TIMER_NOT_DUE');
  const run = new Run(state, ctx);
  const timer = run.s.timers.find((t) => t.id === timerId)!;
  const token = run.token(timer.tokenId)!;
  run.s.timers = run.s.timers.filter((t) => t.id !== timerId);
  run.log({ type: 'timer.fired', elementId: timer.node, tokenId: token.id, message: timer.kind });
  const model = run.modelFor(token.scope);
  const eventNode = model.nodes[timer.node]!;
  switch (timer.kind) {
    case 'due': {
      const task = run.s.tasks.find((t) => t.id === timer.taskId);
      if (task) {
        const to = task.assignee ? [task.assignee] : [];
        run.effects.push({ type: 'notice', kind: 'overdue', to, taskId: task.id, elementId: task.elementId, by: null });
        run.log({ type: 'task.overdue', elementId: task.elementId, taskId: task.id, tokenId: token.id });
      }
      break;
    }
    case 'catch':
      run.schedule(token, 'leave');
      break;
    case 'gateway':
      run.resolveEventGateway(token, eventNode);
      break;
    case 'boundary': {
      if (!eventNode.cancelActivity && timer.cycle && timer.cycle.remaining !== 0) {
        const every = parseDuration(timer.cycle.every)!;
        let next = addDuration(new Date(timer.dueAt), every);
        while (next <= run.now) next = addDuration(next, every);
        const again = {
          ...timer,
          id: run.nextId('timer'),
          dueAt: next.toISOString(),
          cycle: {
            remaining: timer.cycle.remaining === null ? null : timer.cycle.remaining - 1,
            every: timer.cycle.every,
          },
        };
        run.s.timers.push(again);
        run.effects.push({ type: 'timer.scheduled', timerId: again.id, elementId: again.node, dueAt: again.dueAt });
      }
      run.triggerBoundary(token, eventNode);
      break;
    }
  }
  run.drain();
  return run.result();
}

/** Correlates a message (by name, within this case) to the oldest subscription waiting for it. */
export function correlateMessage(
  state: InstanceState,
  ctx: RuntimeContext,
  name: string,
  payload: Record<string, unknown> = {},
): StepResult {
  if (!state.messages.some((m) => m.name === name)) return noop(state, 'MESSAGE_NOT_AWAITED');
  if (state.status !== 'active') return noop(state, 'CASE_NOT_ACTIVE');
  const run = new Run(state, ctx);
  const sub = run.s.messages.find((m) => m.name === name)!;
  run.s.messages = run.s.messages.filter((m) => m.id !== sub.id);
  const token = run.token(sub.tokenId)!;
  const eventNode = run.modelFor(token.scope).nodes[sub.node]!;
  run.setVariable(token.scope, sub.node, structuredClone(payload));
  run.log({
    type: 'message.correlated',
    elementId: sub.node,
    tokenId: token.id,
    message: name,
    data: structuredClone(payload),
  });
  if (sub.kind === 'catch') run.schedule(token, 'leave');
  else if (sub.kind === 'gateway') run.resolveEventGateway(token, eventNode);
  else run.triggerBoundary(token, eventNode);
  run.drain();
  return run.result();
}

/** A handler finished: its result is stored under the element id and the token moves on. Twice → no-op. */
export function completeJob(
  state: InstanceState,
  ctx: RuntimeContext,
  jobKey: string,
  result: unknown = {},
): StepResult {
  if (!state.jobs.some((j) => j.key === jobKey)) return noop(state, 'JOB_NOT_PENDING');
  if (state.status !== 'active') return noop(state, 'CASE_NOT_ACTIVE');
  const run = new Run(state, ctx);
  const job = run.s.jobs.find((j) => j.key === jobKey)!;
  run.s.jobs = run.s.jobs.filter((j) => j.key !== jobKey);
  // A late success after the retries ran out settles the incident too.
  for (const inc of run.s.incidents.filter((i) => i.jobKey === jobKey)) {
    run.effects.push({ type: 'incident.resolved', incidentId: inc.id });
  }
  run.s.incidents = run.s.incidents.filter((i) => i.jobKey !== jobKey);
  const token = run.token(job.tokenId)!;
  run.setVariable(token.scope, job.node, result === undefined ? null : structuredClone(result));
  run.log({ type: 'job.completed', elementId: job.node, tokenId: token.id, message: job.key });
  run.disarm(token);
  run.schedule(token, 'leave');
  run.drain();
  return run.result();
}

/**
 * A handler failed. While attempts remain the job is re-enqueued after the backoff (doubling
 * each time); then the case gets an incident. `retryable: false` raises the incident at once.
 */
export function failJob(
  state: InstanceState,
  ctx: RuntimeContext,
  jobKey: string,
  error: { message: string; retryable?: boolean },
): StepResult {
  if (!state.jobs.some((j) => j.key === jobKey && j.state === 'pending')) return noop(state, 'JOB_NOT_PENDING');
  if (state.status !== 'active') return noop(state, 'CASE_NOT_ACTIVE');
  const run = new Run(state, ctx);
  const job = run.s.jobs.find((j) => j.key === jobKey)!;
  const token = run.token(job.tokenId)!;
  job.lastError = String(error.message ?? 'failed');
  if (error.retryable !== false && job.attempt < job.retries) {
    const backoff = parseDuration(job.backoff)!;
    let runAt = run.now;
    for (let i = 0; i < 2 ** (job.attempt - 1) && i < 64; i++) runAt = addDuration(runAt, backoff);
    job.attempt += 1;
    job.runAt = runAt.toISOString();
    run.log({ type: 'job.failed', elementId: job.node, tokenId: token.id, message: job.lastError });
    run.effects.push({
      type: 'job.enqueued',
      jobKey,
      handler: job.handler,
      elementId: job.node,
      attempt: job.attempt,
      runAt: job.runAt,
      input: run.feelContext(token.scope, token),
    });
  } else {
    job.state = 'incident';
    const incident = {
      id: run.nextId('inc'),
      kind: 'job' as const,
      elementId: job.node,
      tokenId: token.id,
      jobKey,
      message: job.lastError,
      createdAt: run.nowIso,
      phase: 'enter' as const,
    };
    run.s.incidents.push(incident);
    run.effects.push({ type: 'incident.raised', incident });
    run.log({ type: 'incident.raised', elementId: job.node, tokenId: token.id, message: job.lastError });
  }
  return run.result();
}

/**
 * Resolves an incident: a failed job gets exactly one more attempt; an expression or model
 * incident re-runs the element once (after `variables`, if given, are merged into the case's
 * variables, e.g. to supply a missing value).
 */
export function resolveIncident(
  state: InstanceState,
  ctx: RuntimeContext,
  incidentId: string,
  opts: { userId?: string; variables?: Record<string, unknown> } = {},
): StepResult {
  assertActive(state);
  if (!state.incidents.some((i) => i.id === incidentId)) {
    throw runtimeError('MINFLOW_ERR_RUNTIME_INCIDENT_NOT_FOUND', { incidentId });
  }
  const run = new Run(state, ctx);
  const incident = run.s.incidents.find((i) => i.id === incidentId)!;
  run.s.incidents = run.s.incidents.filter((i) => i.id !== incidentId);
  const token = run.token(incident.tokenId)!;
  if (opts.variables) Object.assign(run.variablesOf(token.scope), structuredClone(opts.variables));
  run.log({
    type: 'incident.resolved',
    elementId: incident.elementId,
    tokenId: token.id,
    userId: opts.userId,
    message: incident.message,
  });
  run.effects.push({ type: 'incident.resolved', incidentId });
  if (incident.kind === 'job') {
    const job = run.s.jobs.find((j) => j.key === incident.jobKey)!;
    job.state = 'pending';
    job.attempt += 1;
    job.retries = job.attempt;
    job.runAt = run.nowIso;
    run.effects.push({
      type: 'job.enqueued',
      jobKey: job.key,
      handler: job.handler,
      elementId: job.node,
      attempt: job.attempt,
      runAt: job.runAt,
      input: run.feelContext(token.scope, token),
    });
    return run.result();
  }
  const ownedScope = run.s.scopes.find((sc) => sc.owner === token.id);
  if (ownedScope?.kind === 'multiInstance') {
    run.guard(token, 'enter', () => run.decideMultiInstance(token, ownedScope));
  } else if (ownedScope?.kind === 'call' && !run.s.tokens.some((t) => t.scope === ownedScope.id)) {
    run.checkScopeEnd(ownedScope.id);
  } else {
    token.state = 'waiting';
    run.schedule(token, incident.phase);
  }
  run.drain();
  return run.result();
}

/** The model a case runs, for callers that hold only the state (call activity scopes resolve through ctx). */
export function modelIdOf(state: InstanceState): { processId: string; version: number | null } {
  return { processId: state.processId, version: state.version };
}

export type { ProcessModel };
