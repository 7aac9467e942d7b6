import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, loginAs } from '../../../test/helpers.js';
import { ManualClock } from '../../infra/clock.js';
import type { InlineQueue } from '../../infra/queue/inline.js';
import { residentId } from '../definitions/fixtures.test-helpers.js';
import { attachmentItem, TINY_PDF } from './fixtures.test-helpers.js';
import type { AttachmentDoc } from './model.js';
import { ORPHAN_SWEEP_JOB, resolveSweepOptions } from './sweep.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;
interface Uploaded {
  id: string;
  name: string;
  url: string;
  size: number;
  contentType: string;
  sha256: string;
}

const KEY = 'sweep-allowance';
const DAY = 24 * 60 * 60 * 1000;
/** A PDF whose bytes (so hash and blob file) differ by `tag`. */
const pdf = (tag: string) => Buffer.concat([TINY_PDF, Buffer.from(`%${tag}\n`)]);

function multipart(filename: string, bytes: Buffer) {
  const boundary = '----minflow-sweep-boundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, bytes, tail]), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('uploads no case refers to are removed after the retention period (default 7 days)', () => {
  const clock = new ManualClock('2026-03-02T01:00:00Z');
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ clock });
    const admin = await loginAs(t.app, 'admin');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/definitions',
      headers: admin,
      payload: attachmentItem(KEY, 2048),
    });
    expect(created.statusCode, created.body).toBe(201);
    const published = await t.app.inject({ method: 'POST', url: `/api/definitions/${KEY}/publish`, headers: admin });
    expect(published.statusCode, published.body).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  // Sessions follow the manual clock (30-minute idle timeout): sign in again for every request.
  const as = (user: string) => loginAs(t.app, user);
  const upload = async (name: string, bytes: Buffer): Promise<Uploaded> => {
    const body = multipart(name, bytes);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/attachments?itemKey=${KEY}&field=${encodeURIComponent('/attachments/idCards')}`,
      headers: { ...(await as('village')), 'content-type': body.contentType },
      payload: body.payload,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const fileCase = async (file: Uploaded, seq: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { ...(await as('village')), 'idempotency-key': `sweep-case-${seq}` },
      payload: {
        itemKey: KEY,
        data: {
          name: '王秀英',
          idNumber: residentId('620422', '19560312', `00${seq}`),
          attachments: {
            idCards: [{ name: file.name, url: file.url, size: file.size, contentType: file.contentType }],
          },
        },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string };
  };
  const status = async (user: string, file: Uploaded) =>
    (await t.app.inject({ method: 'GET', url: file.url, headers: await as(user) })).statusCode;
  const blobPath = (sha: string) => path.join(t.dataDir, 'uploads', sha.slice(0, 2), sha);
  const sweepAudit = async () =>
    (await t.app.store.collection('audit_log').find({ action: 'attachment.sweep' }, { limit: 100 }))
      .items as unknown as Array<{
      actorId: string;
      meta: { count: number; ids: string[] };
    }>;

  it('deletes an old unreferenced upload (file and record) by the periodic job; referenced and fresh ones stay', async () => {
    const queue = t.app.queue as InlineQueue;
    const orphan = await upload('未提交的身份证.pdf', pdf('orphan'));
    const submitted = await upload('已提交的身份证.pdf', pdf('submitted'));
    await fileCase(submitted, '1');
    // A case refers to this one, but its link was lost (a crash between the case write and the link).
    const lostLink = await upload('链接丢失.pdf', pdf('lost-link'));
    const lostCase = await fileCase(lostLink, '2');
    const col = t.app.store.collection<AttachmentDoc>('attachments');
    const linked = (await col.get(lostLink.id))!;
    expect(linked.caseId).toBe(lostCase.id);
    await col.replace(linked._id, linked._v, { ...linked, caseId: null });

    clock.advance(6 * DAY);
    const fresh = await upload('刚上传的.pdf', pdf('fresh'));
    expect(existsSync(blobPath(orphan.sha256))).toBe(true);

    // Day 6: nothing is old enough yet.
    await queue.runDue();
    expect(await status('village', orphan)).toBe(200);
    expect(await sweepAudit()).toEqual([]);

    // Day 8: the orphan is past 7 days; the periodic sweep job (queued for the next hour) removes it.
    clock.advance(2 * DAY);
    await vi.waitFor(
      async () => {
        await queue.runDue();
        expect(await status('village', orphan)).toBe(404);
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(await col.get(orphan.id)).toBeNull();
    expect(existsSync(blobPath(orphan.sha256))).toBe(false);

    // Referenced by a case: never removed, whoever may read the case still downloads it.
    expect(await status('village', submitted)).toBe(200);
    expect(await status('township', submitted)).toBe(200);
    expect(existsSync(blobPath(submitted.sha256))).toBe(true);
    // Found in a case's data although unlinked: kept, and linked to its case again.
    expect(await status('township', lostLink)).toBe(200);
    expect((await col.get(lostLink.id))?.caseId).toBe(lostCase.id);
    // Two days old: kept.
    expect(await status('village', fresh)).toBe(200);
    expect(existsSync(blobPath(fresh.sha256))).toBe(true);

    // One audit entry for the sweep, by the system, with the count and the ids.
    const entries = await sweepAudit();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: 'system', meta: { count: 1, ids: [orphan.id] } });

    // The job queued its next run.
    const jobs = await t.app.store.collection('jobs').find({ name: ORPHAN_SWEEP_JOB });
    expect(jobs.items.length).toBeGreaterThan(0);
  });

  it('keeps the bytes while another upload has the same content', async () => {
    const old = await upload('一样的内容.pdf', pdf('shared'));
    clock.advance(5 * DAY);
    const again = await upload('一样的内容-再传.pdf', pdf('shared'));
    expect(again.sha256).toBe(old.sha256);
    clock.advance(3 * DAY);
    // A sweep run once (as at start-up) rather than waiting for the next periodic one.
    await t.app.queue.enqueue({ key: 'sweep-now', name: ORPHAN_SWEEP_JOB, payload: {} });
    await vi.waitFor(
      async () => {
        await (t.app.queue as InlineQueue).runDue();
        expect(await status('village', old)).toBe(404);
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(await status('village', again)).toBe(200);
    expect(existsSync(blobPath(old.sha256))).toBe(true);
  });
});

describe('sweep options', () => {
  it('reads MINFLOW_ATTACHMENT_ORPHAN_DAYS; an explicit buildApp option wins; 0 turns the sweep off', () => {
    expect(resolveSweepOptions({}).orphanDays).toBe(7);
    expect(resolveSweepOptions({ MINFLOW_ATTACHMENT_ORPHAN_DAYS: '30' }).orphanDays).toBe(30);
    expect(resolveSweepOptions({ MINFLOW_ATTACHMENT_ORPHAN_DAYS: 'soon' }).orphanDays).toBe(7);
    expect(resolveSweepOptions({ MINFLOW_ATTACHMENT_ORPHAN_DAYS: '30' }, { orphanDays: 2 }).orphanDays).toBe(2);
    expect(resolveSweepOptions({ MINFLOW_ATTACHMENT_ORPHAN_DAYS: '0' }).orphanDays).toBe(0);
  });
});
