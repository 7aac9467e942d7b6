import { FeelFunction, date as feelDate, dateAndTime as feelDateTime } from 'feelin';
import { MinflowError } from '../errors/registry.js';
import type { Clock } from '../infra/clock.js';
import { type CalendarKind, chinaCalendar, type WorkingCalendar } from './calendar.js';
import { addDuration, parseCycle, parseDateTime, parseDuration } from './duration.js';
import { evalCondition, evalFeel, FeelError, isExpression } from './feel.js';
import type { ApprovalAction, NodeModel, ProcessModel, TimerDef } from './model.js';
import {
  type CaseStatus,
  type HistoryEntry,
  type Incident,
  type InstanceState,
  ROOT_SCOPE,
  type Scope,
  type TaskKind,
  type TaskState,
  type TimerKind,
  type TimerState,
  type Token,
} from './state.js';

/** What an operation needs besides the state. Nothing here is mutated. */
export interface RuntimeContext {
  /** The case's model (the published version it started with). */
  model: ProcessModel;
  clock: Clock;
  /** Working-day calendar for `minflow:due`; defaults to the shipped China calendar. */
  calendar?: WorkingCalendar;
  /**
   * Call activities: returns the called process's model. `version` is null when the child is
   * started (give the current published version and set `model.version`) and the recorded
   * version afterwards (give exactly that one).
   */
  resolveModel?: (calledElement: string, version: number | null) => ProcessModel | undefined;
  /** Prefix for task ids, timer ids and job keys (e.g. `${caseId}:`) so they are unique across cases. */
  idPrefix?: string;
  /** Loop guard: steps one operation may take before an incident is raised (default 10,000). */
  maxSteps?: number;
}

/** Who acts. `roles` is checked against the task's candidate roles when given (jurisdiction is the caller's). */
export interface Actor {
  userId: string;
  roles?: readonly string[];
}

export type TaskCloseReason =
  | 'completed'
  | 'rejected'
  | 'returned'
  | 'cancelled'
  | 'interrupted'
  | 'signer-added'
  | 'vote-decided'
  | 'recalled'
  | 'case-ended';

export type NoticeKind = 'cc' | 'transfer' | 'delegate' | 'resolve' | 'return' | 'overdue' | 'signer';

/** What the caller must do after it has written the new state (never performed by the interpreter). */
export type Effect =
  | { type: 'task.created'; task: TaskState }
  | { type: 'task.updated'; task: TaskState }
  | { type: 'task.closed'; taskId: string; elementId: string; reason: TaskCloseReason }
  | { type: 'timer.scheduled'; timerId: string; elementId: string; dueAt: string }
  | { type: 'timer.cancelled'; timerId: string }
  | {
      type: 'job.enqueued';
      jobKey: string;
      handler: string;
      elementId: string;
      attempt: number;
      runAt: string;
      /** The variables the handler sees (case data, then engine variables). */
      input: Record<string, unknown>;
    }
  | { type: 'job.cancelled'; jobKey: string }
  | { type: 'incident.raised'; incident: Incident }
  | { type: 'incident.resolved'; incidentId: string }
  | { type: 'notice'; kind: NoticeKind; to: string[]; taskId: string; elementId: string; by: string | null }
  | { type: 'case.ended'; status: CaseStatus; reason: string | null };

export interface StepResult {
  state: InstanceState;
  effects: Effect[];
  /** History entries this operation appended (also in `state.history`): the audit trail of the transition. */
  entries: HistoryEntry[];
  /** Set when nothing happened (e.g. a job completed twice): the reason code, and `state` is the input. */
  noop:
    | null
    | 'TIMER_NOT_PENDING'
    | 'TIMER_NOT_DUE'
    | 'JOB_NOT_PENDING'
    | 'MESSAGE_NOT_AWAITED'
    | 'CASE_NOT_ACTIVE'
    | 'ALREADY_ASSIGNED';
}

export interface TaskInput {
  action: ApprovalAction;
  /** The task's own form data, stored under the element id. */
  data?: Record<string, unknown>;
  /** Changes to case fields (top-level names); each must be in the task's `editable` list. */
  changes?: Record<string, unknown>;
  comment?: string | null;
  /** transfer / delegate / addSigner: the user; cc: one or more users. */
  to?: string | string[];
  /** return: `previous` (default), `applicant`, or the element id of an earlier user task. */
  target?: string;
  /** addSigner: before (the signer acts first) or after (the signer must also approve). */
  position?: 'before' | 'after';
}

const DEFAULT_MAX_STEPS = 10_000;

function err(code: Parameters<typeof newError>[0], params: Record<string, unknown>, path = ''): MinflowError {
  return newError(code, params, path);
}
function newError(
  code:
    | 'MINFLOW_ERR_RUNTIME_CASE_NOT_ACTIVE'
    | 'MINFLOW_ERR_RUNTIME_TASK_NOT_OPEN'
    | 'MINFLOW_ERR_RUNTIME_TASK_SUSPENDED'
    | 'MINFLOW_ERR_RUNTIME_TASK_ALREADY_CLAIMED'
    | 'MINFLOW_ERR_RUNTIME_NOT_ASSIGNEE'
    | 'MINFLOW_ERR_RUNTIME_NOT_CANDIDATE'
    | 'MINFLOW_ERR_RUNTIME_ACTION_NOT_ALLOWED'
    | 'MINFLOW_ERR_RUNTIME_ACTION_INPUT_INVALID'
    | 'MINFLOW_ERR_RUNTIME_REASON_REQUIRED'
    | 'MINFLOW_ERR_RUNTIME_FIELD_NOT_EDITABLE'
    | 'MINFLOW_ERR_RUNTIME_RETURN_TARGET_INVALID'
    | 'MINFLOW_ERR_RUNTIME_WITHDRAW_NOT_ALLOWED'
    | 'MINFLOW_ERR_RUNTIME_INCIDENT_NOT_FOUND'
    | 'MINFLOW_ERR_RUNTIME_STATE_INVALID',
  params: Record<string, unknown>,
  path: string,
): MinflowError {
  const message = Object.entries(params)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(', ');
  return new MinflowError(code, { params, details: path ? [{ path, message }] : [] });
}

/** Internal: an incident raised while executing; caught by the step loop. */
class StepIncident extends Error {
  constructor(
    readonly kind: Incident['kind'],
    message: string,
  ) {
    super(message);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * One operation's execution: clones the state, applies the operation, runs every token it set
 * in motion to its next wait state, and collects effects and history entries.
 */
export class Run {
  readonly s: InstanceState;
  readonly effects: Effect[] = [];
  readonly entries: HistoryEntry[] = [];
  readonly now: Date;
  readonly nowIso: string;
  private readonly agenda: Array<{ tokenId: string; phase: 'enter' | 'leave' }> = [];
  private steps = 0;
  private readonly models = new Map<string, ProcessModel>();
  private readonly calendar: WorkingCalendar;
  private readonly prefix: string;

  constructor(
    state: InstanceState,
    readonly ctx: RuntimeContext,
  ) {
    this.s = structuredClone(state);
    this.now = ctx.clock.now();
    this.nowIso = this.now.toISOString();
    this.calendar = ctx.calendar ?? chinaCalendar;
    this.prefix = ctx.idPrefix ?? '';
  }

  result(): StepResult {
    return { state: this.s, effects: this.effects, entries: this.entries, noop: null };
  }

  // ---------------------------------------------------------------- lookups and bookkeeping

  nextId(kind: string): string {
    this.s.seq += 1;
    return `${this.prefix}${kind}${this.s.seq}`;
  }

  log(entry: Omit<HistoryEntry, 'seq' | 'at'>): HistoryEntry {
    this.s.seq += 1;
    const full = { seq: this.s.seq, at: this.nowIso } as HistoryEntry;
    for (const [k, v] of Object.entries(entry))
      if (v !== undefined) (full as unknown as Record<string, unknown>)[k] = v;
    this.s.history.push(full);
    this.entries.push(full);
    return full;
  }

  token(id: string): Token | undefined {
    return this.s.tokens.find((t) => t.id === id);
  }

  scope(id: string): Scope | undefined {
    return this.s.scopes.find((sc) => sc.id === id);
  }

  /** The model whose nodes the tokens of a scope walk: the root model, or a call activity's child model. */
  modelFor(scopeId: string): ProcessModel {
    const cached = this.models.get(scopeId);
    if (cached) return cached;
    let sc = this.scope(scopeId);
    while (sc && sc.kind !== 'call' && sc.parent) sc = this.scope(sc.parent);
    let model: ProcessModel;
    if (sc?.kind !== 'call') model = this.ctx.model;
    else {
      const ref = sc.model!;
      const m = this.ctx.resolveModel?.(ref.processId, ref.version);
      if (!m) {
        throw err('MINFLOW_ERR_RUNTIME_STATE_INVALID', {
          reason: `called model ${ref.processId}@${ref.version} not resolvable`,
        });
      }
      model = m;
    }
    this.models.set(scopeId, model);
    return model;
  }

  node(token: Token): NodeModel {
    const n = this.modelFor(token.scope).nodes[token.node];
    if (!n) throw err('MINFLOW_ERR_RUNTIME_STATE_INVALID', { reason: `unknown node ${token.node}` });
    return n;
  }

  /** The scope holding a token's variables: the nearest call scope, or null for the case itself. */
  varScope(scopeId: string): Scope | null {
    let sc = this.scope(scopeId);
    while (sc && sc.kind !== 'call') sc = sc.parent ? this.scope(sc.parent) : undefined;
    return sc ?? null;
  }

  variablesOf(scopeId: string): Record<string, unknown> {
    const vs = this.varScope(scopeId);
    return vs ? vs.variables! : this.s.variables;
  }

  setVariable(scopeId: string, name: string, value: unknown): void {
    this.variablesOf(scopeId)[name] = value;
  }

  /** What FEEL sees at a token: case data and variables (or a call's own variables), multi-instance counters, the loop element. */
  feelContext(scopeId: string, token?: Token): Record<string, unknown> {
    const vs = this.varScope(scopeId);
    const ctx: Record<string, unknown> = vs ? { ...vs.variables } : { ...this.s.data, ...this.s.variables };
    let sc = this.scope(scopeId);
    while (sc && sc.kind !== 'call') {
      if (sc.kind === 'multiInstance' && sc.mi) {
        const { nrOfInstances, nrOfActiveInstances, nrOfCompletedInstances, nrOfApproved, nrOfRejected } = sc.mi;
        Object.assign(ctx, { nrOfInstances, nrOfActiveInstances, nrOfCompletedInstances, nrOfApproved, nrOfRejected });
      }
      sc = sc.parent ? this.scope(sc.parent) : undefined;
    }
    if (token?.loop) {
      const mi = this.modelFor(token.scope).nodes[token.node]?.multiInstance;
      ctx['loopCounter'] = token.loop.index + 1;
      if (mi?.elementVariable) ctx[mi.elementVariable] = token.loop.item;
    }
    // FEEL's today()/now() read the injected clock (Beijing calendar day), not the machine's time.
    ctx['today'] = this.feelToday;
    ctx['now'] = this.feelNow;
    return ctx;
  }

  private get feelToday(): FeelFunction {
    const day = new Date(this.ctx.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    return new FeelFunction(() => feelDate(day), []);
  }

  private get feelNow(): FeelFunction {
    const at = this.ctx.clock.now().toISOString();
    return new FeelFunction(() => feelDateTime(at), []);
  }

  newToken(node: string, scope: string, via: string | null = null): Token {
    const t: Token = { id: this.nextId('tok'), node, scope, state: 'waiting', via };
    this.s.tokens.push(t);
    return t;
  }

  removeToken(token: Token): void {
    this.s.tokens = this.s.tokens.filter((t) => t.id !== token.id);
  }

  // ---------------------------------------------------------------- the step loop

  schedule(token: Token, phase: 'enter' | 'leave' = 'enter'): void {
    this.agenda.push({ tokenId: token.id, phase });
  }

  /** Runs every scheduled token to its next wait state. */
  drain(): void {
    const max = this.ctx.maxSteps ?? DEFAULT_MAX_STEPS;
    for (;;) {
      while (this.agenda.length) {
        const item = this.agenda.shift()!;
        const token = this.token(item.tokenId);
        if (!token || this.s.status !== 'active') continue;
        this.steps += 1;
        if (this.steps > max) {
          this.raiseIncident(
            token,
            'loop',
            `more than ${max} steps without reaching a wait state (a loop?)`,
            item.phase,
          );
          continue;
        }
        this.guard(token, item.phase, () => (item.phase === 'enter' ? this.enter(token) : this.leave(token)));
      }
      if (this.s.status !== 'active' || !this.activateInclusiveJoins()) break;
    }
  }

  /** Runs an element's behaviour; expression and model errors become incidents on the token. */
  guard(token: Token, phase: 'enter' | 'leave', fn: () => void): void {
    try {
      fn();
    } catch (e) {
      if (e instanceof FeelError) this.raiseIncident(token, 'expression', e.message, phase);
      else if (e instanceof StepIncident) this.raiseIncident(token, e.kind, e.message, phase);
      else throw e;
    }
  }

  raiseIncident(token: Token, kind: Incident['kind'], message: string, phase: 'enter' | 'leave'): void {
    const isScopeOwner = token.state === 'scope';
    if (!isScopeOwner) token.state = 'incident';
    const incident: Incident = {
      id: this.nextId('inc'),
      kind,
      elementId: token.node,
      tokenId: token.id,
      jobKey: null,
      message,
      createdAt: this.nowIso,
      phase,
    };
    this.s.incidents.push(incident);
    this.effects.push({ type: 'incident.raised', incident });
    this.log({ type: 'incident.raised', elementId: token.node, tokenId: token.id, message });
  }

  enter(token: Token): void {
    const node = this.node(token);
    token.state = 'waiting';
    switch (node.type) {
      case 'startEvent':
      case 'intermediateThrowEvent':
      case 'boundaryEvent':
        this.leave(token);
        return;
      case 'endEvent':
        this.endEvent(token, node);
        return;
      case 'userTask':
        this.enterUserTask(token, node);
        return;
      case 'serviceTask':
        this.enterServiceTask(token, node);
        return;
      case 'scriptTask': {
        const value = evalFeel(node.script!.expression, this.feelContext(token.scope, token));
        this.setVariable(token.scope, node.script!.resultVariable ?? node.id, value);
        this.leave(token);
        return;
      }
      case 'exclusiveGateway':
        this.leave(token);
        return;
      case 'parallelGateway':
        this.enterParallelGateway(token, node);
        return;
      case 'inclusiveGateway':
        if (node.incoming.length > 1) {
          token.state = 'joining';
          return;
        }
        this.leave(token);
        return;
      case 'eventBasedGateway':
        for (const flowId of node.outgoing) {
          const target = this.modelFor(token.scope).nodes[this.modelFor(token.scope).flows[flowId]!.target]!;
          if (target.timer) this.createTimer('gateway', target, token);
          else if (target.message) this.subscribe('gateway', target, token);
        }
        return;
      case 'intermediateCatchEvent':
        if (node.timer) this.createTimer('catch', node, token);
        else this.subscribe('catch', node, token);
        return;
      case 'subProcess': {
        const sc = this.openScope(token, 'subProcess');
        this.arm(token, node);
        this.schedule(this.newToken(node.startNode!, sc.id));
        return;
      }
      case 'callActivity':
        this.enterCallActivity(token, node);
        return;
    }
  }

  /** Takes the outgoing flows (BPMN token semantics: gateways choose, activities split). */
  leave(token: Token): void {
    const node = this.node(token);
    const model = this.modelFor(token.scope);
    const out = node.outgoing;
    let taken: string[];
    if (out.length === 0) {
      this.removeToken(token);
      this.checkScopeEnd(token.scope);
      return;
    }
    if (node.type === 'exclusiveGateway') {
      const ctx = this.feelContext(token.scope, token);
      const hit =
        out.length === 1 && !model.flows[out[0]!]!.condition
          ? out[0]
          : out.find(
              (f) =>
                f !== node.defaultFlow && model.flows[f]!.condition && evalCondition(model.flows[f]!.condition!, ctx),
            );
      const chosen = hit ?? node.defaultFlow;
      if (!chosen)
        throw new StepIncident('no-flow', `no outgoing flow of ${node.id} matched and there is no default flow`);
      taken = [chosen];
    } else if (node.type === 'parallelGateway') {
      taken = out;
    } else {
      const conditional = out.some((f) => model.flows[f]!.condition);
      if (!conditional) taken = out.filter((f) => f !== node.defaultFlow || out.length === 1);
      else {
        const ctx = this.feelContext(token.scope, token);
        taken = out.filter((f) => {
          if (f === node.defaultFlow) return false;
          const cond = model.flows[f]!.condition;
          return cond ? evalCondition(cond, ctx) : true;
        });
        if (!taken.length && node.defaultFlow) taken = [node.defaultFlow];
        if (!taken.length)
          throw new StepIncident('no-flow', `no outgoing flow of ${node.id} matched and there is no default flow`);
      }
    }
    if (taken.length === 1) {
      this.move(token, taken[0]!);
      return;
    }
    // Fork: each branch gets a token of its own (a return within a branch moves only that branch).
    this.removeToken(token);
    for (const f of taken) {
      const t = this.newToken(token.node, token.scope);
      this.move(t, f);
    }
  }

  move(token: Token, flowId: string): void {
    const flow = this.modelFor(token.scope).flows[flowId]!;
    token.node = flow.target;
    token.via = flowId;
    token.state = 'waiting';
    this.schedule(token);
  }

  // ---------------------------------------------------------------- elements

  endEvent(token: Token, node: NodeModel): void {
    this.log({ type: 'element.ended', elementId: node.id, tokenId: token.id, scopeId: token.scope });
    if (node.terminate) {
      for (const t of this.s.tokens.filter((x) => x.scope === token.scope && x.id !== token.id)) {
        this.cancelToken(t, 'cancelled');
      }
    }
    this.removeToken(token);
    this.checkScopeEnd(token.scope);
  }

  enterParallelGateway(token: Token, node: NodeModel): void {
    if (node.incoming.length <= 1) {
      this.leave(token);
      return;
    }
    token.state = 'joining';
    const arrivals = this.s.tokens.filter(
      (t) => t.scope === token.scope && t.node === node.id && t.state === 'joining',
    );
    const chosen: Token[] = [];
    for (const flow of node.incoming) {
      const t = arrivals.find((a) => a.via === flow);
      if (!t) return; // still waiting for a branch
      chosen.push(t);
    }
    const ids = new Set(chosen.map((t) => t.id));
    this.s.tokens = this.s.tokens.filter((t) => !ids.has(t.id));
    const merged = this.newToken(node.id, token.scope, null);
    this.log({ type: 'gateway.joined', elementId: node.id, tokenId: merged.id, scopeId: token.scope });
    this.leave(merged);
  }

  /** Inclusive joins fire when no token that could still reach them is left in their scope (as Camunda 7 does). */
  activateInclusiveJoins(): boolean {
    let fired = false;
    const seen = new Set<string>();
    for (const t of [...this.s.tokens]) {
      if (t.state !== 'joining') continue;
      const key = `${t.scope}\u0000${t.node}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const model = this.modelFor(t.scope);
      const node = model.nodes[t.node]!;
      if (node.type !== 'inclusiveGateway') continue;
      const upstream = new Set(node.upstream ?? []);
      const blocked = this.s.tokens.some(
        (o) => o.scope === t.scope && !(o.node === node.id && o.state === 'joining') && upstream.has(o.node),
      );
      if (blocked) continue;
      const arrivals = new Set(
        this.s.tokens
          .filter((o) => o.scope === t.scope && o.node === node.id && o.state === 'joining')
          .map((o) => o.id),
      );
      this.s.tokens = this.s.tokens.filter((o) => !arrivals.has(o.id));
      const merged = this.newToken(node.id, t.scope, null);
      this.log({ type: 'gateway.joined', elementId: node.id, tokenId: merged.id, scopeId: t.scope });
      this.schedule(merged, 'leave');
      fired = true;
    }
    return fired;
  }

  openScope(token: Token, kind: Scope['kind'], extra: Partial<Scope> = {}): Scope {
    const sc: Scope = {
      id: this.nextId('scope'),
      kind,
      node: token.node,
      parent: token.scope,
      owner: token.id,
      ...extra,
    };
    this.s.scopes.push(sc);
    token.state = 'scope';
    return sc;
  }

  enterCallActivity(token: Token, node: NodeModel): void {
    const call = node.call!;
    const child = this.ctx.resolveModel?.(call.calledElement, null);
    if (!child) throw new StepIncident('model', `the called process "${call.calledElement}" was not found`);
    const parentCtx = this.feelContext(token.scope, token);
    let variables: Record<string, unknown>;
    if (call.inputs) {
      const v = evalFeel(call.inputs, parentCtx);
      if (!isPlainObject(v)) throw new FeelError(call.inputs, 'inputs must give a context ({ name: value })');
      variables = v;
    } else variables = structuredClone(parentCtx);
    const sc = this.openScope(token, 'call', {
      // The reference it was resolved by (an item key in Minflow), not the child's BPMN process id:
      // a later request resolves the scope's model again through the same resolver.
      model: { processId: call.calledElement, version: child.version ?? null },
      variables,
    });
    this.models.set(sc.id, child);
    this.arm(token, node);
    this.log({ type: 'call.started', elementId: node.id, tokenId: token.id, scopeId: sc.id, message: child.id });
    this.schedule(this.newToken(child.startNode, sc.id));
  }

  /** A scope with no tokens left is complete: the case, a sub-process or a call activity. */
  checkScopeEnd(scopeId: string): void {
    if (this.s.tokens.some((t) => t.scope === scopeId)) return;
    if (scopeId === ROOT_SCOPE) {
      if (this.s.status === 'active') this.finishCase('completed', null);
      return;
    }
    const sc = this.scope(scopeId);
    if (!sc || sc.kind === 'multiInstance') return;
    const owner = this.token(sc.owner!)!;
    if (sc.kind === 'call') {
      const node = this.node(owner);
      const childVars = sc.variables ?? {};
      try {
        if (node.call!.outputs) {
          const v = evalFeel(node.call!.outputs, { ...childVars });
          if (!isPlainObject(v))
            throw new FeelError(node.call!.outputs, 'outputs must give a context ({ name: value })');
          Object.assign(this.variablesOf(owner.scope), v);
        } else this.setVariable(owner.scope, node.id, childVars);
        if (childVars['action'] !== undefined) this.setVariable(owner.scope, 'action', childVars['action']);
      } catch (e) {
        if (!(e instanceof FeelError)) throw e;
        // Keep the child scope so the mapping can be retried when the incident is resolved.
        this.raiseIncident(owner, 'expression', e.message, 'leave');
        return;
      }
      this.log({ type: 'call.completed', elementId: node.id, tokenId: owner.id, scopeId: sc.id });
    }
    this.s.scopes = this.s.scopes.filter((x) => x.id !== sc.id);
    this.models.delete(sc.id);
    owner.state = 'waiting';
    this.disarm(owner);
    this.schedule(owner, 'leave');
  }

  // ---------------------------------------------------------------- user tasks

  enterUserTask(token: Token, node: NodeModel): void {
    if (node.multiInstance && !token.loop) {
      this.enterMultiInstance(token, node);
      return;
    }
    this.createTask(token, node, 'task');
    if (!token.loop) this.arm(token, node);
  }

  createTask(token: Token, node: NodeModel, kind: TaskKind, extra: Partial<TaskState> = {}): TaskState {
    const def = node.userTask!;
    let dueAt: string | null = null;
    if (def.due && kind === 'task') {
      const due = isExpression(def.due) ? String(evalFeel(def.due, this.feelContext(token.scope, token))) : def.due;
      const d = parseDuration(due);
      if (!d) throw new StepIncident('expression', `minflow:due of ${node.id} gave "${due}", not an ISO 8601 duration`);
      dueAt = this.calendar.dueAt(this.now, d, def.calendar as CalendarKind).toISOString();
    }
    let assignee: string | null = null;
    if (token.loop) {
      const item = token.loop.item;
      if (typeof item === 'string') assignee = item;
      else if (isPlainObject(item)) {
        const u = item['userId'] ?? item['assignee'];
        if (typeof u === 'string') assignee = u;
      }
    }
    const task: TaskState = {
      id: this.nextId('task'),
      kind,
      elementId: node.id,
      name: node.name,
      tokenId: token.id,
      scopeId: token.scope,
      roles: def.roles,
      level: def.level,
      form: def.form,
      editable: def.editable,
      actions: def.actions,
      assignee,
      owner: null,
      delegation: null,
      draft: null,
      dueAt,
      createdAt: this.nowIso,
      claimedAt: null,
      suspendedBy: null,
      parentTaskId: null,
      pending: null,
      miIndex: token.loop ? token.loop.index : null,
      loopItem: token.loop ? token.loop.item : null,
      ...extra,
    };
    this.s.tasks.push(task);
    this.effects.push({ type: 'task.created', task: structuredClone(task) });
    this.log({
      type: 'task.created',
      elementId: node.id,
      taskId: task.id,
      tokenId: token.id,
      scopeId: token.scope,
      to: task.assignee ?? undefined,
    });
    if (dueAt) {
      const timer: TimerState = {
        id: this.nextId('timer'),
        kind: 'due',
        node: node.id,
        tokenId: token.id,
        dueAt,
        cycle: null,
        taskId: task.id,
      };
      this.s.timers.push(timer);
      this.effects.push({ type: 'timer.scheduled', timerId: timer.id, elementId: node.id, dueAt });
    }
    return task;
  }

  closeTask(task: TaskState, reason: TaskCloseReason): void {
    this.s.tasks = this.s.tasks.filter((t) => t.id !== task.id);
    for (const timer of this.s.timers.filter((t) => t.taskId === task.id)) this.removeTimer(timer);
    this.effects.push({ type: 'task.closed', taskId: task.id, elementId: task.elementId, reason });
  }

  enterMultiInstance(token: Token, node: NodeModel): void {
    const mi = node.multiInstance!;
    const ctx = this.feelContext(token.scope, token);
    let items: unknown[];
    if (mi.collection) {
      const v = evalFeel(mi.collection, ctx);
      if (!Array.isArray(v))
        throw new FeelError(mi.collection, `the collection must be a list, got ${JSON.stringify(v)}`);
      items = v;
    } else {
      const raw = mi.cardinality!;
      const n = /^\s*\d+\s*$/.test(raw) ? Number(raw) : evalFeel(raw, ctx);
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
        throw new FeelError(raw, 'loopCardinality must give a whole number');
      items = Array.from({ length: n }, (_, i) => i);
    }
    if (items.length === 0) {
      this.setVariable(token.scope, node.id, {
        nrOfInstances: 0,
        nrOfCompletedInstances: 0,
        nrOfApproved: 0,
        nrOfRejected: 0,
        outcome: 'approve',
        results: [],
      });
      this.log({ type: 'multiInstance.skipped', elementId: node.id, tokenId: token.id, message: 'empty collection' });
      this.leave(token);
      return;
    }
    const sc = this.openScope(token, 'multiInstance', {
      mi: {
        items,
        sequential: mi.sequential,
        next: 0,
        nrOfInstances: items.length,
        nrOfActiveInstances: 0,
        nrOfCompletedInstances: 0,
        nrOfApproved: 0,
        nrOfRejected: 0,
        results: [],
      },
    });
    this.arm(token, node);
    const count = mi.sequential ? 1 : items.length;
    for (let i = 0; i < count; i++) this.startInstance(sc, node);
  }

  startInstance(sc: Scope, node: NodeModel): void {
    const mi = sc.mi!;
    const index = mi.next;
    mi.next += 1;
    mi.nrOfActiveInstances += 1;
    const inner = this.newToken(node.id, sc.id);
    inner.loop = { index, item: mi.items[index] };
    try {
      this.createTask(inner, node, 'task');
    } catch (e) {
      // Undo so the body stays consistent; resolving the incident starts the instance again.
      this.removeToken(inner);
      mi.next -= 1;
      mi.nrOfActiveInstances -= 1;
      throw e;
    }
  }

  /** Counts one instance's vote and decides the multi-instance activity when the outcome is known. */
  completeInstance(
    inner: Token,
    vote: { userId: string; action: string; data: Record<string, unknown>; comment: string | null },
  ): void {
    const sc = this.scope(inner.scope)!;
    const mi = sc.mi!;
    mi.nrOfActiveInstances -= 1;
    mi.nrOfCompletedInstances += 1;
    if (vote.action === 'approve') mi.nrOfApproved += 1;
    if (vote.action === 'reject') mi.nrOfRejected += 1;
    mi.results.push({ index: inner.loop!.index, ...vote });
    this.removeToken(inner);
    const owner = this.token(sc.owner!)!;
    this.guard(owner, 'enter', () => this.decideMultiInstance(owner, sc));
  }

  /**
   * The completion condition says when the vote passes (absent: everyone approves, 会签). The
   * activity ends as approved as soon as it holds, and as rejected as soon as it can no longer
   * hold even if every remaining member approves (so 会签 ends at the first rejection and 或签
   * `nrOfApproved >= 1` at the first approval).
   */
  decideMultiInstance(owner: Token, sc: Scope): void {
    const node = this.node(owner);
    const mi = sc.mi!;
    const cond = node.multiInstance!.completionCondition;
    const base = this.feelContext(owner.scope, owner);
    const holds = (counts: { nrOfApproved: number; nrOfRejected: number; nrOfCompletedInstances: number }) =>
      cond
        ? evalCondition(cond, {
            ...base,
            nrOfInstances: mi.nrOfInstances,
            nrOfActiveInstances: mi.nrOfActiveInstances,
            ...counts,
          })
        : counts.nrOfApproved === mi.nrOfInstances;
    const remaining = mi.nrOfInstances - mi.nrOfCompletedInstances;
    let outcome: 'approve' | 'reject' | null = null;
    if (holds(mi)) outcome = 'approve';
    else if (remaining === 0) outcome = 'reject';
    else if (
      !holds({
        nrOfApproved: mi.nrOfApproved + remaining,
        nrOfRejected: mi.nrOfRejected,
        nrOfCompletedInstances: mi.nrOfInstances,
      })
    ) {
      outcome = 'reject';
    }
    if (!outcome) {
      // Start what is due: the next member (sequential) or any instance not yet started (after an incident).
      if (mi.sequential) {
        if (mi.nrOfActiveInstances === 0) this.startInstance(sc, node);
      } else {
        while (mi.next < mi.items.length) this.startInstance(sc, node);
      }
      return;
    }
    for (const t of this.s.tokens.filter((x) => x.scope === sc.id)) this.cancelToken(t, 'vote-decided');
    const summary = {
      nrOfInstances: mi.nrOfInstances,
      nrOfCompletedInstances: mi.nrOfCompletedInstances,
      nrOfApproved: mi.nrOfApproved,
      nrOfRejected: mi.nrOfRejected,
      outcome,
      results: mi.results,
    };
    this.s.scopes = this.s.scopes.filter((x) => x.id !== sc.id);
    this.setVariable(owner.scope, node.id, summary);
    this.setVariable(owner.scope, 'action', outcome);
    owner.state = 'waiting';
    this.log({
      type: 'multiInstance.decided',
      elementId: node.id,
      tokenId: owner.id,
      action: outcome,
      message: `${mi.nrOfApproved}/${mi.nrOfInstances} approved, ${mi.nrOfRejected} rejected`,
    });
    if (outcome === 'reject') {
      const reasons = mi.results.filter((r) => r.action === 'reject' && r.comment).map((r) => r.comment);
      this.finishCase('rejected', { reason: reasons.join('；') || null, userId: null, elementId: node.id });
      return;
    }
    this.disarm(owner);
    this.leave(owner);
  }

  // ---------------------------------------------------------------- service tasks

  enterServiceTask(token: Token, node: NodeModel): void {
    const def = node.job!;
    const key = `${this.prefix}job:${node.id}:${this.s.seq + 1}`;
    this.s.seq += 1;
    this.s.jobs.push({
      key,
      node: node.id,
      tokenId: token.id,
      handler: def.handler,
      attempt: 1,
      retries: def.retries,
      backoff: def.backoff,
      state: 'pending',
      runAt: this.nowIso,
      lastError: null,
    });
    this.effects.push({
      type: 'job.enqueued',
      jobKey: key,
      handler: def.handler,
      elementId: node.id,
      attempt: 1,
      runAt: this.nowIso,
      input: this.feelContext(token.scope, token),
    });
    this.arm(token, node);
  }

  // ---------------------------------------------------------------- timers and messages

  timerDueAt(def: TimerDef, scopeId: string, token: Token): { dueAt: Date; cycle: TimerState['cycle'] } {
    const text = isExpression(def.value) ? String(evalFeel(def.value, this.feelContext(scopeId, token))) : def.value;
    if (def.kind === 'duration') {
      const d = parseDuration(text);
      if (!d) throw new StepIncident('expression', `"${text}" is not an ISO 8601 duration`);
      return { dueAt: addDuration(this.now, d), cycle: null };
    }
    if (def.kind === 'date') {
      const d = parseDateTime(text);
      if (!d) throw new StepIncident('expression', `"${text}" is not an ISO 8601 date-time`);
      return { dueAt: d, cycle: null };
    }
    const c = parseCycle(text);
    if (!c) throw new StepIncident('expression', `"${text}" is not an ISO 8601 repeating interval`);
    let first = c.start ?? addDuration(this.now, c.duration);
    while (first < this.now && c.start) first = addDuration(first, c.duration);
    return {
      dueAt: first,
      cycle: { remaining: c.repetitions === null ? null : c.repetitions - 1, every: c.durationText },
    };
  }

  createTimer(kind: TimerKind, eventNode: NodeModel, token: Token): void {
    const { dueAt, cycle } = this.timerDueAt(eventNode.timer!, token.scope, token);
    const timer: TimerState = {
      id: this.nextId('timer'),
      kind,
      node: eventNode.id,
      tokenId: token.id,
      dueAt: dueAt.toISOString(),
      cycle: kind === 'boundary' && eventNode.cancelActivity === false ? cycle : null,
      taskId: null,
    };
    this.s.timers.push(timer);
    this.effects.push({ type: 'timer.scheduled', timerId: timer.id, elementId: eventNode.id, dueAt: timer.dueAt });
  }

  removeTimer(timer: TimerState): void {
    this.s.timers = this.s.timers.filter((t) => t.id !== timer.id);
    this.effects.push({ type: 'timer.cancelled', timerId: timer.id });
  }

  subscribe(kind: 'catch' | 'gateway' | 'boundary', eventNode: NodeModel, token: Token): void {
    this.s.messages.push({
      id: this.nextId('msg'),
      name: eventNode.message!.name,
      kind,
      node: eventNode.id,
      tokenId: token.id,
      createdAt: this.nowIso,
    });
  }

  /** Arms an activity's boundary events for the token that entered it. */
  arm(token: Token, node: NodeModel): void {
    // A script task never waits, so its boundary events can never fire: nothing to arm.
    if (node.type === 'scriptTask') return;
    for (const id of node.boundaries ?? []) {
      const b = this.modelFor(token.scope).nodes[id]!;
      if (b.timer) this.createTimer('boundary', b, token);
      else if (b.message) this.subscribe('boundary', b, token);
    }
  }

  disarm(token: Token): void {
    for (const t of this.s.timers.filter((x) => x.tokenId === token.id && x.kind === 'boundary')) this.removeTimer(t);
    this.s.messages = this.s.messages.filter((m) => !(m.tokenId === token.id && m.kind === 'boundary'));
  }

  /** A boundary event fired on the activity held by `activity`. */
  triggerBoundary(activity: Token, boundary: NodeModel): Token {
    const scopeId = activity.scope;
    if (boundary.cancelActivity !== false) {
      this.log({ type: 'boundary.interrupted', elementId: boundary.id, tokenId: activity.id, scopeId });
      this.cancelToken(activity, 'interrupted');
    } else {
      this.log({ type: 'boundary.triggered', elementId: boundary.id, tokenId: activity.id, scopeId });
    }
    const t = this.newToken(boundary.id, scopeId);
    this.schedule(t, 'leave');
    return t;
  }

  /** The event-based gateway's race is won by `eventNode`: the other subscriptions are cancelled. */
  resolveEventGateway(token: Token, eventNode: NodeModel): void {
    for (const t of this.s.timers.filter((x) => x.tokenId === token.id && x.kind === 'gateway')) this.removeTimer(t);
    this.s.messages = this.s.messages.filter((m) => !(m.tokenId === token.id && m.kind === 'gateway'));
    const model = this.modelFor(token.scope);
    const via = eventNode.incoming[0] ?? null;
    this.log({
      type: 'gateway.eventWon',
      elementId: eventNode.id,
      tokenId: token.id,
      message: model.nodes[token.node]?.id,
    });
    token.node = eventNode.id;
    token.via = via;
    token.state = 'waiting';
    this.schedule(token, 'leave');
  }

  // ---------------------------------------------------------------- cancellation and the end

  /** Removes a token and everything that waits with it (child scopes, tasks, timers, jobs, subscriptions, incidents). */
  cancelToken(token: Token, reason: TaskCloseReason): void {
    for (const sc of this.s.scopes.filter((x) => x.owner === token.id)) {
      for (const t of this.s.tokens.filter((x) => x.scope === sc.id)) this.cancelToken(t, reason);
      this.s.scopes = this.s.scopes.filter((x) => x.id !== sc.id);
      this.models.delete(sc.id);
    }
    for (const task of this.s.tasks.filter((t) => t.tokenId === token.id)) this.closeTask(task, reason);
    for (const timer of this.s.timers.filter((t) => t.tokenId === token.id)) this.removeTimer(timer);
    for (const job of this.s.jobs.filter((j) => j.tokenId === token.id)) {
      this.effects.push({ type: 'job.cancelled', jobKey: job.key });
    }
    this.s.jobs = this.s.jobs.filter((j) => j.tokenId !== token.id);
    this.s.messages = this.s.messages.filter((m) => m.tokenId !== token.id);
    this.s.incidents = this.s.incidents.filter((i) => i.tokenId !== token.id);
    this.removeToken(token);
  }

  finishCase(status: CaseStatus, outcome: InstanceState['outcome']): void {
    for (const t of this.s.tokens.filter((x) => x.scope === ROOT_SCOPE)) {
      this.cancelToken(t, status === 'completed' ? 'cancelled' : 'case-ended');
    }
    // Anything left is unreachable; make the end state clean.
    for (const t of [...this.s.tokens]) this.cancelToken(t, 'case-ended');
    this.s.scopes = this.s.scopes.filter((x) => x.id === ROOT_SCOPE);
    this.s.status = status;
    this.s.endedAt = this.nowIso;
    this.s.outcome = outcome;
    this.agenda.length = 0;
    this.log({
      type: 'case.ended',
      status,
      comment: outcome?.reason ?? null,
      userId: outcome?.userId ?? undefined,
      elementId: outcome?.elementId ?? undefined,
    });
    this.effects.push({ type: 'case.ended', status, reason: outcome?.reason ?? null });
  }
}

export { err as runtimeError, isPlainObject, StepIncident };
