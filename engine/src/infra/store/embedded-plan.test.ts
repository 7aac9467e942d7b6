import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedStore, openEmbeddedStore } from './embedded.js';
import type { Filter, FindOptions } from './port.js';

/** Query plans the embedded adapter must produce so list queries stay fast at 1M documents. */
describe('embedded store: query plans use the declared indexes', () => {
  let dir: string;
  let store: EmbeddedStore;
  const plan = (coll: string, filter: Filter, options: FindOptions = {}) => {
    const c = store.collection(coll) as unknown as {
      explain(f: Filter, o?: FindOptions): { sql: string; params: unknown[] };
    };
    const { sql, params } = c.explain(filter, options);
    return (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
      .map((r) => r.detail)
      .join('\n');
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minflow-plan-'));
    store = openEmbeddedStore(dir);
    await store.ensureCollection({
      name: 'tasks',
      indexes: [
        { name: 'inbox', fields: { candidateRoles: 1, status: 1, dueAt: 1 }, multikey: true },
        { name: 'org', fields: { orgPath: 1 }, multikey: true },
        { name: 'status_due', fields: { status: 1, dueAt: 1 } },
        { name: 'name', fields: { 'applicant.name': 1 } },
      ],
    });
  });
  afterAll(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('walks the array index in due-date order for the inbox query, both directions, without sorting', () => {
    for (const dir of [1, -1] as const) {
      const p = plan(
        'tasks',
        { candidateRoles: 'township-staff', orgPath: '620402101', status: 'open' },
        { sort: { dueAt: dir } },
      );
      expect(p).toContain('USING COVERING INDEX m_tasks__inbox__k (k0=? AND k1=?)');
      expect(p).toContain('m_tasks__org__k (k0=? AND id=?)');
      expect(p).not.toContain('TEMP B-TREE');
    }
  });

  it('uses a compound scalar index for an equality plus a sort', () => {
    const c = store.collection('tasks') as unknown as { explain(f: Filter, o?: FindOptions): { sql: string } };
    expect(c.explain({ status: 'open' }, { sort: { dueAt: 1 } }).sql).toContain('json_extract(t.doc');
    const p = plan('tasks', { status: 'open' }, { sort: { dueAt: 1 } });
    expect(p).toContain('USING INDEX i_tasks__status_due');
    expect(p).not.toContain('TEMP B-TREE');
  });

  it('turns an anchored prefix into an index range', () => {
    expect(plan('tasks', { 'applicant.name': { $regex: '^张' } })).toMatch(
      /USING INDEX i_tasks__name \(<expr>>\? AND <expr><\?\)/,
    );
  });

  it('answers an $or by one index per branch (a jurisdiction or carbon copy), never scanning the table', () => {
    const filter = { $or: [{ orgPath: '620402101' }, { $or: [{ status: 'open' }, { orgPath: '620402101' }] }] };
    for (const p of [plan('tasks', filter, { sort: { dueAt: 1 } }), plan('tasks', filter, { sort: { dueAt: -1 } })]) {
      expect(p).toContain('MERGE (UNION)');
      expect(p).toContain('m_tasks__org__k');
      expect(p).toContain('USING INDEX i_tasks__status_due');
      expect(p).not.toMatch(/SCAN t\b/);
    }
  });

  it('counts the inbox from indexes alone: no task document is read', async () => {
    await store.ensureCollection({
      name: 'inbox',
      indexes: [
        { name: 'unit', fields: { status: 1, unitId: 1, assignee: 1, dueAt: 1 } },
        { name: 'assignee', fields: { status: 1, assignee: 1, dueAt: 1 } },
        { name: 'roles', fields: { candidateRoles: 1 }, multikey: true },
        { name: 'org', fields: { orgPath: 1 }, multikey: true },
      ],
    });
    const c = store.collection('inbox') as unknown as { explainCount(f: Filter): { sql: string; params: unknown[] } };
    const todo = {
      $and: [
        { $or: [{ orgPath: '620422101', candidateRoles: 'investigator' }, { orgPath: '620422101' }] },
        {
          status: 'open',
          $or: [{ assignee: 'u1' }, { assignee: null, unitId: '620422101', candidateRoles: { $in: ['a', 'b'] } }],
        },
        { dueAt: { $lt: '2026-11-22T00:00:00.000Z' } },
      ],
    };
    const { sql, params } = c.explainCount(todo);
    const p = (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
      .map((r) => r.detail)
      .join('\n');
    expect(p).toContain(
      'USING COVERING INDEX i_inbox__unit (<expr>=? AND <expr>=? AND <expr>=? AND <expr>>? AND <expr><?)',
    );
    expect(p).toContain('USING COVERING INDEX i_inbox__assignee');
    expect(p).toContain('m_inbox__org__k (k0=? AND id=?)');
    expect(p).not.toMatch(/SEARCH t USING INDEX|SCAN t\b/);
    // Assigned to the user, or unassigned: no row matches both, so the two counts are added.
    expect(p).not.toContain('UNION');
  });

  it('starts from the array index for a role filter with another sort', () => {
    expect(plan('tasks', { orgPath: '620402' }, { sort: { createdAt: -1 } })).toContain('m_tasks__org__k');
  });
});
