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
 *
 * - user tasks: the action given for the element in `decisions` (a string is used every time the
 *   step opens; an array is used in order, one per visit). A step without a decision stops the run.
 * - service tasks: answered at once with `jobResults[<elementId>]` (default `{}`).
 * - messages: each name in `messages` is sent once, when the flow is waiting for it.
 * - timers: fired at once (the clock jumps to the timer), when nothing else can move; SLA
 *   reminders (`due`) are not fired.
 */
export interface SimulateInput {
  data: Record<string, unknown>;
  decisions?: Record<string, ApprovalAction | ApprovalAction[]>;
  jobResults?: Record<string, Record<string, unknown>>;
  messages?: Array<{ name: string; payload?: Record<string, unknown> }>;
  maxSteps?: number;
}

export interface SimulatedStep {
  seq: number;
  /** What happened: entered a node, a user task was decided, a job answered, a timer fired, a message arrived. */
  kind: 'enter' | 'decide' | 'job' | 'timer' | 'message';
  elementId: string;
  name: string | null;
  type: string;
  action?: string;
  /** The sequence flow taken to enter the element (kind `enter`). */
  flowId?: string;
}

export type StopReason = 'completed' | 'ended' | 'waiting-task' | 'waiting' | 'incident' | 'max-steps';

export interface SimulateResult {
  status: InstanceState['status'];
  stoppedBecause: StopReason;
  steps: SimulatedStep[];
  /** Elements (nodes) visited, in first-visit order, and the sequence flows taken. */
  visited: string[];
  flows: string[];
  /** Open user tasks where the run stopped. */
  openTasks: Array<{
    elementId: string;
    name: string | null;
    roles: string[];
    level: string | null;
    actions: string[];
  }>;
  /** Messages the flow waits for where it stopped. */
  waitingFor: Array<{ elementId: string; message: string }>;
  incidents: Array<{ elementId: string; kind: string; message: string }>;
  data: Record<string, unknown>;
  variables: Record<string, unknown>;
  /** The sample data checked against the form schema (the run goes on regardless). */
  dataProblems: ErrorDetail[];
}

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
  const messages = [...(input.messages ?? [])];
  const maxSteps = input.maxSteps ?? DEFAULT_MAX_STEPS;
  let state: InstanceState;
  let r: StepResult = start(ctx, { data: structuredClone(input.data), initiator: 'simulation' });
  state = r.state;
  flush();

  const decisionFor = (elementId: string): ApprovalAction | null => {
    const d = input.decisions?.[elementId];
    if (d === undefined) return null;
    if (typeof d === 'string') return d;
    const i = used.get(elementId) ?? 0;
    return d[i] ?? null;
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
    const task = state.tasks.find((t) => decisionFor(t.elementId) !== null && !t.suspendedBy);
    if (task) {
      const action = decisionFor(task.elementId) as ApprovalAction;
      used.set(task.elementId, (used.get(task.elementId) ?? 0) + 1);
      via(task.elementId, 'decide', { action });
      r = completeTask(
        state,
        ctx,
        task.id,
        { action, comment: '模拟运行 / simulation' },
        { userId: 'simulation', roles: task.roles },
      );
    } else if (state.tasks.length) {
      stoppedBecause = 'waiting-task';
      break;
    } else if (state.jobs.some((j) => j.state === 'pending')) {
      const job = state.jobs.find((j) => j.state === 'pending')!;
      via(job.node, 'job');
      r = completeJob(state, ctx, job.key, input.jobResults?.[job.node] ?? {});
    } else {
      const mi = messages.findIndex((m) => state.messages.some((s) => s.name === m.name));
      const timer = [...state.timers].filter((t) => t.kind !== 'due').sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
      if (mi >= 0) {
        const [m] = messages.splice(mi, 1);
        const sub = state.messages.find((s) => s.name === m!.name)!;
        via(sub.node, 'message');
        r = correlateMessage(state, ctx, m!.name, m!.payload ?? {});
      } else if (timer) {
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
    moves++;
  }

  const visited: string[] = [];
  for (const s of steps) if (!visited.includes(s.elementId)) visited.push(s.elementId);
  const flows = [...new Set(steps.map((s) => s.flowId).filter((f): f is string => !!f))];
  return {
    status: state.status,
    stoppedBecause,
    steps,
    visited,
    flows,
    openTasks: state.tasks.map((t) => ({
      elementId: t.elementId,
      name: t.name,
      roles: t.roles,
      level: t.level,
      actions: t.actions,
    })),
    waitingFor: state.messages.map((m) => ({ elementId: m.node, message: m.name })),
    incidents: state.incidents.map((i) => ({ elementId: i.elementId, kind: i.kind, message: i.message })),
    data: state.data,
    variables: state.variables,
    dataProblems: options.dataProblems ?? [],
  };
}
