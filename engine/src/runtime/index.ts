/**
 * Minflow BPMN runtime: a pure, persisted-state interpreter (no HTTP, no store, no queue).
 *
 * How the cases/tasks modules use it — one case = one document holding `InstanceState`:
 *
 *   // once per published definition version (cache by `${itemKey}@${version}`):
 *   const model = compileBpmn(await parseBpmn(xml)); model.version = version;
 *   const ctx: RuntimeContext = { model, clock, idPrefix: `${caseId}:`, resolveModel };
 *
 *   // POST /api/cases
 *   const r = start(ctx, { data, initiator: user.id });
 *   insert({ _id: caseId, state: r.state, ... });          // one atomic write
 *   then perform r.effects (schedule timers, enqueue jobs, project tasks, send notices)
 *
 *   // POST /api/tasks/:id/complete — load, act, write back with the version you read
 *   const r = completeTask(doc.state, ctx, taskId, { action, data, changes, comment, to, target, position },
 *                          { userId: user.id, roles: user.roles });
 *   await cases.replace(doc._id, doc._v, { ...doc, state: r.state });   // 409 if someone won the race
 *   then perform r.effects; write r.entries to the audit log.
 *
 *   // queue / scheduler callbacks (idempotent: a stale or repeated delivery returns `noop`)
 *   fireTimer(state, ctx, timerId)          completeJob(state, ctx, jobKey, result)
 *   failJob(state, ctx, jobKey, { message }) resolveIncident(state, ctx, incidentId, { userId })
 *   correlateMessage(state, ctx, name, payload)   // POST /api/cases/:id/messages/:name
 *   claimTask / unclaimTask / withdraw (applicant) / recall (approver, 撤回) / terminate (administrator)
 *
 * Every operation is pure: (state, ctx, input) → { state, effects, entries, noop }. It never
 * mutates its input and runs the case to its next wait state before returning. When `noop` is
 * set nothing changed (skip the write). Business errors throw MinflowError with a
 * MINFLOW_ERR_RUNTIME_* code (409 TASK_NOT_OPEN, 403 NOT_ASSIGNEE, 400 ACTION_NOT_ALLOWED, ...);
 * FEEL and model errors never throw: they become incidents (`state.incidents`, effect
 * `incident.raised`). Effects are performed by the caller only after its write succeeded.
 *
 * Useful reads: `state.tasks` (open tasks: assignee, roles, level, dueAt, form, editable,
 * actions), `state.data` (the case form data), `state.status`, `state.history`,
 * `state.incidents`, `state.ccs` (carbon-copied readers). `checkInvariants(state, model)` for
 * crash-recovery checks. See README.md for the token semantics.
 */
export { type CalendarKind, CN_2025, CN_2026, chinaCalendar, type HolidayYear, WorkingCalendar } from './calendar.js';
export { addDuration, parseCycle, parseDateTime, parseDuration } from './duration.js';
export { evalCondition, evalFeel, FeelError } from './feel.js';
export type {
  Actor,
  Effect,
  NoticeKind,
  RuntimeContext,
  StepResult,
  TaskCloseReason,
  TaskInput,
} from './interpreter.js';
export { checkInvariants } from './invariants.js';
export {
  APPROVAL_ACTIONS,
  type ApprovalAction,
  compile as compileBpmn,
  DEFAULT_ACTIONS,
  ModelCache,
  type NodeModel,
  type ProcessModel,
} from './model.js';
export {
  claimTask,
  completeJob,
  completeTask,
  correlateMessage,
  failJob,
  fireTimer,
  recall,
  resolveIncident,
  start,
  terminate,
  unclaimTask,
  withdraw,
} from './operations.js';
export type {
  CaseStatus,
  HistoryEntry,
  Incident,
  InstanceState,
  JobState,
  MessageSubscription,
  Scope,
  TaskState,
  TimerState,
  Token,
} from './state.js';
