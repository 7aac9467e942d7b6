import type { ApprovalAction } from './model.js';

/**
 * The persisted instance state: a JSON-serialisable object the cases module stores inside the
 * case document. Every operation returns a new state; between calls no token is in motion, so
 * the state is always at a wait state (see README.md for the token semantics).
 */

export type CaseStatus = 'active' | 'completed' | 'rejected' | 'withdrawn' | 'terminated';

/**
 * - `waiting`: at a wait state (user task, service task job, catch event, event-based gateway)
 * - `joining`: arrived at a parallel/inclusive join, waiting for the other branches
 * - `scope`: owns a child scope (sub-process, call activity, multi-instance body)
 * - `incident`: stopped by an incident (expression error, no matching flow, loop guard)
 */
export type TokenState = 'waiting' | 'joining' | 'scope' | 'incident';

export interface Token {
  id: string;
  node: string;
  scope: string;
  state: TokenState;
  /** The sequence flow the token arrived by (parallel joins count arrivals per flow). */
  via: string | null;
  /** Multi-instance inner token: its index (0-based) and collection element. */
  loop?: { index: number; item: unknown };
}

export type ScopeKind = 'process' | 'subProcess' | 'call' | 'multiInstance';

export interface MultiInstanceScope {
  items: unknown[];
  sequential: boolean;
  /** Next index to start (sequential). */
  next: number;
  nrOfInstances: number;
  nrOfActiveInstances: number;
  nrOfCompletedInstances: number;
  nrOfApproved: number;
  nrOfRejected: number;
  /** One entry per completed instance. */
  results: Array<{
    index: number;
    userId: string;
    action: string;
    data: Record<string, unknown>;
    comment: string | null;
  }>;
}

export interface Scope {
  id: string;
  kind: ScopeKind;
  /** The sub-process / call activity / multi-instance activity node (in the parent's model); null for the root. */
  node: string | null;
  parent: string | null;
  /** The token that owns this scope (state `scope`); null for the root. */
  owner: string | null;
  /** Call activity: the `calledElement` the resolver was asked for (an item key in Minflow) and the version it gave. */
  model?: { processId: string; version: number | null };
  /** Call activity: the child's own variables (it does not see the parent's). */
  variables?: Record<string, unknown>;
  mi?: MultiInstanceScope;
}

export type TaskKind = 'task' | 'signer-before' | 'signer-after' | 'correction';

export interface TaskState {
  id: string;
  kind: TaskKind;
  elementId: string;
  name: string | null;
  tokenId: string;
  scopeId: string;
  roles: string[];
  level: string | null;
  form: string | null;
  editable: string[];
  actions: ApprovalAction[];
  assignee: string | null;
  /** Delegation (委派): the owner who delegated, and whether the delegate has resolved. */
  owner: string | null;
  delegation: 'pending' | 'resolved' | null;
  /** Data saved by a delegate's `resolve`, proposed to the owner. */
  draft: Record<string, unknown> | null;
  dueAt: string | null;
  createdAt: string;
  claimedAt: string | null;
  /** Waiting for a signer added before (加签 before): the added task's id. */
  suspendedBy: string | null;
  /** Added-signer task: the task that added it. */
  parentTaskId: string | null;
  /** Signer added after: the owner's completion to apply once the signer approves. */
  pending: {
    userId: string;
    data: Record<string, unknown>;
    changes: Record<string, unknown>;
    comment: string | null;
  } | null;
  /** Multi-instance: index of this instance and its collection element. */
  miIndex: number | null;
  loopItem: unknown;
}

export type TimerKind = 'catch' | 'gateway' | 'boundary' | 'due';

export interface TimerState {
  id: string;
  kind: TimerKind;
  /** The timer event node (for `due`: the user task). */
  node: string;
  /** The waiting token (catch/gateway), the activity token (boundary) or the task's token (due). */
  tokenId: string;
  dueAt: string;
  /** Repeating boundary timer: repetitions left (null = forever) and the interval. */
  cycle: { remaining: number | null; every: string } | null;
  /** `due` timers: the task. */
  taskId: string | null;
}

export interface JobState {
  /** Stable across retries and re-deliveries: handlers use it as their idempotency key. */
  key: string;
  node: string;
  tokenId: string;
  handler: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** Total attempts allowed before an incident. */
  retries: number;
  backoff: string;
  state: 'pending' | 'incident';
  runAt: string;
  lastError: string | null;
}

export interface MessageSubscription {
  id: string;
  name: string;
  kind: 'catch' | 'gateway' | 'boundary';
  /** The message event node. */
  node: string;
  tokenId: string;
  createdAt: string;
}

export interface Incident {
  id: string;
  kind: 'job' | 'expression' | 'no-flow' | 'loop' | 'model';
  elementId: string;
  tokenId: string;
  jobKey: string | null;
  message: string;
  createdAt: string;
  /** Where it stopped: entering the element (re-run it) or leaving it (re-evaluate the outgoing flows). */
  phase: 'enter' | 'leave';
}

export interface HistoryEntry {
  seq: number;
  at: string;
  type: string;
  elementId?: string;
  taskId?: string;
  tokenId?: string;
  scopeId?: string;
  userId?: string;
  action?: string;
  comment?: string | null;
  to?: string | string[];
  data?: Record<string, unknown>;
  changes?: Array<{ field: string; from: unknown; to: unknown }>;
  message?: string;
  status?: CaseStatus;
}

export interface CarbonCopy {
  userId: string;
  by: string;
  taskId: string;
  at: string;
}

export interface InstanceState {
  schema: 1;
  processId: string;
  version: number | null;
  status: CaseStatus;
  initiator: string;
  startedAt: string;
  endedAt: string | null;
  /** Why the case ended when it did not simply complete. */
  outcome: { reason: string | null; userId: string | null; elementId: string | null } | null;
  /** The case form data by field name (what `editable` fields change). */
  data: Record<string, unknown>;
  /** Engine variables: `<elementId>` results, `action`, `initiator`, script results, message payloads. */
  variables: Record<string, unknown>;
  tokens: Token[];
  scopes: Scope[];
  tasks: TaskState[];
  timers: TimerState[];
  jobs: JobState[];
  messages: MessageSubscription[];
  incidents: Incident[];
  ccs: CarbonCopy[];
  history: HistoryEntry[];
  /** Counter for ids and history sequence numbers (deterministic, replay-safe). */
  seq: number;
}

export const ROOT_SCOPE = 'root';
