/**
 * Crash recovery: the engine runs as a child process (embedded store, inline queue) while the test
 * drives a run of cases over HTTP, and is SIGKILLed at random moments. After each kill the store
 * is checked as the dead process left it, then the engine restarts on the same data dir and the
 * store is checked again once `reconcile()` has run:
 *
 * - every case is at a consistent wait state (`checkInvariants` with the model), and the parallel
 *   region holds exactly one token per branch (none lost, none duplicated);
 * - after the restart every pending job and timer of an active case is in the `jobs` collection,
 *   and the inbox rows (`tasks`) are exactly the open tasks of each case;
 * - at the end every case completes, each step advanced exactly once (one economic-check result,
 *   one timer firing, one completion per user task), so timers fired after the restarts too.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseBpmn } from '../../src/bpmn/parse.js';
import type { CaseDoc, TaskDoc } from '../../src/modules/cases/model.js';
import { checkInvariants, compileBpmn, type InstanceState, type ProcessModel } from '../../src/runtime/index.js';
import {
  call,
  type EngineProcess,
  killAll,
  login,
  residentId,
  simpleForm,
  startEngine,
  writeItem,
} from '../engine-process.js';

const ITEM = 'crash-aid';
const PASSWORD = 'Crash#Test2026';
const CASES = Number(process.env.MINFLOW_CRASH_CASES ?? 32);
const ROUNDS = Number(process.env.MINFLOW_CRASH_ROUNDS ?? 5);

/** check (service task) → accept → fork: [investigate] ‖ [PT2S timer → review] → join → county approval. */
const bpmn = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:minflow="http://minflow.dev/schema/bpmn/1.0" id="Defs" targetNamespace="http://minflow.dev/test">
  <bpmn:process id="CrashAid" isExecutable="true">
    <bpmn:startEvent id="Start"/>
    <bpmn:serviceTask id="Check" name="经济状况核对" minflow:handler="economic-check" minflow:retries="3" minflow:backoff="PT1S"/>
    <bpmn:userTask id="Accept" name="受理" minflow:roles="township-staff" minflow:level="township"/>
    <bpmn:parallelGateway id="Fork"/>
    <bpmn:userTask id="Investigate" name="入户调查" minflow:roles="investigator" minflow:level="township"/>
    <bpmn:intermediateCatchEvent id="Cooling" name="等待2秒">
      <bpmn:timerEventDefinition><bpmn:timeDuration>PT2S</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:userTask id="Review" name="材料复核" minflow:roles="township-staff" minflow:level="township"/>
    <bpmn:parallelGateway id="Join"/>
    <bpmn:userTask id="Approve" name="县级审批" minflow:roles="county-approver" minflow:level="county"/>
    <bpmn:endEvent id="End"/>
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Check"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Check" targetRef="Accept"/>
    <bpmn:sequenceFlow id="F3" sourceRef="Accept" targetRef="Fork"/>
    <bpmn:sequenceFlow id="FA" sourceRef="Fork" targetRef="Investigate"/>
    <bpmn:sequenceFlow id="FB" sourceRef="Fork" targetRef="Cooling"/>
    <bpmn:sequenceFlow id="FB2" sourceRef="Cooling" targetRef="Review"/>
    <bpmn:sequenceFlow id="JA" sourceRef="Investigate" targetRef="Join"/>
    <bpmn:sequenceFlow id="JB" sourceRef="Review" targetRef="Join"/>
    <bpmn:sequenceFlow id="F4" sourceRef="Join" targetRef="Approve"/>
    <bpmn:sequenceFlow id="F5" sourceRef="Approve" targetRef="End"/>
  </bpmn:process>
</bpmn:definitions>`;

/** Who acts on each user task. */
const ACTOR: Record<string, 'township' | 'county'> = {
  Accept: 'township',
  Investigate: 'township',
  Review: 'township',
  Approve: 'county',
};

interface Snapshot {
  cases: CaseDoc[];
  jobKeys: Set<string>;
  inbox: TaskDoc[];
}

/** Reads cases, jobs and inbox rows in ONE read transaction (a consistent snapshot, even while the engine runs). */
function snapshot(dataDir: string): Snapshot {
  const db = new Database(path.join(dataDir, 'minflow.sqlite'), { timeout: 10_000 });
  try {
    const read = db.transaction(() => {
      const rows = (table: string) =>
        (db.prepare(`SELECT id, v, doc FROM "c_${table}"`).all() as Array<{ id: string; v: number; doc: string }>).map(
          (r) => ({ _id: r.id, _v: r.v, ...JSON.parse(r.doc) }),
        );
      return {
        cases: rows('cases') as CaseDoc[],
        jobKeys: new Set((db.prepare('SELECT id FROM "c_jobs"').all() as Array<{ id: string }>).map((r) => r.id)),
        inbox: rows('tasks') as TaskDoc[],
      };
    });
    return read.deferred();
  } finally {
    db.close();
  }
}

/** Structural problems of one case as the store holds it. */
function caseProblems(doc: CaseDoc, model: ProcessModel): string[] {
  const s: InstanceState = doc.state;
  const problems = checkInvariants(s, model).map((p) => `${doc._id}: ${p}`);
  if (s.status !== 'active') return problems;
  // The parallel region: once the fork fired, exactly one token per branch until the join fires.
  const root = s.tokens.filter((t) => t.scope === 'root');
  const branchA = root.filter((t) => t.node === 'Investigate' || (t.node === 'Join' && t.via === 'JA'));
  const branchB = root.filter((t) => ['Cooling', 'Review'].includes(t.node) || (t.node === 'Join' && t.via === 'JB'));
  const outside = root.filter((t) => ['Check', 'Accept', 'Approve'].includes(t.node));
  if (outside.length + (branchA.length || branchB.length ? 1 : 0) !== 1 || branchA.length > 1 || branchB.length > 1)
    problems.push(`${doc._id}: tokens ${JSON.stringify(root.map((t) => [t.node, t.via]))}`);
  if ((branchA.length === 0) !== (branchB.length === 0))
    problems.push(`${doc._id}: a parallel branch lost its token: ${JSON.stringify(root.map((t) => t.node))}`);
  return problems;
}

/** After reconcile: every pending job/timer of an active case is queued, and the inbox rows match the open tasks. */
function effectProblems(snap: Snapshot): string[] {
  const problems: string[] = [];
  const rowsByCase = new Map<string, TaskDoc[]>();
  for (const row of snap.inbox) rowsByCase.set(row.caseId, [...(rowsByCase.get(row.caseId) ?? []), row]);
  for (const doc of snap.cases) {
    const s = doc.state;
    for (const job of s.jobs) {
      if (job.state === 'pending' && !snap.jobKeys.has(`job:${job.key}:${job.attempt}`))
        problems.push(`${doc._id}: job ${job.key} attempt ${job.attempt} is not queued`);
    }
    for (const timer of s.timers) {
      if (!snap.jobKeys.has(`timer:${timer.id}@${timer.dueAt}`))
        problems.push(`${doc._id}: timer ${timer.id} due ${timer.dueAt} is not queued`);
    }
    const openRows = (rowsByCase.get(doc._id) ?? [])
      .filter((r) => r.status === 'open')
      .map((r) => `${r._id}@${r.assignee ?? '-'}`)
      .sort();
    const openTasks = s.tasks.map((t) => `${t.id}@${t.assignee ?? '-'}`).sort();
    if (JSON.stringify(openRows) !== JSON.stringify(openTasks))
      problems.push(`${doc._id}: inbox rows ${JSON.stringify(openRows)} but open tasks ${JSON.stringify(openTasks)}`);
  }
  return problems;
}

/**
 * Files CASES cases (idempotency keys, so a filing cut by a crash is simply repeated) and acts on
 * every open task as its user, with several clients at once, until `stop()` or every case ended.
 * Requests cut by the crash answer status 0; 409s from concurrent clients are expected.
 */
function drive(engine: EngineProcess, tokens: Record<string, string>, ids: Array<string | null>) {
  let stopped = false;
  const unexpected: string[] = [];
  const expectStatus = (what: string, res: { status: number; body: unknown }, ok: number[]) => {
    if (res.status === 0 || ok.includes(res.status) || stopped) return;
    unexpected.push(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    stopped = true; // a wrong answer fails the test: stop driving
  };
  const worker = async (w: number, workers: number) => {
    while (!stopped) {
      let active = 0;
      for (let i = w; i < ids.length && !stopped; i += workers) {
        if (ids[i] === null) {
          const res = await call(
            engine.url,
            tokens.township,
            'POST',
            '/api/cases',
            {
              itemKey: ITEM,
              data: { name: `申请人${i}`, idNumber: residentId('620422', '19560101', String(100 + i)) },
            },
            { 'idempotency-key': `crash-case-${i}` },
          );
          expectStatus(`file ${i}`, res, [200, 201]);
          if (res.status === 200 || res.status === 201) ids[i] = res.body.id;
          active++;
          continue;
        }
        const res = await call(engine.url, tokens.township, 'GET', `/api/cases/${ids[i]}`);
        if (res.status !== 200) {
          expectStatus(`read ${ids[i]}`, res, []);
          active++;
          continue;
        }
        if (res.body.status !== 'active') continue;
        active++;
        for (const task of res.body.openTasks as Array<{ id: string; elementId: string }>) {
          const who = ACTOR[task.elementId];
          const done = await call(engine.url, tokens[who], 'POST', `/api/tasks/${task.id}/complete`, {
            action: 'approve',
          });
          expectStatus(`complete ${task.id}`, done, [200, 409]);
        }
      }
      if (active === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const workers = 6;
  const finished = Promise.all(Array.from({ length: workers }, (_, w) => worker(w, workers)));
  return {
    finished,
    unexpected,
    stop: async () => {
      stopped = true;
      await finished;
    },
  };
}

describe('crash recovery (SIGKILL during a run of cases, restart on the same data dir)', () => {
  let root = '';
  let dataDir = '';
  let env: Record<string, string> = {};
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'minflow-crash-'));
    dataDir = path.join(root, 'data');
    const defsDir = path.join(root, 'definitions');
    writeItem(defsDir, ITEM, { name: '崩溃恢复测试', startLevels: ['township'], formSchema: simpleForm, bpmn });
    env = {
      MINFLOW_DATA_DIR: dataDir,
      MINFLOW_DEFINITIONS_DIR: defsDir,
      MINFLOW_DEMO_PASSWORD: PASSWORD,
      // A service task running at a kill is redelivered when its lease runs out: 3 s here, not 60.
      MINFLOW_QUEUE_LEASE_MS: '3000',
      REDIS_URL: '',
      MONGODB_URL: '',
    };
  });
  afterEach(killAll);
  afterAll(async () => {
    await killAll();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it(`keeps ${CASES} cases consistent through ${ROUNDS} kills, and finishes every one of them exactly once`, async () => {
    const model = compileBpmn(await parseBpmn(bpmn));
    const ids: Array<string | null> = Array.from({ length: CASES }, () => null);
    let timersAtKill = 0;
    let engine = await startEngine(env);
    await engine.waitFor(/cases reconciled/);
    const tokens: Record<string, string> = {
      township: await login(engine.url, 'township', PASSWORD),
      county: await login(engine.url, 'county', PASSWORD),
    };

    for (let round = 0; round < ROUNDS; round++) {
      const run = drive(engine, tokens, ids);
      // A random moment: early rounds catch filings and service tasks, later ones tasks and timers.
      await new Promise((r) => setTimeout(r, 150 + Math.random() * 1200));
      await engine.kill('SIGKILL');
      await run.stop();
      expect(run.unexpected).toEqual([]);

      // As the dead process left it: every case at a consistent wait state.
      const dead = snapshot(dataDir);
      expect(dead.cases.flatMap((d) => caseProblems(d, model))).toEqual([]);
      timersAtKill += dead.cases.reduce((n, d) => n + d.state.timers.length, 0);

      engine = await startEngine(env);
      await engine.waitFor(/cases reconciled/);
      // Once reconciled: effects repaired (jobs and timers queued, inbox rows rebuilt).
      const healed = snapshot(dataDir);
      expect(healed.cases.flatMap((d) => caseProblems(d, model))).toEqual([]);
      expect(effectProblems(healed)).toEqual([]);
    }

    // The kills did catch cases waiting on their timer (which must then fire after a restart).
    expect(timersAtKill).toBeGreaterThan(0);

    // Sessions live in the store: the tokens from before the crashes still work.
    const run = drive(engine, tokens, ids);
    const deadline = setTimeout(() => void run.stop(), 60_000);
    await run.finished;
    clearTimeout(deadline);
    expect(run.unexpected).toEqual([]);

    const final = snapshot(dataDir);
    const mine = final.cases.filter((d) => d.itemKey === ITEM);
    expect(mine).toHaveLength(CASES);
    const stuck = mine.filter((d) => d.status !== 'completed').map((d) => [d._id, d.status, d.state.tokens]);
    expect(stuck).toEqual([]);
    for (const doc of mine) {
      expect(checkInvariants(doc.state, model)).toEqual([]);
      const h = doc.state.history;
      const steps = {
        check: h.filter((e) => e.type === 'job.completed' && e.elementId === 'Check').length,
        timer: h.filter((e) => e.type === 'timer.fired' && e.elementId === 'Cooling').length,
        tasks: ['Accept', 'Investigate', 'Review', 'Approve'].map(
          (el) => h.filter((e) => e.type === 'task.completed' && e.elementId === el).length,
        ),
        joined: h.filter((e) => e.type === 'gateway.joined' && e.elementId === 'Join').length,
      };
      expect(steps, doc._id).toEqual({ check: 1, timer: 1, tasks: [1, 1, 1, 1], joined: 1 });
      expect(doc.state.variables.Check).toMatchObject({ passed: true, reportNo: expect.stringMatching(/^HD-/) });
    }
    // Nothing left behind in the queue. A row may outlive its case for a moment where a worker was
    // killed after its case write but before removing the row: once the lease runs out it is
    // redelivered, finds the job no longer pending (a no-op) and is removed.
    const leftJobs = async () => {
      const until = Date.now() + 15_000;
      for (;;) {
        const left = [...snapshot(dataDir).jobKeys].filter((k) => mine.some((d) => k.includes(d._id)));
        if (!left.length || Date.now() > until) return left;
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    expect(await leftJobs()).toEqual([]);
    expect(final.inbox.filter((r) => r.status === 'open')).toEqual([]);

    const exited = engine.exited;
    engine.child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 150_000);
});
