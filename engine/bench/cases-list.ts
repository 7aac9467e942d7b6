/**
 * Case list benchmark (`npm run bench -- casesList`): what a township clerk opens dozens of times
 * a day, on a large embedded store. Builds a store of BENCH_CASES (default 100,000) case documents
 * shaped like the engine's (orgPath arrays village → city, ccUserIds, person ids, a form's data,
 * history, the runtime state with open tasks and pending timers) and their inbox rows, written
 * straight through the store port (`insertMany`, fast); BENCH_TOWNSHIP_SHARE (default 0.15) of the
 * cases are in the township user's township, most of them open with a task in its 待办 (≈10,000
 * at 100k), and some of the other townships' cases carbon-copy the township user.
 *
 * Then, through the HTTP API (`app.inject`) as `township`, it prints p50/p95 over BENCH_RUNS
 * (default 30) requests for: the case list's first page and the next page (`GET /api/cases`,
 * 20 per page), the 待办 first page (`GET /api/tasks?box=todo`), the box counts
 * (`GET /api/tasks/counts`), and the engine's start-up to ready on that store (plus how long after ready
 * the start-up reconcile, which runs in the background, finished), against the targets with the ratio achieved.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { openEmbeddedStore } from '../src/infra/store/embedded.js';
import type { StoredDoc } from '../src/infra/store/port.js';
import { rng } from './store.js';

const CASES = Number(process.env.BENCH_CASES ?? 100_000);
const SHARE = Number(process.env.BENCH_TOWNSHIP_SHARE ?? 0.15);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const PASSWORD = 'Bench-Demo-Passw0rd';
const TARGETS = { list: 50, inbox: 50, counts: 100, startup: 10_000 };

const ITEMS = [
  ['dibao-rural', '农村最低生活保障'],
  ['elderly-allowance', '高龄津贴'],
  ['medical-aid', '医疗救助'],
  ['low-income', '低收入家庭认定'],
  ['temporary-aid', '临时救助'],
] as const;
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英';

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

interface Township {
  id: string;
  path: string[];
}

/** The store the demo seed made (org tree, users), then BENCH_CASES cases and their inbox rows. */
async function fill(dataDir: string, township: Township & { userId: string }, others: Township[]) {
  const store = openEmbeddedStore(dataDir);
  const cases = store.collection('cases');
  const tasks = store.collection('tasks');
  const rand = rng(42);
  const base = Date.parse('2026-11-20T00:00:00Z');
  let openTownshipTasks = 0;
  const t0 = performance.now();
  for (let start = 0; start < CASES; start += 1000) {
    const caseBatch: StoredDoc[] = [];
    const taskBatch: StoredDoc[] = [];
    for (let i = start; i < Math.min(CASES, start + 1000); i++) {
      const mine = rand() < SHARE;
      const unit = mine ? township : others[Math.floor(rand() * others.length)];
      const orgPath = [...unit.path, `${unit.id}/v${1 + Math.floor(rand() * 4)}`];
      const [itemKey, itemName] = ITEMS[Math.floor(rand() * ITEMS.length)];
      const createdAt = new Date(base - Math.floor(rand() * 730 * 86_400_000)).toISOString();
      const open = mine ? rand() < 0.7 : rand() < 0.1;
      const timer = rand() < 0.05;
      const cc = !mine && rand() < 0.01 ? [township.userId] : [];
      const name = `${SURNAMES[Math.floor(rand() * SURNAMES.length)]}${GIVEN[Math.floor(rand() * GIVEN.length)]}${GIVEN[Math.floor(rand() * GIVEN.length)]}`;
      const idNumber = `620422${1940 + Math.floor(rand() * 60)}0101${String(i % 10000).padStart(4, '0')}`;
      const id = `c${String(i).padStart(8, '0')}`;
      const taskId = `${id}:task1`;
      const dueAt = new Date(Date.parse(createdAt) + 15 * 86_400_000).toISOString();
      const household = Array.from({ length: 1 + Math.floor(rand() * 4) }, (_, k) => ({
        name: `${name}${k}`,
        relation: k ? '子女' : '本人',
        idNumber: `${idNumber.slice(0, 14)}${String(k).padStart(4, '0')}`,
        income: Math.floor(rand() * 800),
      }));
      const history = Array.from({ length: 3 + Math.floor(rand() * 5) }, (_, k) => ({
        seq: k + 1,
        type: 'task.completed',
        elementId: `step${k}`,
        at: createdAt,
        userId: 'User-township',
        action: 'approve',
        comment: '情况属实，同意。',
      }));
      const openTask = {
        id: taskId,
        elementId: 'review',
        name: '乡镇审核',
        kind: 'user',
        roles: ['township-staff'],
        level: 'township',
        assignee: null,
        owner: null,
        dueAt,
        createdAt,
      };
      caseBatch.push({
        _id: id,
        _v: 1,
        itemKey,
        itemName: { zh: itemName },
        definitionVersion: 1,
        orgUnitId: orgPath[orgPath.length - 1],
        orgPath,
        status: open ? 'active' : 'completed',
        createdBy: 'User-township',
        createdAt,
        updatedAt: createdAt,
        endedAt: open ? null : createdAt,
        applicantName: name,
        applicantIdNumber: idNumber,
        personIds: household.map((h) => h.idNumber).sort(),
        ccUserIds: cc,
        openTaskCount: open ? 1 : 0,
        incidentCount: 0,
        pendingWork: timer,
        idempotency: null,
        state: {
          schema: 1,
          processId: itemKey,
          version: 1,
          status: open ? 'active' : 'completed',
          initiator: 'User-township',
          startedAt: createdAt,
          endedAt: open ? null : createdAt,
          outcome: null,
          data: { applicant: { name, idNumber, phone: '13800000000', address: '会宁县会师镇东关村' }, household },
          variables: { orgUnitId: orgPath[orgPath.length - 1], initiator: 'User-township' },
          tokens: [],
          scopes: [],
          tasks: open ? [openTask] : [],
          timers: timer
            ? [{ id: `${id}:timer1`, elementId: 'publicity', dueAt: new Date(base + 7 * 86_400_000).toISOString() }]
            : [],
          jobs: [],
          messages: [],
          incidents: [],
          ccs: cc.map((userId) => ({ userId, at: createdAt })),
          history,
          seq: history.length + 1,
        },
      });
      if (!open) continue;
      if (mine) openTownshipTasks++;
      taskBatch.push({
        _id: taskId,
        _v: 1,
        caseId: id,
        caseVersion: 1,
        itemKey,
        itemName: { zh: itemName },
        elementId: 'review',
        name: '乡镇审核',
        kind: 'user',
        candidateRoles: ['township-staff'],
        level: 'township',
        unitId: unit.id,
        orgPath,
        assignee: null,
        owner: null,
        dueAt,
        createdAt,
        status: 'open',
        closedAt: null,
        closeReason: null,
        completedBy: null,
        applicantName: name,
      });
    }
    await cases.insertMany(caseBatch);
    await tasks.insertMany(taskBatch);
  }
  const seconds = (performance.now() - t0) / 1000;
  await store.close();
  return { openTownshipTasks, seconds };
}

/** Starts the engine on the store; `onReconcile` gets when the start-up reconcile logged it was done. */
async function start(
  dataDir: string,
  onReconcile?: (done: Promise<{ at: number; cases: number }>) => void,
): Promise<FastifyInstance> {
  let resolve: (v: { at: number; cases: number }) => void = () => {};
  onReconcile?.(new Promise((r) => (resolve = r)));
  // The engine logs at `info` into this stream only to see the reconcile's "cases reconciled" line.
  const stream = {
    write(line: string) {
      if (line.includes('cases reconciled'))
        resolve({ at: performance.now(), cases: JSON.parse(line).cases as number });
    },
  };
  const app = await buildApp({
    env: {},
    config: {
      dataDir,
      mongodbUrl: null,
      redisUrl: null,
      seedDemo: true,
      production: false,
      demoPassword: PASSWORD,
      definitionsDir: null,
    },
    logger: onReconcile ? { level: 'info', stream } : false,
  });
  await app.ready();
  return app;
}

export async function run(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'minflow-bench-cases-'));
  try {
    // 1. The demo org tree and users (an empty store's first start), then the cases.
    let app = await start(dataDir);
    const user = (await app.store.collection('users').findOne({ username: 'township' })) as unknown as {
      _id: string;
      orgUnitId: string;
      orgPath: string[];
    };
    await app.close();
    const township = { id: user.orgUnitId, path: user.orgPath, userId: user._id };
    const county = user.orgPath.slice(0, -1);
    const others = Array.from({ length: 14 }, (_, k) => ({
      id: `${county[county.length - 1]}/t${k}`,
      path: [...county, `${county[county.length - 1]}/t${k}`],
    }));
    const filled = await fill(dataDir, township, others);
    console.log(
      `${CASES.toLocaleString('en')} cases written in ${filled.seconds.toFixed(1)} s; township's 待办: ${filled.openTownshipTasks.toLocaleString('en')} open tasks`,
    );

    // 2. Start-up to ready on the large store (the reconcile then runs in the background; timed from its log line).
    let reconciledAt: Promise<{ at: number; cases: number }> = Promise.resolve({ at: 0, cases: 0 });
    const t0 = performance.now();
    app = await start(dataDir, (done) => {
      reconciledAt = done;
    });
    const startup = performance.now() - t0;
    const reconciled = await reconciledAt;
    const reconcile = reconciled.at - startup - t0;

    // 3. The clerk's requests.
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'township', password: PASSWORD },
    });
    const headers = { authorization: `Bearer ${login.json().token as string}` };
    const get = async (url: string) => {
      const t = performance.now();
      const res = await app.inject({ method: 'GET', url, headers });
      const ms = performance.now() - t;
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      return { ms, body: res.json() as { items?: unknown[]; nextCursor?: string | null; todo?: number } };
    };
    const first = await get('/api/cases?limit=20');
    const next = `/api/cases?limit=20&cursor=${encodeURIComponent(first.body.nextCursor as string)}`;
    const counts = (await get('/api/tasks/counts')).body;
    const queries: [string, string, number][] = [
      ['case list, first page', '/api/cases?limit=20', TARGETS.list],
      ['case list, next page', next, TARGETS.list],
      ['待办 first page', '/api/tasks?box=todo&limit=20', TARGETS.inbox],
      ['task counts', '/api/tasks/counts', TARGETS.counts],
    ];
    console.log(`township: ${JSON.stringify(counts)}`);
    console.log('| request | p50 | p95 | target (p95) | p95 / target |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const [label, url, target] of queries) {
      await get(url);
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) times.push((await get(url)).ms);
      times.sort((a, b) => a - b);
      const p95 = pct(times, 95);
      console.log(
        `| ${label} | ${pct(times, 50).toFixed(1)} ms | ${p95.toFixed(1)} ms | < ${target} ms | ${(p95 / target).toFixed(2)} |`,
      );
    }
    console.log(
      `| engine start-up to ready | | ${(startup / 1000).toFixed(2)} s | < ${TARGETS.startup / 1000} s | ${(startup / TARGETS.startup).toFixed(2)} |`,
    );
    console.log(
      `start-up reconcile (in the background): ${reconciled.cases.toLocaleString('en')} cases with pending work, ${reconcile <= 0 ? 'done within the start-up' : `done ${(reconcile / 1000).toFixed(2)} s after ready`}`,
    );
    await app.close();
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
