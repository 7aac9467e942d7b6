import type {
  SimulateDecision,
  SimulatedStep,
  SimulateMessageOffer,
  SimulateRequest,
  SimulateResult,
  SimulateStopReason,
} from '@minflow/sdk/simulate';
import type { ParsedBpmn } from '../../bpmn/parse.js';
import type { ErrorDetail } from '../../errors/types.js';
import { ManualClock } from '../../infra/clock.js';
import {
  type ApprovalAction,
  compileBpmn,
  completeJob,
  completeTask,
  correlateMessage,
  fireTimer,
  type InstanceState,
  type ProcessModel,
  type RuntimeContext,
  type StepResult,
  start,
} from '../../runtime/index.js';

/**
 * A dry run of a flow through the real interpreter, in memory: no case is stored, no job is
 * queued, no notice sent. The designer uses it to check a flow with sample data before publishing.
 * The request and result types are shared with the designer: `@minflow/sdk/simulate`.
 *
 * Whenever the flow can move, in this order:
 * - service tasks: answered at once with `jobResults[<elementId>]` (default `{}`).
 * - messages: each entry of `messages` is sent once, as soon as the flow waits for it and at least
 *   `afterDecisions` decisions were taken, as `POST /api/cases/:id/messages/:name` would: the payload
 *   (plus `comment`, plus `receivedFrom`) becomes the variable named after the catching event.
 * - user tasks: the decision given for the element in `decisions` (a single one is used every time
 *   the step opens; an array is used in order, one per visit): an action, or `{ action, target,
 *   comment }` as the real task route takes them (a return goes to `target`: previous, applicant or
 *   an earlier user task). A step without a decision stops the run.
 * - timers: fired at once (the clock jumps to the timer), when nothing else can move; SLA
 *   reminders (`due`) are not fired.
 */
export type SimulateInput = SimulateRequest;
export type StopReason = SimulateStopReason;
export type { SimulatedStep, SimulateResult };

const DEFAULT_MAX_STEPS = 200;

/** Compiles the parsed BPMN and wraps its flows so every flow the interpreter follows is recorded. */
function tracedModel(
  bpmn: ParsedBpmn,
  onFollow: (flowId: string) => void,
): { traced: ProcessModel; model: ProcessModel } {
  const model = compileBpmn(bpmn);
  const flows = new Proxy(model.flows, {
    get(target, prop, receiver) {
      const flow = Reflect.get(target, prop, receiver);
      if (typeof prop !== 'string' || !flow || typeof flow !== 'object') return flow;
      return new Proxy(flow, {
        get(f, p, r) {
          // The interpreter reads `target` when it moves a token along the flow.
          if (p === 'target') onFollow(prop);
          return Reflect.get(f, p, r);
        },
      });
    },
  });
  return { traced: { ...model, flows }, model };
}

const SIM_USER = 'simulation';
const SIM_COMMENT = '模拟运行 / simulation';

function normalize(d: SimulateDecision): { action: ApprovalAction; target?: string; comment?: string } {
  return typeof d === 'string' ? { action: d as ApprovalAction } : { ...d, action: d.action as ApprovalAction };
}

export function simulateFlow(
  bpmn: ParsedBpmn,
  input: SimulateInput,
  options: { dataProblems?: ErrorDetail[]; resolveModel?: RuntimeContext['resolveModel'] } = {},
): SimulateResult {
  const steps: SimulatedStep[] = [];
  const followed: string[] = [];
  // The interpreter runs on the traced model; this function reads the plain one (not recorded).
  const { traced, model } = tracedModel(bpmn, (flowId) => followed.push(flowId));
  const clock = new ManualClock('2026-03-02T01:00:00.000Z');
  const ctx: RuntimeContext = { model: traced, clock, idPrefix: 'sim:', resolveModel: options.resolveModel };
  const node = (id: string) => model.nodes[id];
  const push = (step: Omit<SimulatedStep, 'seq' | 'name' | 'type'>) => {
    const n = node(step.elementId);
    steps.push({ seq: steps.length + 1, name: n?.name ?? null, type: n?.type ?? 'unknown', ...step });
  };
  // Only the interpreter's moves are recorded (it reads `target` nowhere else), except that an
  // event-based gateway reads the targets of all its exits when it arms them: such an exit counts
  // once its event happens (see `via`).
  const flush = () => {
    for (const flowId of followed.splice(0)) {
      const flow = model.flows[flowId];
      if (!flow || node(flow.source)?.type === 'eventBasedGateway') continue;
      push({ kind: 'enter', elementId: flow.target, flowId });
    }
  };

  push({ kind: 'enter', elementId: model.startNode });
  const used = new Map<string, number>();
  let decided = 0;
  const messages = [...(input.messages ?? [])];
  const maxSteps = input.maxSteps ?? DEFAULT_MAX_STEPS;
  // Every message subscription seen (by id): when it began (decisions taken) and whether it was answered.
  const subscriptions = new Map<string, { node: string; name: string; afterDecisions: number; answered: boolean }>();
  const watch = () => {
    for (const sub of state.messages) {
      if (!subscriptions.has(sub.id))
        subscriptions.set(sub.id, { node: sub.node, name: sub.name, afterDecisions: decided, answered: false });
    }
  };
  let state: InstanceState;
  let r: StepResult = start(ctx, { data: structuredClone(input.data), initiator: SIM_USER });
  state = r.state;
  flush();
  watch();

  const decisionFor = (elementId: string) => {
    const d = input.decisions?.[elementId];
    if (d === undefined) return null;
    if (!Array.isArray(d)) return normalize(d);
    const next = d[used.get(elementId) ?? 0];
    return next === undefined ? null : normalize(next);
  };
  const via = (elementId: string, kind: SimulatedStep['kind'], extra: Partial<SimulatedStep> = {}) => {
    const gatewayExit = Object.values(model.flows).find(
      (f) =>
        f.target === elementId &&
        node(f.source)?.type === 'eventBasedGateway' &&
        steps.some((st) => st.elementId === f.source),
    );
    if (gatewayExit) push({ kind: 'enter', elementId, flowId: gatewayExit.id });
    push({ kind, elementId, ...extra });
  };

  let stoppedBecause: StopReason = 'waiting';
  let moves = 0;
  for (;;) {
    if (state.status !== 'active') {
      stoppedBecause = state.status === 'completed' ? 'completed' : 'ended';
      break;
    }
    if (state.incidents.length) {
      stoppedBecause = 'incident';
      break;
    }
    if (moves >= maxSteps) {
      stoppedBecause = 'max-steps';
      break;
    }
    const job = state.jobs.find((j) => j.state === 'pending');
    const mi = messages.findIndex(
      (m) => (m.afterDecisions ?? 0) <= decided && state.messages.some((s) => s.name === m.name),
    );
    const task = state.tasks.find((t) => decisionFor(t.elementId) !== null && !t.suspendedBy);
    if (job) {
      via(job.node, 'job');
      r = completeJob(state, ctx, job.key, input.jobResults?.[job.node] ?? {});
    } else if (mi >= 0) {
      const [m] = messages.splice(mi, 1);
      const sub = state.messages.find((s) => s.name === m!.name)!;
      const seen = subscriptions.get(sub.id);
      if (seen) seen.answered = true;
      via(sub.node, 'message', { message: m!.name });
      // The payload exactly as the cases route and CaseService.correlate build it.
      const payload = {
        ...(m!.payload ?? {}),
        ...(m!.comment ? { comment: m!.comment } : {}),
      };
      r = correlateMessage(state, ctx, m!.name, { ...payload, receivedFrom: SIM_USER });
    } else if (task) {
      const decision = decisionFor(task.elementId)!;
      used.set(task.elementId, (used.get(task.elementId) ?? 0) + 1);
      decided++;
      via(task.elementId, 'decide', {
        action: decision.action,
        ...(decision.action === 'return' ? { target: decision.target ?? 'previous' } : {}),
      });
      r = completeTask(
        state,
        ctx,
        task.id,
        {
          action: decision.action,
          comment: decision.comment?.trim() ? decision.comment : SIM_COMMENT,
          ...(decision.target !== undefined ? { target: decision.target } : {}),
        },
        { userId: SIM_USER, roles: task.roles },
      );
      const returned = r.state.history.findLast((h) => h.type === 'task.returned' && h.taskId === task.id);
      if (returned && typeof returned.to === 'string') {
        steps[steps.length - 1]!.target = returned.to;
        // Back at an earlier step (no sequence flow is taken); a return to the applicant stays here.
        if (returned.to !== 'applicant') push({ kind: 'enter', elementId: returned.to });
      }
    } else if (state.tasks.length) {
      stoppedBecause = 'waiting-task';
      break;
    } else {
      const timer = [...state.timers].filter((t) => t.kind !== 'due').sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
      if (timer) {
        if (Date.parse(timer.dueAt) > clock.now().getTime()) clock.set(timer.dueAt);
        via(timer.node, 'timer');
        r = fireTimer(state, ctx, timer.id);
      } else {
        stoppedBecause = 'waiting';
        break;
      }
    }
    state = r.state;
    flush();
    watch();
    moves++;
  }

  const visited: string[] = [];
  for (const s of steps) if (!visited.includes(s.elementId)) visited.push(s.elementId);
  const flows = [...new Set(steps.map((s) => s.flowId).filter((f): f is string => !!f))];
  const waitingIds = new Set(state.messages.map((m) => m.id));
  const messageOffers: SimulateMessageOffer[] = [];
  for (const [id, sub] of subscriptions) {
    if (sub.answered) continue;
    const offer = {
      elementId: sub.node,
      name: node(sub.node)?.name ?? null,
      message: sub.name,
      afterDecisions: sub.afterDecisions,
      waiting: waitingIds.has(id),
    };
    // One offer per place and moment (a loop passing the same event twice offers it twice).
    if (
      !messageOffers.some(
        (o) =>
          o.elementId === offer.elementId && o.message === offer.message && o.afterDecisions === offer.afterDecisions,
      )
    )
      messageOffers.push(offer);
  }
  return {
    status: state.status,
    stoppedBecause,
    steps,
    visited,
    flows,
    openTasks: state.tasks.map((t) => ({
      elementId: t.elementId,
      name: t.name,
      kind: t.kind,
      roles: t.roles,
      level: t.level,
      actions: t.actions,
      returnTargets: t.actions.includes('return') ? returnTargets(state, model, t) : [],
    })),
    waitingFor: state.messages.map((m) => ({ elementId: m.node, message: m.name })),
    messageOffers,
    incidents: state.incidents.map((i) => ({ elementId: i.elementId, kind: i.kind, message: i.message })),
    data: state.data,
    variables: state.variables,
    dataProblems: options.dataProblems ?? [],
  };
}

/**
 * The earlier user tasks a return from `task` may go to, latest first: the steps approved in this
 * run in the task's scope or an enclosing one, as the runtime's return checks them (returnTask in
 * runtime/operations.ts); not the task itself, not multi-instance steps.
 */
function returnTargets(
  state: InstanceState,
  model: ProcessModel,
  task: InstanceState['tasks'][number],
): Array<{ elementId: string; name: string | null }> {
  const chain: string[] = [];
  const token = state.tokens.find((t) => t.id === task.tokenId);
  for (
    let sc = state.scopes.find((s) => s.id === (token?.scope ?? task.scopeId));
    sc;
    sc = sc.parent ? state.scopes.find((s) => s.id === sc!.parent) : undefined
  )
    chain.push(sc.id);
  const out: Array<{ elementId: string; name: string | null }> = [];
  for (const h of [...state.history].reverse()) {
    if (h.type !== 'task.completed' || h.action !== 'approve') continue;
    if (h.message !== 'task' && h.message !== 'signer-after') continue;
    if (!h.elementId || h.elementId === task.elementId || !h.scopeId || !chain.includes(h.scopeId)) continue;
    const n = model.nodes[h.elementId];
    if (n?.type !== 'userTask' || n.multiInstance) continue;
    if (!out.some((o) => o.elementId === h.elementId)) out.push({ elementId: h.elementId, name: n.name ?? null });
  }
  return out;
}
