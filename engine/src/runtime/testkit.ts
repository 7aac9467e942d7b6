import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBpmn } from '../bpmn/parse.js';
import { ManualClock } from '../infra/clock.js';
import type { Actor, Effect, RuntimeContext, StepResult, TaskInput } from './interpreter.js';
import { checkInvariants } from './invariants.js';
import { compile, type ProcessModel } from './model.js';
import {
  claimTask,
  completeJob,
  completeTask,
  correlateMessage,
  failJob,
  fireTimer,
  resolveIncident,
  start,
  withdraw,
} from './operations.js';
import type { InstanceState, TaskState } from './state.js';

/**
 * Test support for the runtime and for the cases module's tests: loads fixtures and drives one
 * instance the way the cases module will (state → operation → JSON round-trip, as if written to
 * and read back from the store), checking the invariants after every operation.
 */

const here = dirname(fileURLToPath(import.meta.url));

export async function loadFixture(name: string, version = 1): Promise<ProcessModel> {
  const xml = readFileSync(join(here, 'fixtures', `${name}.bpmn`), 'utf8');
  const model = compile(await parseBpmn(xml));
  model.version = version;
  return model;
}

export class Harness {
  state!: InstanceState;
  readonly clock: ManualClock;
  readonly ctx: RuntimeContext;
  /** Every effect so far, in order. */
  readonly effects: Effect[] = [];
  last!: StepResult;

  constructor(
    readonly model: ProcessModel,
    opts: { clock?: ManualClock; children?: ProcessModel[]; idPrefix?: string; maxSteps?: number } = {},
  ) {
    this.clock = opts.clock ?? new ManualClock('2026-03-02T01:00:00.000Z');
    const children = opts.children ?? [];
    this.ctx = {
      model,
      clock: this.clock,
      idPrefix: opts.idPrefix,
      maxSteps: opts.maxSteps,
      resolveModel: (id, version) =>
        children.find((m) => m.id === id && (version === null || (m.version ?? null) === version)),
    };
  }

  /** Applies a result as the cases module would: invariants hold, and the state is stored as JSON. */
  apply(r: StepResult): StepResult {
    const problems = checkInvariants(r.state, this.model);
    if (problems.length) throw new Error(`invariants violated:\n${problems.join('\n')}`);
    this.state = JSON.parse(JSON.stringify(r.state));
    this.effects.push(...r.effects);
    this.last = r;
    return r;
  }

  start(data: Record<string, unknown> = {}, initiator = 'applicant'): StepResult {
    return this.apply(start(this.ctx, { data, initiator }));
  }

  /** The one open task at an element (throws when there is not exactly one). */
  task(elementId: string): TaskState {
    const found = this.state.tasks.filter((t) => t.elementId === elementId);
    if (found.length !== 1) throw new Error(`expected one open task at ${elementId}, found ${found.length}`);
    return found[0]!;
  }

  openElements(): string[] {
    return this.state.tasks.map((t) => t.elementId).sort();
  }

  act(elementIdOrTask: string | TaskState, input: TaskInput, actor: Actor | string = 'staff'): StepResult {
    const task = typeof elementIdOrTask === 'string' ? this.task(elementIdOrTask) : elementIdOrTask;
    const who = typeof actor === 'string' ? { userId: actor } : actor;
    return this.apply(completeTask(this.state, this.ctx, task.id, input, who));
  }

  approve(elementId: string, data: Record<string, unknown> = {}, actor: Actor | string = 'staff'): StepResult {
    return this.act(elementId, { action: 'approve', data }, actor);
  }

  claim(elementId: string, actor: Actor | string): StepResult {
    const who = typeof actor === 'string' ? { userId: actor } : actor;
    return this.apply(claimTask(this.state, this.ctx, this.task(elementId).id, who));
  }

  withdraw(userId: string): StepResult {
    return this.apply(withdraw(this.state, this.ctx, { userId }));
  }

  /** Advances the clock and fires every timer that is due, oldest first, until none is. */
  advance(ms: number): StepResult[] {
    this.clock.advance(ms);
    const out: StepResult[] = [];
    for (;;) {
      const due = this.state.timers
        .filter((t) => Date.parse(t.dueAt) <= this.clock.now().getTime())
        .sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
      if (!due) return out;
      out.push(this.apply(fireTimer(this.state, this.ctx, due.id)));
    }
  }

  fire(timerId: string): StepResult {
    return this.apply(fireTimer(this.state, this.ctx, timerId));
  }

  message(name: string, payload: Record<string, unknown> = {}): StepResult {
    return this.apply(correlateMessage(this.state, this.ctx, name, payload));
  }

  job(elementId: string) {
    const job = this.state.jobs.find((j) => j.node === elementId);
    if (!job) throw new Error(`no job at ${elementId}`);
    return job;
  }

  completeJob(elementId: string, result: unknown = {}): StepResult {
    return this.apply(completeJob(this.state, this.ctx, this.job(elementId).key, result));
  }

  failJob(elementId: string, message = 'boom'): StepResult {
    return this.apply(failJob(this.state, this.ctx, this.job(elementId).key, { message }));
  }

  resolve(incidentId: string, variables?: Record<string, unknown>): StepResult {
    return this.apply(resolveIncident(this.state, this.ctx, incidentId, { userId: 'admin', variables }));
  }
}
