import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AUDIT_COLLECTION,
  type AuditEntry,
  auditCollectionSpecs,
  createAuditLog,
  entryHash,
  verifyAuditChain,
} from '../../src/infra/audit/log.js';
import { ManualClock } from '../../src/infra/clock.js';
import { writeInOrder } from '../../src/infra/store/common.js';
import { createStore } from '../../src/infra/store/index.js';
import type { DocumentStore } from '../../src/infra/store/port.js';
import { createTestApp, loginAs, type TestApp } from '../helpers.js';

/** The same store as the mongodb adapter sees writes: one after another, no transaction. */
function withoutTransactions(store: DocumentStore): DocumentStore {
  const view: DocumentStore = Object.create(store);
  return Object.assign(view, { atomicWrites: false, write: (ops: never[]) => writeInOrder(view, ops) });
}

describe.each([
  ['one transaction per entry (embedded)', false],
  ['no transactions (as on mongodb)', true],
])('hash-chained audit log: %s', (_label, inOrder) => {
  let store: DocumentStore;
  let dir: string;
  const clock = new ManualClock('2026-04-01T02:00:00Z');
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'minflow-audit-'));
    store = await createStore({ dataDir: dir, mongodbUrl: null });
    for (const spec of auditCollectionSpecs) await store.ensureCollection(spec);
    if (inOrder) store = withoutTransactions(store);
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const entries = () => store.collection<AuditEntry>(AUDIT_COLLECTION);
  const all = async () => (await entries().find({}, { sort: { _id: 1 }, limit: 1000 })).items;
  const input = (i: number) => ({
    actorId: 'user-admin',
    action: 'user.update',
    subjectType: 'User',
    subjectId: `user-${i}`,
    orgPath: ['baiyin', 'baiyin/huining'],
    before: { displayName: `old ${i}` },
    after: { displayName: `new ${i}` },
  });

  it('numbers entries 1, 2, 3… and links each to the previous hash', async () => {
    const log = createAuditLog(store, clock);
    for (let i = 1; i <= 3; i++) await log.record(input(i));
    const list = await all();
    expect(list.map((e) => [e._id, e.seq])).toEqual([
      ['000000000001', 1],
      ['000000000002', 2],
      ['000000000003', 3],
    ]);
    expect(list[0].prevHash).toBe('0'.repeat(64));
    expect(list[1].prevHash).toBe(list[0].hash);
    expect(list[2].prevHash).toBe(list[1].hash);
    expect(list[0]).toMatchObject({ at: '2026-04-01T02:00:00.000Z', after: { displayName: 'new 1' } });
    expect(await verifyAuditChain(store)).toEqual({ ok: true, count: 3, headSeq: 3, problems: [] });
  });

  it('stays gap-free under parallel appends from two writers', async () => {
    const a = createAuditLog(store, clock);
    const b = createAuditLog(store, clock);
    await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).record(input(i))));
    const list = await all();
    expect(list.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(new Set(list.map((e) => e.subjectId)).size).toBe(40);
    expect((await verifyAuditChain(store)).ok).toBe(true);
  });

  it('records an entry with the change it describes; a change refused (409) leaves no entry', async () => {
    const log = createAuditLog(store, clock);
    await store.ensureCollection({ name: 'things' });
    await store.collection('things').insert({ _id: 'thing', status: 'open' });
    const change = (expectedVersion: number) => [
      {
        op: 'replace' as const,
        collection: 'things',
        id: 'thing',
        expectedVersion,
        doc: { _id: 'thing', status: 'done' },
      },
    ];
    const [saved] = await log.recordWith!([input(1)], change(1));
    expect(saved).toEqual({ _id: 'thing', _v: 2, status: 'done' });
    const err = await log.recordWith!([input(2)], change(1)).catch((e) => e);
    expect(err).toMatchObject({ code: 'MINFLOW_ERR_STORE_VERSION_CONFLICT', params: { op: 0 } });
    const list = await all();
    expect(list.map((e) => e.subjectId)).toEqual(['user-1']);
    expect(await verifyAuditChain(store)).toEqual({ ok: true, count: 1, headSeq: 1, problems: [] });
  });

  it('never stores passwords, hashes or tokens, at any depth', async () => {
    const log = createAuditLog(store, clock);
    await log.record({
      ...input(1),
      after: { username: 'x', password: 'Secret-123', passwordHash: 'scrypt$…', nested: { token: 'abc', keep: 1 } },
      meta: { newPassword: 'Secret-456', ip: '10.0.0.1' },
    });
    const [entry] = await all();
    expect(entry.after).toEqual({ username: 'x', nested: { keep: 1 } });
    expect(entry.meta).toEqual({ ip: '10.0.0.1' });
  });

  describe('detects tampering', () => {
    beforeEach(async () => {
      const log = createAuditLog(store, clock);
      for (let i = 1; i <= 5; i++) await log.record(input(i));
    });

    it('an edited entry', async () => {
      const third = (await entries().get('000000000003')) as AuditEntry;
      await entries().put({ ...third, after: { displayName: 'forged' } });
      expect(await verifyAuditChain(store)).toMatchObject({
        ok: false,
        problems: [{ seq: 3, reason: 'hash-mismatch' }],
      });
    });

    it('an edited entry whose hash was recomputed (the next link breaks)', async () => {
      const third = (await entries().get('000000000003')) as AuditEntry;
      const forged = { ...third, actorId: 'someone-else' };
      await entries().put({ ...forged, hash: entryHash(forged) });
      expect(await verifyAuditChain(store)).toMatchObject({ ok: false, problems: [{ seq: 4, reason: 'broken-link' }] });
    });

    it('a deleted entry in the middle', async () => {
      await entries().delete('000000000002');
      const result = await verifyAuditChain(store);
      expect(result.ok).toBe(false);
      expect(result.problems).toEqual([
        { seq: 2, reason: 'missing' },
        { seq: 3, reason: 'broken-link' },
      ]);
    });

    it('deleted newest entries (the checkpoint remembers the head)', async () => {
      await entries().delete('000000000005');
      await entries().delete('000000000004');
      expect(await verifyAuditChain(store)).toMatchObject({
        ok: false,
        headSeq: 5,
        problems: [
          { seq: 4, reason: 'truncated' },
          { seq: 5, reason: 'truncated' },
        ],
      });
    });
  });
});

describe('GET /api/audit', () => {
  let t: TestApp;
  let admin: { authorization: string };
  beforeAll(async () => {
    t = await createTestApp();
    admin = await loginAs(t.app, 'admin');
    // Changes in two counties, so jurisdiction filtering has something to filter.
    for (const id of ['user-township', 'user-county2']) {
      const u = (await t.app.inject({ url: `/api/users/${id}`, headers: admin })).json();
      await t.app.inject({
        method: 'PATCH',
        url: `/api/users/${id}`,
        headers: admin,
        payload: { version: u.version, displayName: `${u.displayName}*` },
      });
    }
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin,
      payload: {
        username: 'hn-auditor',
        displayName: '会宁审计',
        orgUnitId: 'baiyin/huining',
        roles: ['auditor'],
        password: 'Huining-Audit-1',
      },
    });
    expect(created.statusCode).toBe(201);
  });
  afterAll(async () => t?.close());

  it('shows a city auditor every entry, newest first, with cursor pagination', async () => {
    const auditor = await loginAs(t.app, 'auditor');
    const seqs: number[] = [];
    let cursor: string | null = null;
    do {
      const res: Awaited<ReturnType<typeof t.app.inject>> = await t.app.inject({
        url: `/api/audit?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        headers: auditor,
      });
      expect(res.statusCode).toBe(200);
      seqs.push(...res.json().items.map((e: { seq: number }) => e.seq));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs.length - i));
    expect(seqs.length).toBeGreaterThanOrEqual(5);
  });

  it('shows a county auditor only its county’s entries', async () => {
    const hn = await loginAs(t.app, 'hn-auditor', 'Huining-Audit-1');
    const res = await t.app.inject({ url: '/api/audit?limit=200', headers: hn });
    const items = res.json().items as Array<{ orgPath: string[]; subjectId: string }>;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((e) => e.orgPath.includes('baiyin/huining'))).toBe(true);
    expect(items.map((e) => e.subjectId)).toContain('user-township');
    expect(items.map((e) => e.subjectId)).not.toContain('user-county2');
    // The chain check spans every jurisdiction: city level only.
    expect((await t.app.inject({ url: '/api/audit/verify', headers: hn })).statusCode).toBe(403);
  });

  it('is closed to roles without audit access', async () => {
    const township = await loginAs(t.app, 'township');
    const res = await t.app.inject({ url: '/api/audit', headers: township });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('MINFLOW_ERR_AUTH_FORBIDDEN');
    expect((await t.app.inject({ url: '/api/audit' })).statusCode).toBe(401);
  });

  it('lets the city verify the whole chain', async () => {
    const res = await t.app.inject({ url: '/api/audit/verify', headers: admin });
    expect(res.json()).toMatchObject({ ok: true, problems: [] });
    expect(res.json().count).toBeGreaterThanOrEqual(5);
  });
});
