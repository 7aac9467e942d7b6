import { afterEach, describe, expect, it } from 'vitest';
import type { JobQueue, QueuedJob } from './port.js';

/**
 * The queue port's contract, run against every adapter. `open()` returns a fresh queue on an
 * isolated backend; `openPeer()` a second queue on the SAME backend, standing for another process.
 */
export interface QueueFixture {
  open(): Promise<JobQueue>;
  openPeer(): Promise<JobQueue>;
  cleanup(): Promise<void>;
}

function until(cond: () => boolean, timeoutMs = 8000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      if (cond()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error('condition not met in time'));
      setTimeout(tick, 20);
    };
    tick();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function defineQueueContract(title: string, makeFixture: () => Promise<QueueFixture>, enabled = true): void {
  describe.skipIf(!enabled)(title, () => {
    let fixture: QueueFixture | null = null;
    const opened: JobQueue[] = [];
    async function open(peer = false): Promise<JobQueue> {
      fixture ??= await makeFixture();
      const q = peer ? await fixture.openPeer() : await fixture.open();
      opened.push(q);
      return q;
    }
    afterEach(async () => {
      for (const q of opened.splice(0)) await q.stop();
      await fixture?.cleanup();
      fixture = null;
    });

    it('delivers an enqueued job once to the handler registered for its name, with its payload', async () => {
      const q = await open();
      const seen: QueuedJob[] = [];
      q.handle('greet', async (job) => {
        seen.push(job);
      });
      q.handle('other', async () => {
        throw new Error('wrong handler');
      });
      await q.start();
      expect(await q.enqueue({ key: 'case-1:review', name: 'greet', payload: { caseId: 'case-1', n: 2 } })).toBe(true);
      await until(() => seen.length === 1);
      await sleep(200);
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({
        key: 'case-1:review',
        name: 'greet',
        payload: { caseId: 'case-1', n: 2 },
        delivery: 1,
      });
      expect(await q.pendingCount()).toBe(0);
    });

    it('adds nothing for a key that is already queued', async () => {
      const q = await open();
      const runAt = new Date(Date.now() + 60_000);
      expect(await q.enqueue({ key: 'dup', name: 'x', payload: {}, runAt })).toBe(true);
      expect(await q.enqueue({ key: 'dup', name: 'x', payload: { again: true }, runAt })).toBe(false);
      expect(await q.pendingCount()).toBe(1);
    });

    it('holds a delayed job until its time, and a cancelled one never runs', async () => {
      const q = await open();
      const ran: string[] = [];
      q.handle('timer', async (job) => {
        ran.push(job.key);
      });
      await q.start();
      const soon = new Date(Date.now() + 600);
      await q.enqueue({ key: 'later', name: 'timer', payload: {}, runAt: soon });
      await q.enqueue({ key: 'cancelled', name: 'timer', payload: {}, runAt: soon });
      expect(await q.cancel('cancelled')).toBe(true);
      expect(await q.cancel('no-such-job')).toBe(false);
      await sleep(250);
      expect(ran).toEqual([]);
      await until(() => ran.length === 1);
      await sleep(300);
      expect(ran).toEqual(['later']);
    });

    it('reports a throwing handler to onError and does not deliver that job again', async () => {
      const q = await open();
      let calls = 0;
      const errors: Array<{ key: string; message: string }> = [];
      q.handle('flaky', async () => {
        calls++;
        throw new Error('economic-status service down');
      });
      q.onError((job, error) => errors.push({ key: job.key, message: (error as Error).message }));
      await q.start();
      await q.enqueue({ key: 'check-1', name: 'flaky', payload: {} });
      await until(() => errors.length === 1);
      await sleep(300);
      expect(calls).toBe(1);
      expect(errors).toEqual([{ key: 'check-1', message: 'economic-status service down' }]);
    });

    it('stop() waits for a running job to finish', async () => {
      const q = await open();
      let finished = false;
      let startedRun = false;
      q.handle('slow', async () => {
        startedRun = true;
        await sleep(400);
        finished = true;
      });
      await q.start();
      await q.enqueue({ key: 'slow-1', name: 'slow', payload: {} });
      await until(() => startedRun);
      await q.stop();
      expect(finished).toBe(true);
    });

    it('two processes on one backend run each job exactly once between them', async () => {
      const a = await open();
      const b = await open(true);
      const runs = new Map<string, number>();
      const handler = async (job: QueuedJob) => {
        runs.set(job.key, (runs.get(job.key) ?? 0) + 1);
        await sleep(5);
      };
      a.handle('work', handler);
      b.handle('work', handler);
      await Promise.all([a.start(), b.start()]);
      const keys = Array.from({ length: 40 }, (_, i) => `job-${i}`);
      await Promise.all(keys.map((key, i) => (i % 2 ? a : b).enqueue({ key, name: 'work', payload: {} })));
      await until(() => runs.size === keys.length, 15_000);
      await sleep(300);
      expect([...runs.values()].every((n) => n === 1)).toBe(true);
      expect(runs.size).toBe(40);
    });
  });
}
