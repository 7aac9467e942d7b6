/**
 * Two engine processes on one embedded data dir and one Redis (Bull queue, its own name per run):
 * cases filed on either process each have a service task; every job runs exactly once across both
 * processes (counted from the economic-check plugin's log lines), both processes take a share of
 * the work, and every case advances exactly once, whichever process acts next.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const ITEM = 'shared-check';
const PASSWORD = 'Multi#Test2026';
const N = Number(process.env.MINFLOW_MULTI_CASES ?? 40);

const bpmn = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:minflow="http://minflow.dev/schema/bpmn/1.0" id="Defs" targetNamespace="http://minflow.dev/test">
  <bpmn:process id="SharedCheck" isExecutable="true">
    <bpmn:startEvent id="Start"/>
    <bpmn:serviceTask id="Check" name="经济状况核对" minflow:handler="economic-check"/>
    <bpmn:userTask id="Review" name="乡镇审核" minflow:roles="township-staff" minflow:level="township"/>
    <bpmn:endEvent id="End"/>
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Check"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Check" targetRef="Review"/>
    <bpmn:sequenceFlow id="F3" sourceRef="Review" targetRef="End"/>
  </bpmn:process>
</bpmn:definitions>`;

/** The job keys the economic-check handler answered for, from one process's JSON log. */
function handlerRuns(output: string): string[] {
  const keys: string[] = [];
  for (const line of output.split('\n')) {
    if (!line.includes('economic check answered')) continue;
    try {
      const entry = JSON.parse(line) as { msg?: string; jobKey?: string };
      if (entry.msg === 'economic check answered' && entry.jobKey) keys.push(entry.jobKey);
    } catch {
      // not a log line
    }
  }
  return keys;
}

describe.skipIf(!process.env.REDIS_URL)('two engine processes on one store and one Redis (set REDIS_URL)', () => {
  const redisUrl = process.env.REDIS_URL as string;
  const queueName = `minflow-test-${randomBytes(4).toString('hex')}`;
  let root = '';
  let env: Record<string, string> = {};
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'minflow-multi-'));
    const defsDir = path.join(root, 'definitions');
    writeItem(defsDir, ITEM, { name: '共享队列测试', startLevels: ['township'], formSchema: simpleForm, bpmn });
    env = {
      MINFLOW_DATA_DIR: path.join(root, 'data'),
      MINFLOW_DEFINITIONS_DIR: defsDir,
      MINFLOW_DEMO_PASSWORD: PASSWORD,
      REDIS_URL: redisUrl,
      MINFLOW_QUEUE_NAME: queueName,
      MONGODB_URL: '',
    };
  });

  afterAll(async () => {
    await killAll();
    if (root) fs.rmSync(root, { recursive: true, force: true });
    // Bull's keys for this run's queue.
    const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `minflow:${queueName}:*`, 'COUNT', 500);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  });

  it(`runs each of ${N} service-task jobs exactly once across both processes, and each case advances once`, async () => {
    // The first start seeds the store and publishes the item; the second joins it.
    const a = await startEngine(env);
    await a.waitFor(/cases reconciled/);
    const b = await startEngine(env);
    await b.waitFor(/cases reconciled/);
    expect((await call(a.url, null, 'GET', '/api/health')).body).toMatchObject({ queue: 'bull' });
    const engines: EngineProcess[] = [a, b];
    const tokens = [await login(a.url, 'township', PASSWORD), await login(b.url, 'township', PASSWORD)];

    // File on both processes at once, alternating.
    const filed = await Promise.all(
      Array.from({ length: N }, async (_, i) => {
        const res = await call(
          engines[i % 2].url,
          tokens[i % 2],
          'POST',
          '/api/cases',
          { itemKey: ITEM, data: { name: `申请人${i}`, idNumber: residentId('620422', '19600101', String(100 + i)) } },
          { 'idempotency-key': `multi-case-${i}` },
        );
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        return res.body.id as string;
      }),
    );

    // Wait until every case has left its service task (read through the other process than the filer).
    const read = async (i: number) =>
      (await call(engines[(i + 1) % 2].url, tokens[(i + 1) % 2], 'GET', `/api/cases/${filed[i]}`)).body;
    const deadline = Date.now() + 45_000;
    let waiting = filed.map((_, i) => i);
    while (waiting.length && Date.now() < deadline) {
      const states = await Promise.all(waiting.map(read));
      waiting = waiting.filter((_, k) => states[k].openTasks.length === 0);
      if (waiting.length) await new Promise((r) => setTimeout(r, 200));
    }
    expect(waiting.map((i) => filed[i])).toEqual([]);

    // Each job ran exactly once, and both processes took part.
    const runsA = handlerRuns(a.output());
    const runsB = handlerRuns(b.output());
    const all = [...runsA, ...runsB].sort();
    expect(all).toHaveLength(N);
    expect(new Set(all).size).toBe(N);
    expect(filed.every((id) => all.some((k) => k.startsWith(`${id}:`)))).toBe(true);
    expect(runsA.length).toBeGreaterThan(0);
    expect(runsB.length).toBeGreaterThan(0);

    // Each case advanced once: one job result, one Review task, and it completes once.
    for (let i = 0; i < N; i++) {
      const c = await read(i);
      expect(c.history.filter((e: { type: string }) => e.type === 'job.completed')).toHaveLength(1);
      expect(c.openTasks.map((t: { elementId: string }) => t.elementId)).toEqual(['Review']);
      expect(c.variables.Check).toMatchObject({ passed: true });
    }
    // Acting from both processes on the same tasks at once: each task closes once.
    const results = await Promise.all(
      filed.flatMap((id) =>
        [0, 1].map(async (e) => {
          const c = await call(engines[e].url, tokens[e], 'GET', `/api/cases/${id}`);
          const task = c.body.openTasks[0];
          if (!task) return 409; // the other process already completed it
          return (
            await call(engines[e].url, tokens[e], 'POST', `/api/tasks/${task.id}/complete`, { action: 'approve' })
          ).status;
        }),
      ),
    );
    expect(results.filter((s) => s === 200)).toHaveLength(N);
    expect(results.filter((s) => s !== 200 && s !== 409)).toEqual([]);
    for (let i = 0; i < N; i++) {
      const c = await read(i);
      expect(c.status).toBe('completed');
      expect(c.history.filter((e: { type: string }) => e.type === 'task.completed')).toHaveLength(1);
    }

    // The same Idempotency-Key sent to both processes at once makes one case, never two.
    for (let k = 0; k < 5; k++) {
      const body = {
        itemKey: ITEM,
        data: { name: `重复${k}`, idNumber: residentId('620422', '19700101', String(500 + k)) },
      };
      const both = await Promise.all(
        [0, 1].map((e) =>
          call(engines[e].url, tokens[e], 'POST', '/api/cases', body, { 'idempotency-key': `multi-twice-${k}` }),
        ),
      );
      expect(both.map((r) => r.status).sort()).toEqual([200, 201]);
      expect(both[0].body.id).toBe(both[1].body.id);
    }
    const listed = await call(a.url, tokens[0], 'GET', `/api/cases?itemKey=${ITEM}&limit=100`);
    expect(listed.body.items).toHaveLength(N + 5);

    for (const e of engines) {
      const exited = e.exited;
      e.child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  }, 120_000);
});
