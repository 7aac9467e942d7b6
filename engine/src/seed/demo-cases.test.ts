import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, TEST_DEMO_PASSWORD } from '../../test/helpers.js';
import { buildApp } from '../app.js';
import { repoRoot } from '../config.js';
import { AUDIT_COLLECTION } from '../infra/audit/log.js';
import { CASES, type CaseDoc, TASKS, type TaskDoc } from '../modules/cases/model.js';
import type { JsonObject } from '../modules/definitions/model.js';
import { DEMO_SEED, type SeedDemoCasesReport, seedDemoCases } from './demo-cases.js';
import { flattenDemoTree } from './demo-data.js';
import { ageOn, isValidResidentId, Rng } from './people.js';
import { taskFormData } from './task-data.js';

// The embedded store only: the seeder writes into a data directory.
const config = {
  demoPassword: TEST_DEMO_PASSWORD,
  definitionsDir: path.join(repoRoot, 'definitions'),
  mongodbUrl: null,
};

describe('npm run seed:demo (1k demo cases into a fresh data dir)', { timeout: 600_000 }, () => {
  let dataDir: string;
  let report: SeedDemoCasesReport;
  let app: FastifyInstance;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'minflow-seed-'));
    // 200 cases driven through the engine, 800 copies of them; township's inbox filled to 150 open tasks.
    report = await seedDemoCases({
      dataDir,
      size: 1_000,
      templates: 200,
      inboxUser: 'township',
      inboxTasks: 150,
      env: {},
      config,
    });
    app = await buildApp({ env: {}, config: { ...config, dataDir, seedDemo: true, production: false }, logger: false });
    await app.ready();
  }, 600_000);
  afterAll(async () => {
    await app?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const get = async (username: string, url: string) => {
    const res = await app.inject({ method: 'GET', url, headers: await loginAs(app, username) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  async function allCases(): Promise<CaseDoc[]> {
    const out: CaseDoc[] = [];
    let cursor: string | null = null;
    do {
      const page = await app.store.collection<CaseDoc>(CASES).find({}, { limit: 1000, cursor });
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  it('writes the cases asked for, over every item and every outcome, most of them decided', async () => {
    expect(report.cases).toBe(1_000);
    expect(report.engineCases + report.copies).toBe(1_000);
    expect(report.stuck).toBe(0);
    const cases = await allCases();
    expect(cases).toHaveLength(1_000);
    const byItem = new Map<string, number>();
    const byStatus = new Map<string, number>();
    for (const c of cases) {
      byItem.set(c.itemKey, (byItem.get(c.itemKey) ?? 0) + 1);
      byStatus.set(c.status, (byStatus.get(c.status) ?? 0) + 1);
    }
    expect(Object.fromEntries(byItem)).toEqual(Object.fromEntries(Object.entries(report.byItem).filter(([, n]) => n)));
    // The common items (低保, 高龄津贴) are filed far more often than the rare ones (地名, 选举备案).
    expect(byItem.size).toBeGreaterThanOrEqual(18);
    expect(byItem.get('dibao-rural') as number).toBeGreaterThan(byItem.get('village-election') ?? 0);
    for (const status of ['active', 'completed', 'rejected', 'withdrawn'])
      expect(byStatus.get(status)).toBeGreaterThan(0);
    expect(byStatus.get('completed') as number).toBeGreaterThan((byStatus.get('rejected') as number) * 2);
    // Some cases wait past their deadline (an inbox has overdue tasks, as in a real office).
    const overdue = await app.store
      .collection<TaskDoc>(TASKS)
      .count({ status: 'open', dueAt: { $lt: new Date().toISOString() } });
    expect(overdue).toBeGreaterThan(0);
    // Spread over about two years, none in the future.
    const created = cases.map((c) => Date.parse(c.createdAt)).sort((a, b) => a - b);
    expect(created.at(-1) as number).toBeLessThanOrEqual(Date.now());
    expect((created.at(-1) as number) - created[0]).toBeGreaterThan(500 * 86_400_000);
  });

  it('gives every person a valid ID number of the case county, with ages that fit the item', async () => {
    const units = new Map(flattenDemoTree().map((u) => [u.id, u]));
    const cases = await allCases();
    // 村务公开, 村规民约 and 地名 concern a village or a place, not a person.
    const aboutPlaces = ['village-affairs', 'village-rules', 'place-name'];
    let grantedElderly = 0;
    for (const c of cases) {
      const initialReport = (c.state.data as { filingType?: string }).filingType === 'initial-report'; // 灾情初报
      if (!aboutPlaces.includes(c.itemKey) && !initialReport) expect(c.personIds.length, c._id).toBeGreaterThan(0);
      const county = units.get(c.orgPath[1])?.code;
      for (const id of c.personIds) {
        expect(isValidResidentId(id), id).toBe(true);
        expect(id.slice(0, 6)).toBe(county);
      }
      const day = c.createdAt.slice(0, 10);
      if (c.itemKey === 'elderly-allowance') {
        expect(ageOn((c.applicantIdNumber as string).slice(6, 14), day)).toBeGreaterThanOrEqual(80);
      }
      const v = c.state.variables as {
        eligibility?: { ageBand?: string };
        standards?: { countyId: string; elderlyAllowanceMonthly: Record<string, number> };
        allowance?: { ageBand: string; monthly: number };
        townshipReview?: { decision?: string };
      };
      if (c.itemKey === 'elderly-allowance' && v.townshipReview?.decision === 'grant') {
        // Granted at the amount the flow computed: the case county's standard for the band of the ID number.
        expect(v.allowance?.ageBand, c._id).toBe(v.eligibility?.ageBand);
        expect(v.standards?.countyId).toBe(c.orgPath[1]);
        expect(v.allowance?.monthly).toBe(v.standards?.elderlyAllowanceMonthly[v.allowance?.ageBand as string]);
        expect(v.allowance?.monthly).toBeGreaterThan(0);
        grantedElderly++;
      }
      if (c.itemKey === 'orphan-support') {
        const child = (c.state.data as { child: { idNumber: string } }).child.idNumber;
        expect(ageOn(child.slice(6, 14), day)).toBeLessThan(18);
      }
    }
    expect(grantedElderly).toBeGreaterThan(0);
    // Names differ from case to case (generated, not one sample repeated).
    const names = new Set(cases.map((c) => c.applicantName).filter(Boolean));
    expect(names.size).toBeGreaterThan(600);
  });

  it("keeps each open case's inbox rows in step with its open tasks (engine-made and copied alike)", async () => {
    const active = (await allCases()).filter((c) => c.status === 'active');
    expect(active.length).toBeGreaterThan(0);
    for (const c of active) {
      const rows = await app.store.collection<TaskDoc>(TASKS).find({ caseId: c._id, status: 'open' }, { limit: 100 });
      expect(rows.items.map((t) => t._id).sort(), c._id).toEqual(c.state.tasks.map((t) => t.id).sort());
      for (const row of rows.items) expect(row.caseVersion).toBe(c._v);
    }
  });

  it('lists and filters the cases through the API within the caller jurisdiction', async () => {
    const page = await get('county', '/api/cases?itemKey=dibao-rural&status=completed&limit=50');
    expect(page.items.length).toBeGreaterThan(0);
    for (const c of page.items) {
      expect(c.itemKey).toBe('dibao-rural');
      expect(c.status).toBe('completed');
      expect(c.orgPath).toContain('baiyin/huining');
    }
    const other = await get('county2', '/api/cases?limit=50');
    for (const c of other.items) expect(c.orgPath).toContain('baiyin/jingyuan');
    expect(other.items.length).toBeGreaterThan(0);
  });

  /** Completes an open task of `username`'s inbox through the API, with the data its task form asks for. */
  async function completeFromInbox(username: string, task: { id: string; caseId: string }) {
    const before = await get(username, `/api/cases/${task.caseId}`);
    const item = await get(username, `/api/items/${before.itemKey}`);
    const open = before.openTasks.find((t: { id: string }) => t.id === task.id);
    const form = open.form ? (item.taskForms[open.form].schema as JsonObject) : null;
    const data = form
      ? taskFormData(form, {
          rng: new Rng(7),
          today: new Date().toISOString().slice(0, 10),
          values: { ...before.data, ...before.variables },
        })
      : undefined;
    const res = await app.inject({
      method: 'POST',
      url: `/api/tasks/${task.id}/complete`,
      headers: await loginAs(app, username),
      payload: { action: 'approve', ...(data ? { data } : {}) },
    });
    expect(res.statusCode, res.body).toBe(200);
    const after = await get(username, `/api/cases/${task.caseId}`);
    expect(after.openTasks.map((t: { id: string }) => t.id)).not.toContain(task.id);
    expect(after.history.length).toBeGreaterThan(before.history.length);
  }

  it("fills township's inbox; open tasks of engine-made and of copied cases are completed by the demo user", async () => {
    const counts = await get('township', '/api/tasks/counts');
    expect(counts.todo).toBeGreaterThanOrEqual(150);
    expect(report.inbox).toEqual({ username: 'township', openTasks: counts.todo });
    const inbox = await get('township', '/api/tasks?box=todo&limit=100');
    // Engine-made cases have their own case.create audit entry; copies do not (one demo.seed entry).
    const audit = app.store.collection(AUDIT_COLLECTION);
    let engineTask: { id: string; caseId: string } | null = null;
    let copiedTask: { id: string; caseId: string } | null = null;
    for (const t of inbox.items as Array<{ id: string; caseId: string }>) {
      const made = (await audit.count({ subjectId: t.caseId, action: 'case.create' })) > 0;
      if (made && !engineTask) engineTask = t;
      if (!made && !copiedTask && t.caseId !== engineTask?.caseId) copiedTask = t;
    }
    expect(engineTask).not.toBeNull();
    expect(copiedTask).not.toBeNull();
    await completeFromInbox('township', engineTask as { id: string; caseId: string });
    await completeFromInbox('township', copiedTask as { id: string; caseId: string });
  });

  it('refuses to seed the same store twice, saying why', async () => {
    const marker = await app.store.collection(DEMO_SEED).get('demo-cases');
    expect(marker).toMatchObject({ size: 1_000, cases: 1_000 });
    await app.close();
    await expect(seedDemoCases({ dataDir, size: 10, env: {}, config })).rejects.toMatchObject({
      code: 'MINFLOW_ERR_COMMON_CONFLICT',
      details: [{ path: '/dataDir', message: expect.stringContaining('演示案件已于') }],
    });
    app = await buildApp({ env: {}, config: { ...config, dataDir }, logger: false });
  });
});
