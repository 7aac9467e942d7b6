/**
 * In-process case benchmark (`npm run bench -- cases`): the same 5-step approval as the HTTP
 * benchmark, through `app.inject()` (routing, schemas, auth, permissions, runtime, store, audit;
 * no sockets), one request at a time on the embedded store. Prints the engine's CPU time per case
 * (other load on the machine moves it much less than wall time: compare changes with it), and the
 * mean time per request kind. BENCH_CASES (default 300) cases after BENCH_CASES_WARMUP (default 50).
 * BENCH_CASES_PROFILE=<file.cpuprofile>: a V8 CPU profile of the measured cases only (no start-up).
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildApp } from '../src/app.js';
import { ITEM, PASSWORD, residentId, STEPS, TARGET_CASES_PER_S, writeApprovalItem } from './approval.js';

const CASES = Number(process.env.BENCH_CASES ?? 300);
const WARMUP = Number(process.env.BENCH_CASES_WARMUP ?? 50);
/** Cases in flight at once (default 1: one request at a time; more shows what concurrent requests share, e.g. commits). */
const CONCURRENCY = Math.max(1, Number(process.env.BENCH_CASES_CONCURRENCY ?? 1));

const fmt = (n: number, digits = 2) => n.toLocaleString('en-US', { maximumFractionDigits: digits });
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export async function run(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'minflow-bench-cases-'));
  writeApprovalItem(path.join(root, 'definitions'));
  const app = await buildApp({
    env: {},
    config: {
      dataDir: path.join(root, 'data'),
      definitionsDir: path.join(root, 'definitions'),
      mongodbUrl: null,
      redisUrl: null,
      seedDemo: true,
      production: false,
      demoPassword: PASSWORD,
    },
    logger: { level: 'warn' },
  });
  try {
    await app.ready();
    const auth: Record<string, Record<string, string>> = {};
    for (const user of ['township', 'county']) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: user, password: PASSWORD },
      });
      if (res.statusCode !== 200) throw new Error(`login ${user}: ${res.statusCode} ${res.body}`);
      auth[user] = { authorization: `Bearer ${res.json().token as string}` };
    }
    // The item is imported and published in the background on first start.
    for (let i = 0; ; i++) {
      const res = await app.inject({ method: 'GET', url: `/api/items/${ITEM}`, headers: auth.township });
      if (res.statusCode === 200) break;
      if (i > 300) throw new Error(`item ${ITEM} was not published: ${res.body}`);
      await new Promise((r) => setTimeout(r, 100));
    }

    const kinds = ['submit', ...STEPS.map((s) => `complete ${s.element}`)];
    const wall = new Map<string, number>(kinds.map((k) => [k, 0]));
    const runId = Date.now().toString(36);
    const oneCase = async (i: number) => {
      const timed = async (kind: string, fn: () => Promise<{ statusCode: number; body: string; json(): unknown }>) => {
        const t0 = performance.now();
        const res = await fn();
        wall.set(kind, (wall.get(kind) ?? 0) + performance.now() - t0);
        if (res.statusCode !== 200 && res.statusCode !== 201)
          throw new Error(`case ${i} ${kind}: ${res.statusCode} ${res.body.slice(0, 300)}`);
        return res.json() as { status: string; openTasks: { id: string; elementId: string }[] };
      };
      let body = await timed('submit', () =>
        app.inject({
          method: 'POST',
          url: '/api/cases',
          headers: { ...auth.township, 'idempotency-key': `bench-${runId}-${i}` },
          payload: { itemKey: ITEM, data: { name: `申请人${i}`, idNumber: residentId(i) } },
        }),
      );
      for (const step of STEPS) {
        const task = body.openTasks.find((t) => t.elementId === step.element);
        if (!task) throw new Error(`case ${i}: no open ${step.element}`);
        body = await timed(`complete ${step.element}`, () =>
          app.inject({
            method: 'POST',
            url: `/api/tasks/${encodeURIComponent(task.id)}/complete`,
            headers: auth[step.user],
            payload: { action: 'approve' },
          }),
        );
      }
      if (body.status !== 'completed') throw new Error(`case ${i} did not complete: ${body.status}`);
    };

    for (let i = 0; i < WARMUP; i++) await oneCase(i);
    for (const k of kinds) wall.set(k, 0);
    const profileFile = process.env.BENCH_CASES_PROFILE;
    const session = profileFile ? new Session() : null;
    if (session) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    const c0 = cpuNow();
    const t0 = performance.now();
    let next = WARMUP;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < WARMUP + CASES) await oneCase(next++);
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const perCase = (cpuNow() - c0) / CASES;
    if (session && profileFile) {
      const { profile } = await session.post('Profiler.stop');
      fs.writeFileSync(profileFile, JSON.stringify(profile));
      session.disconnect();
    }
    console.log(
      `${fmt(CASES, 0)} cases (5 requests each) ${CONCURRENCY === 1 ? 'one at a time' : `${CONCURRENCY} at a time`} through app.inject() in ${fmt(seconds)} s; embedded store, inline queue`,
    );
    console.log(
      `  CPU ${fmt(perCase)} ms per case (${fmt(perCase / 5)} ms per request): ${fmt(1000 / perCase, 0)} cases/s per fully used core; load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    // 300 cases/s on one core leaves 3.33 ms of CPU per case (with N engine processes on N free cores, N times that).
    const budget = 1000 / TARGET_CASES_PER_S;
    console.log(
      `  target ${TARGET_CASES_PER_S} cases/s = ${fmt(budget)} ms CPU per case per core: ${fmt(perCase / budget)}× that budget ` +
        `(${perCase <= budget ? 'met' : 'NOT met'} on one core)`,
    );
    for (const k of kinds)
      console.log(`  ${k.padEnd(22)} ${fmt((wall.get(k) ?? 0) / CASES).padStart(6)} ms per request`);
  } finally {
    await app.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
