import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DAY, ItemWalker } from '../../engine/test/items.js';
import { initialReport, invalidApplications, reliefApplication } from './fixtures.js';

const ITEM = 'disaster-relief';
const elements = (c: { openTasks: Array<{ elementId: string }> }) => c.openTasks.map((t) => t.elementId).sort();
const assessed = {
  visitDate: '2026-03-03',
  assessedDamage: 'severe',
  opinion: '屋顶塌陷、后墙贯通裂缝，评定为严重损坏',
};

describe('自然灾害救助 (disaster-relief) walked through the API as the demo users', { timeout: 120_000 }, () => {
  let w: ItemWalker;
  beforeEach(async () => {
    w = await ItemWalker.start(); // Mon 2 Mar 2026, 09:00 Beijing
  });
  afterEach(async () => w?.close());

  it('灾情初报 reaches the township and the county inboxes at once, each due within 2 hours', async () => {
    const filed = await w.file('village', ITEM, initialReport());
    expect(elements(filed)).toEqual(['countyReceipt', 'townshipReceipt']);
    expect(filed.openTasks.map((t) => t.dueAt)).toEqual(['2026-03-02T03:00:00.000Z', '2026-03-02T03:00:00.000Z']);
    // in both inboxes before either acts
    await w.taskFor('township', filed.id, 'townshipReceipt');
    await w.taskFor('county', filed.id, 'countyReceipt');
    await w.act('county', filed.id, 'countyReceipt', {
      action: 'approve',
      data: { verified: true, forwarded: true, responseLevel: 'iv', note: '已报市应急管理局和市民政局' },
    });
    const done = await w.act('township', filed.id, 'townshipReceipt', {
      action: 'approve',
      data: { verified: true, forwarded: true, note: '已派员现场核实' },
    });
    expect(done.status).toBe('completed');
  });

  it('house rebuilding: assessed severe by two, 15,000 元 from the county standard, 7-day notice, approved by the county', async () => {
    const filed = await w.file('village', ITEM, reliefApplication());
    expect(elements(filed)).toEqual(['damageAssessment', 'damageAssessment']);
    expect(filed.openTasks[0].dueAt).toBe('2026-03-05T15:59:59.999Z');
    await w.act('township', filed.id, 'damageAssessment', { action: 'approve', data: assessed });
    const after = await w.act('investigator2', filed.id, 'damageAssessment', { action: 'approve', data: assessed });
    expect(elements(after)).toEqual(['townshipReview']);
    const v = (await w.read('township', filed.id)).variables as Record<string, Record<string, unknown>>;
    expect(v.assessment).toMatchObject({ damage: 'severe', amount: 15_000, eligible: true });
    await w.act('township', filed.id, 'townshipReview', {
      action: 'approve',
      data: { proposedAmount: 15_000, opinion: '拟补助15000元' },
    });
    await w.advance(7 * DAY);
    const atCounty = await w.read('county', filed.id);
    expect(elements(atCounty)).toEqual(['countyApproval']);
    expect(atCounty.openTasks[0].dueAt).toBe('2026-03-23T15:59:59.999Z');
    const done = await w.act('county', filed.id, 'countyApproval', {
      action: 'approve',
      data: { approvedAmount: 15_000, opinion: '同意' },
    });
    expect(done.status).toBe('completed');
    expect(((await w.read('county', filed.id)).variables as Record<string, unknown>).benefit).toMatchObject({
      granted: true,
      reliefType: 'house-rebuild',
      amount: 15_000,
    });
  });

  it('winter-spring relief is per person (3 × 300); an objection during the notice sends it back to the assessment', async () => {
    const d = { ...reliefApplication(), reliefType: 'winter-spring' };
    const filed = await w.file('village', ITEM, d);
    await w.act('township', filed.id, 'damageAssessment', { action: 'approve', data: assessed });
    await w.act('investigator2', filed.id, 'damageAssessment', { action: 'approve', data: assessed });
    const v = (await w.read('township', filed.id)).variables as Record<string, Record<string, unknown>>;
    expect(v.assessment).toMatchObject({ size: 3, amount: 900 });
    await w.act('township', filed.id, 'townshipReview', {
      action: 'approve',
      data: { proposedAmount: 900, opinion: '拟救助900元' },
    });
    await w.advance(2 * DAY);
    expect(await w.message('township', filed.id, 'objection', { content: '其子在外务工收入较高' })).toBe(true);
    expect(elements(await w.read('township', filed.id))).toEqual(['damageAssessment', 'damageAssessment']);
  });

  it('the county refuses with the reason', async () => {
    const filed = await w.file('village', ITEM, reliefApplication());
    await w.act('township', filed.id, 'damageAssessment', { action: 'approve', data: assessed });
    await w.act('investigator2', filed.id, 'damageAssessment', { action: 'approve', data: assessed });
    await w.act('township', filed.id, 'townshipReview', {
      action: 'approve',
      data: { proposedAmount: 15_000, opinion: '拟补助' },
    });
    await w.advance(7 * DAY);
    const refused = await w.act('county', filed.id, 'countyApproval', {
      action: 'reject',
      comment: '该房屋已纳入农村危房改造项目，不重复补助',
    });
    expect(refused.status).toBe('rejected');
    expect(refused.outcome?.reason).toContain('不重复补助');
  });
});

describe('自然灾害救助 (disaster-relief): invalid applications are refused at filing', { timeout: 120_000 }, () => {
  let r: ItemWalker;
  beforeAll(async () => {
    r = await ItemWalker.start();
  });
  afterAll(async () => r?.close());

  for (const bad of invalidApplications) {
    it(`refuses ${bad.title} with a zh-CN message naming the field`, async () => {
      const err = await r.refuse('village', ITEM, bad.data() as Record<string, unknown>);
      expect(err.details).toContainEqual({ path: bad.path, message: bad.message });
    });
  }
});
