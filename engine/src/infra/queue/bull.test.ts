import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type BullQueue, createBullQueue } from './bull.js';
import { defineQueueContract } from './contract.js';

const redisUrl = process.env.REDIS_URL;

defineQueueContract(
  'queue contract: bull (set REDIS_URL)',
  async () => {
    const queueName = `test-${randomUUID()}`;
    const open = async () => createBullQueue({ redisUrl: redisUrl!, queueName, concurrency: 4, lockMs: 2000 });
    return { open, openPeer: open, cleanup: async () => undefined };
  },
  Boolean(redisUrl),
);

describe.skipIf(!redisUrl)('bull queue specifics (set REDIS_URL)', () => {
  it('redelivers a job whose worker died mid-run after its lock expired', async () => {
    const queueName = `test-${randomUUID()}`;
    const dying: BullQueue = createBullQueue({ redisUrl: redisUrl!, queueName, lockMs: 1000 });
    let claimed = false;
    dying.handle('work', async () => {
      claimed = true;
      await new Promise(() => undefined);
    });
    await dying.start();
    await dying.enqueue({ key: 'k', name: 'work', payload: { n: 1 } });
    while (!claimed) await new Promise((r) => setTimeout(r, 20));
    await dying.abandon();

    const survivor = createBullQueue({ redisUrl: redisUrl!, queueName, lockMs: 1000 });
    const deliveries: number[] = [];
    survivor.handle('work', async (job) => {
      deliveries.push(job.delivery);
    });
    await survivor.start();
    const started = Date.now();
    while (deliveries.length === 0 && Date.now() - started < 15_000) await new Promise((r) => setTimeout(r, 50));
    await survivor.stop();
    expect(deliveries).toEqual([2]);
  }, 30_000);
});
