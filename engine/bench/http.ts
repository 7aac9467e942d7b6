/**
 * HTTP benchmark (`npm run bench -- http`): the engine as `npm start` runs it (a child process
 * listening on 127.0.0.1, embedded SQLite store and inline queue on a temp data dir), driven by
 * BENCH_HTTP_CLIENTS (default 50) concurrent clients in this process through keep-alive
 * connections. Each case is a 5-step approval: submit (POST /api/cases) and 4 task completions
 * (township accept → investigation → township review → county approval), each step acting on the
 * task returned by the previous response. BENCH_HTTP_CASES (default 1,000) cases are measured
 * after BENCH_HTTP_WARMUP (default 100) warm-up cases.
 *
 * Prints cases/s, requests/s and p50/p95/p99 latency per request kind, against the targets
 * (300 cases/s, p99 < 100 ms) with the ratio achieved. The engine logs at `warn` (no per-request
 * log lines), as a loaded production deployment would. BENCH_HTTP_PROFILE=<dir> writes the
 * engine's V8 CPU profile (open it in Chrome DevTools) to see where the time goes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { repoRoot } from '../src/config.js';
import { ITEM, PASSWORD, residentId, STEPS, TARGET_CASES_PER_S, TARGET_P99_MS, writeApprovalItem } from './approval.js';

const CASES = Number(process.env.BENCH_HTTP_CASES ?? 1000);
const WARMUP = Number(process.env.BENCH_HTTP_WARMUP ?? 100);
const CLIENTS = Number(process.env.BENCH_HTTP_CLIENTS ?? 50);
/** Engine processes (MINFLOW_WORKERS): 1 is what `npm start` runs by default. */
const WORKERS = Number(process.env.BENCH_HTTP_WORKERS ?? 1);

/** A free TCP port on 127.0.0.1 (the engine logs at `warn`, so it cannot announce the one it got). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts the engine and waits for /api/health; the child is killed if it does not come up. */
async function startEngine(env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  // BENCH_HTTP_PROFILE=<dir>: the engine writes a V8 CPU profile there when it stops.
  const profile = process.env.BENCH_HTTP_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_HTTP_PROFILE}`]
    : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(repoRoot, 'engine/src/main.ts')], {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', REDIS_URL: '', MONGODB_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // With MINFLOW_WORKERS > 1 the primary prints a line per worker that listens: wait for all of them.
  let listening = 0;
  child.stdout?.on('data', (chunk: Buffer) => {
    listening += chunk.toString().match(/engine worker \d+ listening/g)?.length ?? 0;
  });
  let errors = '';
  // Drain stderr so the engine never blocks on a full pipe; keep the tail for a start-up failure.
  child.stderr?.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-20_000);
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && child.exitCode === null) {
    const up = await fetch(`http://127.0.0.1:${port}/api/health`)
      .then((r) => r.ok)
      .catch(() => false);
    if (up && (WORKERS <= 1 || listening >= WORKERS)) return { child, port };
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`engine did not start on port ${port}:\n${errors}`);
}

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

function request(
  agent: http.Agent,
  port: number,
  method: 'GET' | 'POST',
  pathname: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<Reply> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: pathname,
        agent,
        headers: {
          ...headers,
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** `/proc/<pid>/stat` after the command name: state, ppid, ... utime (11), stime (12) in clock ticks. */
function statOf(pid: number | string): string[] | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(') ') + 2).split(' ');
  } catch {
    return null;
  }
}

/**
 * CPU time (user + system, ms) the engine has used so far: the process and its worker processes
 * (MINFLOW_WORKERS), threads included; null where /proc is not available.
 */
function cpuMs(pid: number | undefined): number | null {
  const root = pid === undefined ? null : statOf(pid);
  if (!root) return null;
  const ticks = (f: string[]) => Number(f[11]) + Number(f[12]);
  let total = ticks(root);
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const f = statOf(entry);
    if (f && Number(f[1]) === pid) total += ticks(f);
  }
  return (total * 1000) / 100;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

export async function run(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'minflow-bench-http-'));
  writeApprovalItem(path.join(root, 'definitions'));

  let child: ChildProcess | null = null;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  try {
    const started = await startEngine({
      MINFLOW_DATA_DIR: path.join(root, 'data'),
      MINFLOW_DEFINITIONS_DIR: path.join(root, 'definitions'),
      MINFLOW_DEMO_PASSWORD: PASSWORD,
      MINFLOW_WORKERS: String(WORKERS),
      LOG_LEVEL: 'warn',
    });
    child = started.child;
    const port = started.port;
    const auth: Record<string, Record<string, string>> = {};
    for (const user of ['township', 'county']) {
      const res = await request(agent, port, 'POST', '/api/auth/login', { username: user, password: PASSWORD }, {});
      if (res.status !== 200) throw new Error(`login ${user}: ${res.status} ${JSON.stringify(res.body)}`);
      auth[user] = { authorization: `Bearer ${res.body.token as string}` };
    }

    const kinds = ['submit', ...STEPS.map((s) => `complete ${s.element}`)];
    const latencies = new Map<string, number[]>(kinds.map((k) => [k, []]));
    const failures: string[] = [];
    const runId = Date.now().toString(36);

    /** One case through its 5 requests; returns whether it completed. */
    const oneCase = async (i: number, record: boolean): Promise<boolean> => {
      const timed = async (kind: string, fn: () => Promise<Reply>) => {
        const t0 = performance.now();
        const res = await fn();
        if (record) latencies.get(kind)?.push(performance.now() - t0);
        return res;
      };
      let res = await timed('submit', () =>
        request(
          agent,
          port,
          'POST',
          '/api/cases',
          { itemKey: ITEM, data: { name: `申请人${i}`, idNumber: residentId(i) } },
          { ...auth.township, 'idempotency-key': `bench-${runId}-${i}` },
        ),
      );
      for (const step of STEPS) {
        if (res.status !== 201 && res.status !== 200) {
          failures.push(`case ${i} before ${step.element}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
          return false;
        }
        const task = (res.body.openTasks as Array<{ id: string; elementId: string }>).find(
          (t) => t.elementId === step.element,
        );
        if (!task) {
          failures.push(`case ${i}: no open ${step.element}`);
          return false;
        }
        res = await timed(`complete ${step.element}`, () =>
          request(agent, port, 'POST', `/api/tasks/${task.id}/complete`, { action: 'approve' }, auth[step.user]),
        );
      }
      if (res.status !== 200 || res.body.status !== 'completed') {
        failures.push(`case ${i} did not complete: ${res.status} ${String(res.body.status)}`);
        return false;
      }
      return true;
    };

    const drive = async (from: number, count: number, record: boolean) => {
      let next = from;
      const end = from + count;
      let completed = 0;
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          while (next < end && failures.length < 20) {
            const i = next++;
            if (await oneCase(i, record)) completed++;
          }
        }),
      );
      return completed;
    };

    await drive(0, WARMUP, false);
    const cpu0 = cpuMs(child.pid);
    const t0 = performance.now();
    const completed = await drive(WARMUP, CASES, true);
    const seconds = (performance.now() - t0) / 1000;
    const cpu1 = cpuMs(child.pid);
    if (failures.length) throw new Error(`benchmark requests failed:\n${failures.slice(0, 10).join('\n')}`);

    const all = [...latencies.values()].flat().sort((a, b) => a - b);
    const casesPerS = completed / seconds;
    const p99 = percentile(all, 99);
    console.log(
      `${fmt(completed, 0)} cases (5 requests each) by ${CLIENTS} concurrent clients in ${fmt(seconds, 2)} s ` +
        `(after ${WARMUP} warm-up cases); embedded store, inline queue, ${WORKERS} engine process${WORKERS > 1 ? 'es' : ''} ` +
        `(MINFLOW_WORKERS), ${os.cpus().length} cores shared with this client`,
    );
    console.log(`  ${fmt(casesPerS)} cases/s, ${fmt(all.length / seconds, 0)} requests/s`);
    if (cpu0 !== null && cpu1 !== null) {
      // Less sensitive to other load on the machine than wall time: what one case costs the engine.
      const perCase = (cpu1 - cpu0) / completed;
      console.log(
        `  engine CPU ${fmt(perCase, 2)} ms per case (${fmt(perCase / 5, 2)} ms per request): ` +
          `at most ${fmt(1000 / perCase, 0)} cases/s per fully used core; load average ${os
            .loadavg()
            .map((l) => l.toFixed(1))
            .join(' ')}`,
      );
    }
    console.log(
      `  ${'request kind'.padEnd(22)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`,
    );
    for (const [kind, values] of [...latencies.entries(), ['all requests', all] as [string, number[]]]) {
      const sorted = [...values].sort((a, b) => a - b);
      console.log(
        `  ${kind.padEnd(22)} ${fmt(percentile(sorted, 50)).padStart(8)} ${fmt(percentile(sorted, 95)).padStart(8)} ${fmt(percentile(sorted, 99)).padStart(8)}`,
      );
    }
    console.log(
      `  target ${TARGET_CASES_PER_S} cases/s: ${fmt(casesPerS)} = ${fmt(casesPerS / TARGET_CASES_PER_S, 2)}× the target ` +
        `(${casesPerS >= TARGET_CASES_PER_S ? 'met' : 'NOT met'})`,
    );
    console.log(
      `  target p99 < ${TARGET_P99_MS} ms: ${fmt(p99)} ms = ${fmt(p99 / TARGET_P99_MS, 2)}× the limit ` +
        `(${p99 < TARGET_P99_MS ? 'met' : 'NOT met'})`,
    );
  } finally {
    agent.destroy();
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child?.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(root, { recursive: true, force: true });
  }
}
