import { createHash, randomBytes } from 'node:crypto';
import type { ServiceTaskContext } from '@minflow/sdk';
import { Ajv, type ValidateFunction } from 'ajv';
import type { FastifyBaseLogger } from 'fastify';
import { parseBpmn } from '../../bpmn/parse.js';
import { isMinflowError, type Lang, MinflowError } from '../../errors/registry.js';
import type { ErrorDetail } from '../../errors/types.js';
import type { AuditInput, AuditLog } from '../../infra/audit/types.js';
import { accessibleFilter, can, type SubjectType } from '../../infra/auth/ability.js';
import type { AppAbility, SessionUser } from '../../infra/auth/types.js';
import type { Clock } from '../../infra/clock.js';
import type { HandlerRegistry } from '../../infra/plugins.js';
import type { JobQueue, QueuedJob } from '../../infra/queue/port.js';
import type { DocumentStore, Filter, NewDoc, Page, SortSpec, WriteOp } from '../../infra/store/port.js';
import { noteRevealAudited, revealEntry } from '../../permissions/mask.js';
import {
  type Actor,
  claimTask,
  compileBpmn,
  completeJob,
  completeTask,
  correlateMessage,
  type Effect,
  failJob,
  fireTimer,
  type InstanceState,
  ModelCache,
  type ProcessModel,
  type RuntimeContext,
  resolveIncident,
  type StepResult,
  start,
  type TaskInput,
  type TaskState,
  unclaimTask,
  withdraw,
} from '../../runtime/index.js';
import { validateFormData } from '../definitions/form-data.js';
import type { DefinitionsService } from '../definitions/service.js';
import { requireOrgUnit } from '../org/service.js';
import { checkAddresses } from './addresses.js';
import {
  applicantOf,
  CASES,
  type CaseDoc,
  collectPersonIds,
  TASKS,
  type TaskDoc,
  USER_NOTICES,
  type UserNoticeDoc,
  unitAtLevel,
} from './model.js';

export interface Caller {
  user: SessionUser;
  ability: AppAbility;
  lang: Lang;
}

export interface CaseServiceDeps {
  store: DocumentStore;
  clock: Clock;
  queue: JobQueue;
  handlers: HandlerRegistry;
  audit: AuditLog;
  definitions: DefinitionsService;
  log: FastifyBaseLogger;
}

export const SERVICE_TASK_JOB = 'service-task';
export const TIMER_JOB = 'timer';
const SYSTEM = 'system';
const MAX_SYSTEM_RETRIES = 8;

/** Task close reasons that credit the acting user (`completedBy`, the done box). */
const CLOSED_BY_ACTOR = new Set(['completed', 'rejected', 'returned', 'signer-added']);

const isConflict = (err: unknown) => isMinflowError(err) && err.status === 409;
const isDuplicate = (err: unknown) => isMinflowError(err) && (err.code as string) === 'MINFLOW_ERR_STORE_DUPLICATE';

/**
 * Cases and their tasks: creates cases from published items, runs every transition through the
 * BPMN runtime as ONE version-checked write of the case document, then performs the effects
 * (queue jobs and timers, the inbox projection, notices, audit). Effects are idempotent and
 * derivable from the case, so a crash between the write and the effects is repaired by
 * `reconcile()` at start-up.
 */
export class CaseService {
  private readonly models = new ModelCache(500);
  private readonly resultAjv = new Ajv({ allErrors: true, strict: false });
  private readonly resultValidators = new WeakMap<object, ValidateFunction>();

  constructor(private readonly deps: CaseServiceDeps) {}

  private get cases() {
    return this.deps.store.collection<CaseDoc>(CASES);
  }
  private get tasks() {
    return this.deps.store.collection<TaskDoc>(TASKS);
  }
  private get notices() {
    return this.deps.store.collection<UserNoticeDoc>(USER_NOTICES);
  }

  async ensureCollections(): Promise<void> {
    const { store } = this.deps;
    await store.ensureCollection({
      name: CASES,
      indexes: [
        { name: 'org_created', fields: { orgPath: 1, createdAt: -1 }, multikey: true },
        { name: 'item_created', fields: { itemKey: 1, createdAt: -1 } },
        { name: 'status_created', fields: { status: 1, createdAt: -1 } },
        { name: 'applicant_name', fields: { applicantName: 1 } },
        { name: 'person_ids', fields: { personIds: 1 }, multikey: true },
        { name: 'cc_users', fields: { ccUserIds: 1, createdAt: -1 }, multikey: true },
        { name: 'pending_work', fields: { pendingWork: 1 } },
        { name: 'incidents', fields: { incidentCount: 1 } },
      ],
    });
    await store.ensureCollection({
      name: TASKS,
      indexes: [
        // The 待办 and its counts are answered by these indexes alone (no task document is read):
        // unassigned tasks at the user's unit, tasks assigned to the user, the done box; the
        // side tables of `roles` and `org` check the candidate roles and the jurisdiction.
        { name: 'inbox_unit', fields: { status: 1, unitId: 1, assignee: 1, dueAt: 1 } },
        { name: 'inbox_assignee', fields: { status: 1, assignee: 1, dueAt: 1 } },
        { name: 'done_by', fields: { completedBy: 1, status: 1, closedAt: -1 } },
        { name: 'case', fields: { caseId: 1 } },
        { name: 'roles', fields: { candidateRoles: 1 }, multikey: true },
        { name: 'org', fields: { orgPath: 1 }, multikey: true },
      ],
    });
    await store.ensureCollection({
      name: USER_NOTICES,
      indexes: [{ name: 'user_at', fields: { userId: 1, kind: 1, at: -1 } }],
    });
  }

  /** Routes queue jobs to the runtime; call before the queue starts. */
  registerJobHandlers(): void {
    this.deps.queue.handle(SERVICE_TASK_JOB, (job) => this.runServiceTask(job));
    this.deps.queue.handle(TIMER_JOB, (job) => this.runTimer(job));
  }

  // ---------------------------------------------------------------- models

  /** The compiled model of a published version, plus every item its call activities name (preloaded: the runtime's resolver is synchronous). */
  private async context(
    itemKey: string,
    version: number,
    caseId: string,
    state?: InstanceState,
  ): Promise<RuntimeContext> {
    const model = await this.model(itemKey, version);
    const loaded = new Map<string, ProcessModel>();
    const pending = [...model.calledElements];
    const seen = new Set<string>();
    while (pending.length) {
      const called = pending.pop() as string;
      if (seen.has(called)) continue;
      seen.add(called);
      try {
        const latest = await this.deps.definitions.getPublished(called);
        const m = await this.model(called, latest.version);
        loaded.set(`${called}@latest`, m);
        loaded.set(`${called}@${latest.version}`, m);
        pending.push(...m.calledElements);
      } catch (err) {
        this.deps.log.warn({ err, called }, 'called item is not published');
      }
    }
    // Child instances already running stay on the version they started with.
    for (const scope of state?.scopes ?? []) {
      if (scope.kind !== 'call' || !scope.node || scope.model?.version == null) continue;
      const all = [model, ...loaded.values()];
      const called = all.map((m) => m.nodes[scope.node as string]?.call?.calledElement).find(Boolean);
      if (called && !loaded.has(`${called}@${scope.model.version}`)) {
        loaded.set(`${called}@${scope.model.version}`, await this.model(called, scope.model.version));
      }
    }
    return {
      model,
      clock: this.deps.clock,
      idPrefix: `${caseId}:`,
      resolveModel: (calledElement, v) => loaded.get(`${calledElement}@${v ?? 'latest'}`),
    };
  }

  private async model(itemKey: string, version: number): Promise<ProcessModel> {
    const cacheKey = `${itemKey}@${version}`;
    const hit = this.models.get(cacheKey);
    if (hit) return hit;
    const published = await this.deps.definitions.getPublished(itemKey, version);
    const model = { ...compileBpmn(await parseBpmn(published.bpmnXml)), version };
    this.models.set(cacheKey, model);
    return model;
  }

  // ---------------------------------------------------------------- create

  async create(
    caller: Caller,
    input: { itemKey: string; data: Record<string, unknown>; orgUnitId?: string },
    idempotencyKey: string | null,
  ): Promise<{ doc: CaseDoc; created: boolean }> {
    const { user, ability, lang } = caller;
    const requestHash = createHash('sha256')
      .update(JSON.stringify([input.itemKey, input.orgUnitId ?? null, input.data]))
      .digest('hex');
    const id = idempotencyKey
      ? `c${createHash('sha256').update(`${user.id}\u0000${idempotencyKey}`).digest('hex').slice(0, 24)}`
      : `c${randomBytes(12).toString('hex')}`;
    if (idempotencyKey) {
      const existing = await this.cases.get(id);
      if (existing) return { doc: this.sameRequest(existing, requestHash), created: false };
    }

    const published = await this.deps.definitions.getStartable(input.itemKey);
    const item = { ...published, startLevels: [...published.startLevels] };
    if (!can(ability, 'start', 'Item', item)) {
      throw new MinflowError('MINFLOW_ERR_CASES_START_NOT_ALLOWED', { params: { item: published.name.zh } });
    }
    const unit = await requireOrgUnit(this.deps.store, input.orgUnitId ?? user.orgUnitId, '/orgUnitId');
    if (!can(ability, 'create', 'Case', { orgPath: unit.path })) {
      throw new MinflowError('MINFLOW_ERR_CASES_ORG_UNIT_OUTSIDE', {
        params: { orgUnitId: unit._id },
        details: [{ path: '/orgUnitId', message: unit.name }],
      });
    }
    const problems = validateFormData(published.formSchema, input.data, lang, '/data');
    // Addresses (minflow-address): an existing unit at the field's level; `region` is set from the tree.
    const checked = await checkAddresses(
      this.deps.store,
      { schema: published.formSchema, uiSchema: published.uiSchema },
      input.data,
      lang,
      '/data',
    );
    problems.push(...checked.problems);
    if (problems.length) throw new MinflowError('MINFLOW_ERR_CASES_DATA_INVALID', { details: problems });

    const ctx = await this.context(input.itemKey, published.version, id);
    const result = start(ctx, { data: checked.data, initiator: user.id, variables: { orgUnitId: unit._id } });
    const now = this.deps.clock.now().toISOString();
    const doc = this.derive(
      {
        _id: id,
        _v: 0,
        itemKey: published.key,
        itemName: published.name,
        definitionVersion: published.version,
        orgUnitId: unit._id,
        orgPath: unit.path,
        createdBy: user.id,
        createdAt: now,
        idempotency: idempotencyKey ? { userId: user.id, key: idempotencyKey, requestHash } : null,
      } as unknown as CaseDoc,
      result.state,
    );
    try {
      return { doc: await this.write(doc, result, user.id, 'case.create', null, caller), created: true };
    } catch (err) {
      // The same Idempotency-Key submitted twice at once: the first insert won; answer with it.
      if (idempotencyKey && isDuplicate(err)) {
        const existing = await this.cases.get(id);
        if (existing) return { doc: this.sameRequest(existing, requestHash), created: false };
      }
      throw err;
    }
  }

  private sameRequest(existing: CaseDoc, requestHash: string): CaseDoc {
    if (existing.idempotency?.requestHash !== requestHash)
      throw new MinflowError('MINFLOW_ERR_CASES_IDEMPOTENCY_MISMATCH');
    return existing;
  }

  // ---------------------------------------------------------------- reads

  /** A case the caller may read (its jurisdiction, or carbon-copied to them); 404 otherwise. */
  async getForCaller(caller: Caller, id: string): Promise<CaseDoc> {
    const doc = await this.cases.get(id);
    if (!doc || !this.mayRead(caller, doc)) throw new MinflowError('MINFLOW_ERR_COMMON_NOT_FOUND');
    return doc;
  }

  mayRead(caller: Caller, doc: CaseDoc): boolean {
    return can(caller.ability, 'read', 'Case', doc) || doc.ccUserIds.includes(caller.user.id);
  }

  async list(
    caller: Caller,
    q: {
      itemKey?: string;
      status?: string;
      orgUnitId?: string;
      from?: string;
      to?: string;
      applicantName?: string;
      idNumber?: string;
      limit?: number;
      cursor?: string;
    },
  ): Promise<Page<CaseDoc>> {
    const and: Filter[] = [{ $or: [accessibleFilter(caller.ability, 'read', 'Case'), { ccUserIds: caller.user.id }] }];
    if (q.itemKey) and.push({ itemKey: q.itemKey });
    if (q.status) and.push({ status: q.status });
    if (q.orgUnitId) and.push({ orgPath: q.orgUnitId });
    if (q.from || q.to) {
      const range: Record<string, string> = {};
      if (q.from) range.$gte = q.from;
      if (q.to) range.$lt = q.to;
      and.push({ createdAt: range });
    }
    if (q.applicantName) and.push({ applicantName: { $regex: `^${escapeRegex(q.applicantName)}` } });
    if (q.idNumber) and.push({ personIds: q.idNumber.toUpperCase() });
    return this.cases.find({ $and: and }, { sort: { createdAt: -1 }, limit: q.limit ?? 20, cursor: q.cursor ?? null });
  }

  async listTasks(
    caller: Caller,
    q: { box: 'todo' | 'done' | 'cc'; itemKey?: string; overdue?: boolean; limit?: number; cursor?: string },
  ): Promise<Page<TaskDoc | UserNoticeDoc>> {
    const { user } = caller;
    const limit = q.limit ?? 20;
    if (q.box === 'cc') {
      const filter: Filter = { userId: user.id, kind: 'cc' };
      if (q.itemKey) filter.itemKey = q.itemKey;
      return this.notices.find(filter, { sort: { at: -1 }, limit, cursor: q.cursor ?? null });
    }
    const and: Filter[] = [accessibleFilter(caller.ability, 'read', 'Task')];
    if (q.box === 'done') and.push({ status: 'closed', completedBy: user.id });
    else and.push(this.todoFilter(user));
    if (q.itemKey) and.push({ itemKey: q.itemKey });
    if (q.overdue) and.push({ dueAt: { $lt: this.deps.clock.now().toISOString() } });
    const sort: SortSpec = q.box === 'done' ? { closedAt: -1 } : { dueAt: 1 };
    return this.tasks.find({ $and: and }, { sort, limit, cursor: q.cursor ?? null });
  }

  async taskCounts(caller: Caller): Promise<{ todo: number; overdue: number; done: number; cc: number }> {
    const base = accessibleFilter(caller.ability, 'read', 'Task');
    const todo = { $and: [base, this.todoFilter(caller.user)] };
    const [nTodo, nOverdue, nDone, nCc] = await Promise.all([
      this.tasks.count(todo),
      this.tasks.count({ $and: [todo, { dueAt: { $lt: this.deps.clock.now().toISOString() } }] }),
      this.tasks.count({ $and: [base, { status: 'closed', completedBy: caller.user.id }] }),
      this.notices.count({ userId: caller.user.id, kind: 'cc' }),
    ]);
    return { todo: nTodo, overdue: nOverdue, done: nDone, cc: nCc };
  }

  /** Open tasks assigned to the user, or unassigned ones for a role they hold at their own unit. */
  private todoFilter(user: SessionUser): Filter {
    return {
      status: 'open',
      $or: [{ assignee: user.id }, { assignee: null, unitId: user.orgUnitId, candidateRoles: { $in: user.roles } }],
    };
  }

  /** Whether the user may take an (unassigned) task: a candidate role, at the unit the task's level points to. */
  mayHoldTask(user: SessionUser, doc: CaseDoc, task: TaskState): boolean {
    if (task.assignee) return task.assignee === user.id;
    return (
      user.orgUnitId === unitAtLevel(doc.orgPath, task.level) && task.roles.some((r) => user.roles.includes(r as never))
    );
  }

  // ---------------------------------------------------------------- user actions

  async claim(caller: Caller, taskId: string): Promise<CaseDoc> {
    return this.onTask(caller, taskId, 'task.claim', (state, ctx, actor) => claimTask(state, ctx, taskId, actor));
  }

  async unclaim(caller: Caller, taskId: string): Promise<CaseDoc> {
    return this.onTask(caller, taskId, 'task.unclaim', (state, ctx, actor) => unclaimTask(state, ctx, taskId, actor));
  }

  async complete(caller: Caller, taskId: string, input: TaskInput): Promise<CaseDoc> {
    return this.onTask(caller, taskId, `task.${input.action}`, async (state, ctx, actor, doc, task) => {
      await this.checkTaskInput(caller, doc, task, input);
      return completeTask(state, ctx, taskId, input, actor);
    });
  }

  async withdraw(caller: Caller, caseId: string, comment: string | null): Promise<CaseDoc> {
    const doc = await this.getForCaller(caller, caseId);
    const ctx = await this.context(doc.itemKey, doc.definitionVersion, doc._id, doc.state);
    const result = withdraw(doc.state, ctx, { userId: caller.user.id, roles: caller.user.roles }, comment);
    return this.commit(doc, result, caller.user.id, 'case.withdraw', caller);
  }

  /** A message for the case (e.g. an objection during 公示); `actorId` is the user or `public`. */
  async correlate(
    caseId: string,
    name: string,
    payload: Record<string, unknown>,
    actorId: string,
  ): Promise<{ doc: CaseDoc; correlated: boolean }> {
    return this.mutateWithRetry(caseId, actorId, `case.message.${name}`, async (doc, ctx) =>
      correlateMessage(doc.state, ctx, name, { ...payload, receivedFrom: actorId }),
    );
  }

  async retryIncident(caller: Caller, incidentId: string): Promise<CaseDoc> {
    const caseId = incidentId.split(':')[0];
    const doc = await this.getForCaller(caller, caseId);
    if (!can(caller.ability, 'act', 'Case', doc) && !can(caller.ability, 'create', 'Incident', doc)) {
      throw new MinflowError('MINFLOW_ERR_AUTH_FORBIDDEN');
    }
    const ctx = await this.context(doc.itemKey, doc.definitionVersion, doc._id, doc.state);
    const result = resolveIncident(doc.state, ctx, incidentId, { userId: caller.user.id });
    return this.commit(doc, result, caller.user.id, 'incident.retry', caller);
  }

  async listIncidents(caller: Caller, q: { limit?: number; cursor?: string }): Promise<Page<CaseDoc>> {
    return this.cases.find(
      { $and: [accessibleFilter(caller.ability, 'read', 'Case'), { incidentCount: { $gt: 0 } }] },
      { sort: { createdAt: -1 }, limit: q.limit ?? 20, cursor: q.cursor ?? null },
    );
  }

  private async onTask(
    caller: Caller,
    taskId: string,
    auditAction: string,
    op: (
      state: InstanceState,
      ctx: RuntimeContext,
      actor: Actor,
      doc: CaseDoc,
      task: TaskState,
    ) => StepResult | Promise<StepResult>,
  ): Promise<CaseDoc> {
    const caseId = taskId.split(':')[0];
    const doc = await this.cases.get(caseId);
    const task = doc?.state.tasks.find((t) => t.id === taskId);
    // Outside the caller's jurisdiction: 404 as if missing (existence is not leaked); a closed task of a readable case: 409.
    if (!doc || !this.mayRead(caller, doc)) throw new MinflowError('MINFLOW_ERR_COMMON_NOT_FOUND');
    if (!task) throw new MinflowError('MINFLOW_ERR_RUNTIME_TASK_NOT_OPEN', { params: { taskId } });
    // Jurisdiction (rule files) first, then the task's own candidates: role at the unit of its level.
    if (
      !can(caller.ability, 'act', 'Task', { orgPath: doc.orgPath, candidateRoles: task.roles }) &&
      task.assignee !== caller.user.id
    ) {
      throw new MinflowError('MINFLOW_ERR_AUTH_FORBIDDEN', { details: [{ path: '', message: `act Task ${taskId}` }] });
    }
    // A candidate who lost the race to someone else's claim is not refused here: the runtime answers
    // 409 (already claimed) or 403 (not the assignee) for what they tried.
    const candidate = this.mayHoldTask(caller.user, doc, { ...task, assignee: null });
    if (!this.mayHoldTask(caller.user, doc, task) && task.owner !== caller.user.id && !candidate) {
      throw new MinflowError('MINFLOW_ERR_RUNTIME_NOT_CANDIDATE', { params: { roles: task.roles.join(', ') } });
    }
    const ctx = await this.context(doc.itemKey, doc.definitionVersion, doc._id, doc.state);
    const result = await op(doc.state, ctx, { userId: caller.user.id, roles: caller.user.roles }, doc, task);
    return this.commit(doc, result, caller.user.id, auditAction, caller);
  }

  /** Task form data against the task form; case-field changes against the item's form; target users exist. */
  private async checkTaskInput(caller: Caller, doc: CaseDoc, task: TaskState, input: TaskInput): Promise<void> {
    const published = await this.deps.definitions.getPublished(doc.itemKey, doc.definitionVersion);
    const details: ErrorDetail[] = [];
    if (task.form && input.data && ['approve', 'reject', 'return', 'resolve'].includes(input.action)) {
      const form = published.taskForms?.[task.form];
      if (form) {
        details.push(...validateFormData(form.schema, input.data, caller.lang, '/data'));
        const checked = await checkAddresses(this.deps.store, form, input.data, caller.lang, '/data');
        details.push(...checked.problems);
        input.data = checked.data;
      }
    }
    if (input.changes && Object.keys(input.changes).length) {
      const merged = { ...doc.state.data, ...input.changes };
      const problems = validateFormData(published.formSchema, merged, caller.lang, '');
      const changed = Object.keys(input.changes);
      const isChanged = (path: string) => changed.some((f) => path === `/${f}` || path.startsWith(`/${f}/`));
      details.push(...problems.filter((p) => isChanged(p.path)).map((p) => ({ ...p, path: `/changes${p.path}` })));
      const checked = await checkAddresses(
        this.deps.store,
        { schema: published.formSchema, uiSchema: published.uiSchema },
        merged,
        caller.lang,
        '',
        isChanged,
      );
      details.push(...checked.problems.map((p) => ({ ...p, path: `/changes${p.path}` })));
      input.changes = Object.fromEntries(changed.map((f) => [f, checked.data[f]]));
    }
    if (details.length) throw new MinflowError('MINFLOW_ERR_CASES_TASK_FORM_INVALID', { details });
    const targets = input.to === undefined ? [] : Array.isArray(input.to) ? input.to : [input.to];
    for (const userId of targets) {
      const target = await this.deps.store
        .collection<{ _id: string; _v: number; disabled?: boolean; orgPath: string[] }>('users')
        .get(userId);
      // Transfer, delegate, add-signer and cc only to active users whose jurisdiction covers the case.
      if (!target || target.disabled || !doc.orgPath.some((u) => target.orgPath.at(-1) === u)) {
        throw new MinflowError('MINFLOW_ERR_CASES_TASK_FORM_INVALID', {
          details: [
            {
              path: '/to',
              message:
                caller.lang === 'en' ? `user ${userId} cannot receive this case` : `用户 ${userId} 不能接收该案件`,
            },
          ],
        });
      }
    }
  }

  // ---------------------------------------------------------------- jobs and timers

  private async runServiceTask(job: QueuedJob): Promise<void> {
    const { caseId, jobKey } = job.payload as { caseId: string; jobKey: string };
    const doc = await this.cases.get(caseId);
    const pending = doc?.state.jobs.find((j) => j.key === jobKey && j.state === 'pending');
    if (!doc || !pending) return; // already completed, cancelled or the case ended: nothing to do
    const registered = this.deps.handlers.get(pending.handler);
    let outcome: { result: Record<string, unknown> } | { error: string; retryable: boolean };
    if (!registered) {
      outcome = { error: `handler ${pending.handler} is not installed`, retryable: false };
    } else {
      const log = this.deps.log.child({ caseId, jobKey, handler: pending.handler });
      const context: ServiceTaskContext = {
        jobKey,
        caseId,
        itemKey: doc.itemKey,
        elementId: pending.node,
        attempt: pending.attempt,
        variables: structuredClone({ ...doc.state.data, ...doc.state.variables }),
        orgPath: doc.orgPath,
        now: this.deps.clock.now(),
        log: {
          info: (m, d) => log.info(d ?? {}, m),
          warn: (m, d) => log.warn(d ?? {}, m),
          error: (m, d) => log.error(d ?? {}, m),
        },
      };
      try {
        const result = await registered.handler.run(context);
        const schema = registered.handler.resultSchema;
        if (schema) {
          let validate = this.resultValidators.get(schema);
          if (!validate) {
            validate = this.resultAjv.compile(schema);
            this.resultValidators.set(schema, validate);
          }
          if (!validate(result)) {
            throw Object.assign(
              new Error(`result does not match the handler's schema: ${this.resultAjv.errorsText(validate.errors)}`),
              {
                retryable: false,
              },
            );
          }
        }
        outcome = { result };
      } catch (err) {
        const e = err as { message?: string; retryable?: boolean };
        outcome = { error: e.message ?? String(err), retryable: e.retryable !== false };
      }
    }
    await this.mutateWithRetry(caseId, SYSTEM, 'case.job', async (latest, ctx) =>
      'result' in outcome
        ? completeJob(latest.state, ctx, jobKey, outcome.result)
        : failJob(latest.state, ctx, jobKey, { message: outcome.error, retryable: outcome.retryable }),
    );
  }

  private async runTimer(job: QueuedJob): Promise<void> {
    const { caseId, timerId } = job.payload as { caseId: string; timerId: string };
    await this.mutateWithRetry(caseId, SYSTEM, 'case.timer', async (doc, ctx) => fireTimer(doc.state, ctx, timerId));
  }

  /** System transitions (jobs, timers, messages) re-read and re-apply on a version conflict. */
  private async mutateWithRetry(
    caseId: string,
    actorId: string,
    auditAction: string,
    op: (doc: CaseDoc, ctx: RuntimeContext) => Promise<StepResult>,
  ): Promise<{ doc: CaseDoc; correlated: boolean }> {
    for (let attempt = 0; attempt < MAX_SYSTEM_RETRIES; attempt++) {
      const doc = await this.cases.get(caseId);
      if (!doc) throw new MinflowError('MINFLOW_ERR_COMMON_NOT_FOUND');
      const ctx = await this.context(doc.itemKey, doc.definitionVersion, doc._id, doc.state);
      const result = await op(doc, ctx);
      if (result.noop) return { doc, correlated: false };
      try {
        return { doc: await this.commit(doc, result, actorId, auditAction), correlated: true };
      } catch (err) {
        if (!isConflict(err)) throw err;
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * (attempt + 1)));
      }
    }
    throw new MinflowError('MINFLOW_ERR_CASES_BUSY');
  }

  // ---------------------------------------------------------------- the write and its effects

  private derive(base: CaseDoc, state: InstanceState): CaseDoc {
    const applicant = applicantOf(state.data);
    return {
      ...base,
      status: state.status,
      updatedAt: this.deps.clock.now().toISOString(),
      endedAt: state.endedAt,
      applicantName: applicant.name,
      applicantIdNumber: applicant.idNumber,
      personIds: collectPersonIds(state.data),
      ccUserIds: [...new Set(state.ccs.map((c) => c.userId))].sort(),
      openTaskCount: state.tasks.length,
      incidentCount: state.incidents.length,
      pendingWork: state.timers.length > 0 || state.jobs.some((j) => j.state === 'pending'),
      state,
    };
  }

  /** One version-checked write (409 when another transition won), then its effects. */
  private async commit(
    doc: CaseDoc,
    result: StepResult,
    actorId: string,
    auditAction: string,
    caller?: Caller,
  ): Promise<CaseDoc> {
    if (result.noop) return doc;
    return this.write(this.derive(doc, result.state), result, actorId, auditAction, doc, caller);
  }

  /**
   * Writes the case (insert when `before` is null, else a replace at `before._v`) and its effects.
   * Where the store's writes are atomic (embedded) the case, its inbox rows, its notices and its
   * audit entry are ONE `store.write`: all of them or none, one commit. Otherwise (mongodb) the
   * case write comes first and the rest follows (`afterWrite`), repaired by `reconcile()` after a
   * crash. Either way the queue (jobs, timers) is told only after the case is written.
   *
   * `caller`: the user whose request made the change and is answered with the case. When that
   * answer shows them personal data unmasked, its `case.reveal` audit entry goes into the same
   * write (and the presentation records no second one).
   */
  private async write(
    next: CaseDoc,
    result: StepResult,
    actorId: string,
    auditAction: string,
    before: CaseDoc | null,
    caller?: Caller,
  ): Promise<CaseDoc> {
    const { store, audit } = this.deps;
    if (!store.atomicWrites || !audit.recordWith) {
      const saved = before ? await this.cases.replace(before._id, before._v, next) : await this.cases.insert(next);
      await this.afterWrite(saved, result, actorId, auditAction, before);
      return saved;
    }
    // What the case write returns (version + 1): the inbox rows, notices and audit entry name it.
    const saved = { ...next, _v: before ? before._v + 1 : 1 } as CaseDoc;
    const caseOp: WriteOp = before
      ? { op: 'replace', collection: CASES, id: before._id, expectedVersion: before._v, doc: next }
      : { op: 'insert', collection: CASES, doc: next };
    const entries = [this.auditEntry(saved, result, actorId, auditAction, before)];
    const reveal = caller
      ? revealEntry(caller.ability, caller.user, 'Case', {
          _id: saved._id,
          orgPath: saved.orgPath,
          data: saved.state.data,
        })
      : null;
    if (reveal) entries.push(reveal);
    const [written] = await audit.recordWith(entries, [caseOp, ...this.projectionOps(saved, result, actorId, before)]);
    if (caller && reveal) noteRevealAudited(caller.user, reveal);
    await this.queueEffects(written as CaseDoc, result, before);
    return written as CaseDoc;
  }

  /** The inbox rows (open tasks, and the ones this transition closed) and notices of a transition, from the case before and after it. */
  private projectionOps(saved: CaseDoc, result: StepResult, actorId: string, before: CaseDoc | null): WriteOp[] {
    const ops: WriteOp[] = [];
    const closedByActor = new Set<string>();
    for (const effect of result.effects) {
      if (effect.type === 'task.closed' && CLOSED_BY_ACTOR.has(effect.reason)) closedByActor.add(effect.taskId);
      if (effect.type === 'notice')
        for (const userId of effect.to)
          ops.push({ op: 'put', collection: USER_NOTICES, doc: this.noticeDoc(saved, effect, userId) });
    }
    const open = new Set<string>();
    for (const task of saved.state.tasks) {
      open.add(task.id);
      ops.push({ op: 'put', collection: TASKS, doc: this.taskDoc(saved, task) });
    }
    for (const task of before?.state.tasks ?? []) {
      if (open.has(task.id)) continue;
      ops.push({
        op: 'put',
        collection: TASKS,
        doc: this.closedTaskDoc(this.taskDoc(before as CaseDoc, task), saved, closedByActor, actorId),
      });
    }
    return ops;
  }

  private closedTaskDoc(row: TaskDoc, doc: CaseDoc, closedByActor: Set<string>, actorId: string | null): TaskDoc {
    return {
      ...row,
      status: 'closed',
      caseVersion: doc._v,
      closedAt: doc.updatedAt,
      closeReason: doc.status === 'active' ? 'closed' : doc.status,
      completedBy: actorId !== SYSTEM && closedByActor.has(row._id) ? actorId : null,
    };
  }

  private noticeDoc(
    saved: CaseDoc,
    effect: Extract<Effect, { type: 'notice' }>,
    userId: string,
  ): NewDoc<UserNoticeDoc> {
    return {
      _id: `${effect.taskId}:${effect.kind}:${userId}:${saved._v}`,
      userId,
      kind: effect.kind,
      caseId: saved._id,
      taskId: effect.taskId,
      elementId: effect.elementId,
      by: effect.by,
      at: saved.updatedAt,
      orgPath: saved.orgPath,
      itemKey: saved.itemKey,
      itemName: saved.itemName,
    };
  }

  /** Jobs and timers of a transition, for the queue (after the case is written; reconcile re-enqueues after a crash). */
  private async queueEffects(saved: CaseDoc, result: StepResult, before: CaseDoc | null): Promise<void> {
    const { queue, log } = this.deps;
    try {
      for (const effect of result.effects) {
        switch (effect.type) {
          case 'job.enqueued':
            await queue.enqueue({
              key: `job:${effect.jobKey}:${effect.attempt}`,
              name: SERVICE_TASK_JOB,
              payload: { caseId: saved._id, jobKey: effect.jobKey },
              runAt: new Date(effect.runAt),
            });
            break;
          case 'timer.scheduled':
            await queue.enqueue({
              key: `timer:${effect.timerId}@${effect.dueAt}`,
              name: TIMER_JOB,
              payload: { caseId: saved._id, timerId: effect.timerId },
              runAt: new Date(effect.dueAt),
            });
            break;
          case 'timer.cancelled': {
            const timer = before?.state.timers.find((t) => t.id === effect.timerId);
            if (timer) await queue.cancel(`timer:${timer.id}@${timer.dueAt}`);
            break;
          }
          case 'incident.raised':
            log.warn({ caseId: saved._id, incident: effect.incident }, 'case incident');
            break;
          default:
            break;
        }
      }
    } catch (err) {
      // The case itself is written; the queue is repaired by reconcile().
      log.error(
        { err, caseId: saved._id },
        'queueing the effects of a case transition failed; reconcile will repair them',
      );
    }
  }

  private auditEntry(
    saved: CaseDoc,
    result: StepResult,
    actorId: string,
    auditAction: string,
    before: CaseDoc | null,
  ): AuditInput {
    return {
      actorId,
      action: auditAction,
      subjectType: 'Case',
      subjectId: saved._id,
      orgPath: saved.orgPath,
      before: before
        ? { status: before.status, version: before._v, openTasks: before.state.tasks.map((t) => t.elementId) }
        : null,
      after: {
        status: saved.status,
        version: saved._v,
        openTasks: saved.state.tasks.map((t) => t.elementId),
        history: result.entries.map((e) => ({
          type: e.type,
          elementId: e.elementId,
          action: e.action,
          comment: e.comment,
          changes: e.changes,
        })),
      },
    };
  }

  /** Effects one after another after the case write (stores without atomic batches). */
  private async afterWrite(
    saved: CaseDoc,
    result: StepResult,
    actorId: string,
    auditAction: string,
    before: CaseDoc | null,
  ) {
    await this.queueEffects(saved, result, before);
    try {
      const closedByActor = new Set<string>();
      for (const effect of result.effects) {
        if (effect.type === 'task.closed' && CLOSED_BY_ACTOR.has(effect.reason)) closedByActor.add(effect.taskId);
        if (effect.type === 'notice')
          for (const userId of effect.to) await this.notices.put(this.noticeDoc(saved, effect, userId));
      }
      await this.syncTasks(saved, actorId === SYSTEM ? new Set() : closedByActor, actorId);
    } catch (err) {
      // The case itself is written; the projections are repaired by reconcile().
      this.deps.log.error(
        { err, caseId: saved._id },
        'effects of a case transition failed; reconcile will repair them',
      );
    }
    await this.deps.audit.record(this.auditEntry(saved, result, actorId, auditAction, before));
  }

  /** Makes the inbox projection of this case match its state (idempotent; older case versions never overwrite newer). */
  async syncTasks(doc: CaseDoc, closedByActor: Set<string> = new Set(), actorId: string | null = null): Promise<void> {
    const existing = await this.tasks.find({ caseId: doc._id }, { limit: 1000 });
    const byId = new Map(existing.items.map((t) => [t._id, t]));
    const open = new Set(doc.state.tasks.map((t) => t.id));
    for (const task of doc.state.tasks) {
      const current = byId.get(task.id);
      if (current && current.caseVersion > doc._v) continue;
      await this.tasks.put(this.taskDoc(doc, task, current));
    }
    for (const row of existing.items) {
      if (row.status !== 'open' || open.has(row._id) || row.caseVersion > doc._v) continue;
      await this.tasks.put(this.closedTaskDoc(row, doc, closedByActor, actorId));
    }
  }

  private taskDoc(doc: CaseDoc, task: TaskState, current?: TaskDoc): TaskDoc {
    return {
      _id: task.id,
      _v: current?._v ?? 0,
      caseId: doc._id,
      caseVersion: doc._v,
      itemKey: doc.itemKey,
      itemName: doc.itemName,
      elementId: task.elementId,
      name: task.name,
      kind: task.kind,
      candidateRoles: task.roles,
      level: (task.level as TaskDoc['level']) ?? null,
      unitId: unitAtLevel(doc.orgPath, task.level),
      orgPath: doc.orgPath,
      assignee: task.assignee,
      owner: task.owner,
      dueAt: task.dueAt,
      createdAt: task.createdAt,
      status: 'open',
      closedAt: null,
      closeReason: null,
      completedBy: null,
      applicantName: doc.applicantName,
    };
  }

  /**
   * Start-up repair after a crash between a case write and its effects: re-enqueue every pending
   * job and timer (the queue ignores keys it already has) and rebuild the inbox rows.
   *
   * Where the store's writes are atomic (embedded) the inbox rows and notices were written in the
   * case's own transaction, so there is nothing to rebuild: only the cases with pending work
   * (`pendingWork`, indexed) are read, not every open case. Elsewhere (mongodb) the open cases'
   * inbox rows are rebuilt too.
   */
  async reconcile(): Promise<{ cases: number }> {
    const projectionsAtomic = this.deps.store.atomicWrites && !!this.deps.audit.recordWith;
    const filter: Filter = projectionsAtomic
      ? { pendingWork: true }
      : { $or: [{ pendingWork: true }, { status: 'active' }] };
    let cursor: string | null = null;
    let n = 0;
    do {
      const page: Page<CaseDoc> = await this.cases.find(filter, { limit: 200, cursor, sort: { _id: 1 } });
      for (const doc of page.items) {
        n++;
        for (const job of doc.state.jobs) {
          if (job.state !== 'pending') continue;
          await this.deps.queue.enqueue({
            key: `job:${job.key}:${job.attempt}`,
            name: SERVICE_TASK_JOB,
            payload: { caseId: doc._id, jobKey: job.key },
            runAt: new Date(job.runAt),
          });
        }
        for (const timer of doc.state.timers) {
          await this.deps.queue.enqueue({
            key: `timer:${timer.id}@${timer.dueAt}`,
            name: TIMER_JOB,
            payload: { caseId: doc._id, timerId: timer.id },
            runAt: new Date(timer.dueAt),
          });
        }
        if (!projectionsAtomic) await this.syncTasks(doc);
      }
      cursor = page.nextCursor;
    } while (cursor);
    return { cases: n };
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export type { SubjectType };
