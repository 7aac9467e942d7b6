/**
 * Runtime micro-benchmark (`npm run bench` wires it in through engine/bench/index.ts).
 *
 * Shape: start → no-op → end, in-process, the case state JSON-serialised after every operation
 * (what the store write costs in CPU, history included), single thread. Reference: Camunda 7's
 * published figure for this shape is 3,937 instances/s without history on 4 threads.
 * The same BPMN also runs in `bpmn-engine` (in memory, no persistence) for a ratio.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Engine } from 'bpmn-engine';
import { BpmnModdle } from 'bpmn-moddle';
import { parseBpmn } from '../src/bpmn/parse.js';
import { ManualClock } from '../src/infra/clock.js';
import {
  compileBpmn,
  completeJob,
  completeTask,
  evalFeel,
  type InstanceState,
  type RuntimeContext,
  start,
} from '../src/runtime/index.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'runtime', 'fixtures');
const read = (name: string) => readFileSync(join(fixtures, `${name}.bpmn`), 'utf8');

function persist(state: InstanceState): InstanceState {
  return JSON.parse(JSON.stringify(state)) as InstanceState;
}

/** Runs `fn` repeatedly for about `ms` (after a warm-up) and returns operations per second. */
async function rate(ms: number, fn: () => void | Promise<void>): Promise<{ perSecond: number; n: number }> {
  const warmUntil = performance.now() + Math.min(300, ms / 4);
  while (performance.now() < warmUntil) await fn();
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms) {
    for (let i = 0; i < 50; i++) await fn();
    n += 50;
    t = performance.now();
  }
  return { perSecond: (n * 1000) / (t - t0), n };
}

function fmt(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

export async function runRuntimeBench(options: { ms?: number } = {}): Promise<void> {
  const ms = options.ms ?? 3000;
  const clock = new ManualClock('2026-03-02T01:00:00Z');
  const noop = compileBpmn(await parseBpmn(read('noop')));
  const service = compileBpmn(await parseBpmn(read('script-service')));
  const sequence = compileBpmn(await parseBpmn(read('sequence')));
  const ctx = (model: typeof noop): RuntimeContext => ({ model, clock, idPrefix: 'case:' });

  const script = await rate(ms, () => {
    const r = start(ctx(noop), { data: { applicant: '张三' }, initiator: 'u1' });
    if (r.state.status !== 'completed') throw new Error('noop instance did not complete');
    persist(r.state);
  });

  const job = await rate(ms, () => {
    const c = ctx(service);
    const a = start(c, { data: { standard: 700, income: 300, members: 2, minimum: 50 }, initiator: 'u1' });
    const s = persist(a.state);
    const b = completeJob(s, c, s.jobs[0]!.key, { ok: true });
    if (b.state.status !== 'completed') throw new Error('service instance did not complete');
    persist(b.state);
  });

  const approval = await rate(ms, () => {
    const c = ctx(sequence);
    let s = persist(start(c, { data: { income: 500 }, initiator: 'u1' }).state);
    for (let i = 0; i < 3; i++) {
      s = persist(
        completeTask(s, c, s.tasks[0]!.id, { action: 'approve', data: { ok: true } }, { userId: 'u2' }).state,
      );
    }
    if (s.status !== 'completed') throw new Error('approval instance did not complete');
  });

  const xml = read('noop');
  const moddleContext = await new BpmnModdle().fromXML(xml);
  // bpmn-engine has no FEEL: give it a script registry that evaluates the same expression with feelin.
  let evaluated = 0;
  const feelScripts = {
    register: () => undefined,
    getScript: (language: string, activity: { behaviour?: { script?: string } }) => {
      const source = activity.behaviour?.script;
      if (language !== 'feel' || !source) return undefined;
      return {
        execute: (_scope: unknown, next: (err: Error | null, output?: unknown) => void) => {
          evaluated += 1;
          next(null, evalFeel(source, {}));
        },
      };
    },
  };
  const other = await rate(ms, async () => {
    const engine = new Engine({ name: 'bench', moddleContext, scripts: feelScripts as never });
    await new Promise<void>((resolve, reject) => {
      engine.once('end', () => resolve());
      engine.once('error', reject);
      engine.execute().catch(reject);
    });
  });

  if (evaluated < other.n) throw new Error('bpmn-engine did not run the script task');

  console.log('runtime (in-process, one thread, state JSON-serialised after every operation, history kept)');
  console.log(`  start → script (FEEL) → end          ${fmt(script.perSecond)} instances/s`);
  console.log(`  start → service job → complete → end ${fmt(job.perSecond)} instances/s (two persisted transitions)`);
  console.log(
    `  3-step approval (start + 3 approvals) ${fmt(approval.perSecond)} cases/s (four persisted transitions)`,
  );
  console.log(
    `  bpmn-engine, same start → script → end (in memory, no persistence): ${fmt(other.perSecond)} instances/s`,
  );
  console.log(`  ratio minflow / bpmn-engine: ${(script.perSecond / other.perSecond).toFixed(1)}×`);
  console.log(`  Camunda 7 published figure for this shape: 3,937/s on 4 threads without history`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runRuntimeBench({ ms: Number(process.env['BENCH_MS'] ?? 3000) });
}
