import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { ManualClock, systemClock } from '../clock.js';
import { createStore } from '../store/index.js';
import type { DocumentStore } from '../store/port.js';
import { defineQueueContract } from './contract.js';
import { createInlineQueue } from './inline.js';

async function openStore(dir: string): Promise<DocumentStore> {
  return createStore(loadConfig({}, { dataDir: dir, mongodbUrl: null }));
}

defineQueueContract('queue contract: inline (embedded store)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minflow-queue-'));
  const stores: DocumentStore[] = [];
  const open = async () => {
    const store = await openStore(dir);
    stores.push(store);
    return createInlineQueue(store, { clock: systemClock, pollMs: 25, leaseMs: 2000 });
  };
  return {
    open,
    // A second store handle on the same file: another engine process.
    openPeer: open,
    async cleanup() {
      for (const s of stores) await s.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('inline queue specifics', () => {
  const dirs: string[] = [];
  const stores: DocumentStore[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  async function fresh(): Promise<DocumentStore> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minflow-queue-'));
    dirs.push(dir);
    const store = await openStore(dir);
    stores.push(store);
    return store;
  }

  it('runs timers by the injected clock: nothing before the due time, the job right after it', async () => {
    const store = await fresh();
    const clock = new ManualClock('2026-03-02T00:00:00Z');
    const q = await createInlineQueue(store, { clock });
    const ran: string[] = [];
    q.handle('timer', async (job) => {
      ran.push(job.key);
    });
    await q.enqueue({ key: 'publicity-end', name: 'timer', payload: {}, runAt: new Date('2026-03-09T00:00:00Z') });
    clock.set('2026-03-08T23:59:59Z');
    expect(await q.runDue()).toBe(0);
    clock.set('2026-03-09T00:00:00Z');
    expect(await q.runDue()).toBe(1);
    expect(ran).toEqual(['publicity-end']);
  });

  it('keeps queued jobs across a restart (a new queue on the same store file)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minflow-queue-'));
    dirs.push(dir);
    const clock = new ManualClock();
    const first = await openStore(dir);
    const q1 = await createInlineQueue(first, { clock });
    await q1.enqueue({ key: 'k1', name: 'work', payload: { n: 1 } });
    await first.close();

    const second = await openStore(dir);
    stores.push(second);
    const q2 = await createInlineQueue(second, { clock });
    const seen: unknown[] = [];
    q2.handle('work', async (job) => {
      seen.push(job.payload);
    });
    expect(await q2.runDue()).toBe(1);
    expect(seen).toEqual([{ n: 1 }]);
  });

  it('redelivers a job whose worker died mid-run once its lease has expired', async () => {
    const store = await fresh();
    const clock = new ManualClock();
    const dying = await createInlineQueue(store, { clock, leaseMs: 60_000 });
    let hang: Promise<void> = new Promise(() => undefined);
    dying.handle('work', () => hang);
    await dying.enqueue({ key: 'k', name: 'work', payload: {} });
    // The first worker claims the job and never finishes (its process "died").
    void dying.runDue();
    await new Promise((r) => setTimeout(r, 100));

    const survivor = await createInlineQueue(store, { clock, leaseMs: 60_000 });
    const deliveries: number[] = [];
    survivor.handle('work', async (job) => {
      deliveries.push(job.delivery);
    });
    expect(await survivor.runDue()).toBe(0);
    clock.advance(61_000);
    expect(await survivor.runDue()).toBe(1);
    expect(deliveries).toEqual([2]);
    expect(await survivor.pendingCount()).toBe(0);
    hang = Promise.resolve();
  });
});
