import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DAY, ItemWalker } from '../../engine/test/items.js';
import { invalidApplications, validApplication } from './fixtures.js';

const ITEM = 'dibao-rural';
const acceptance = {
  acceptanceNo: 'HSZ-2026-N012',
  materialsComplete: true,
  conflictOfInterest: false,
  reviewPanel: [
    { name: '马玉明', role: 'committee' },
    { name: '张国庆', role: 'cadre' },
    { name: '刘桂花', role: 'representative' },
  ],
  opinion: '材料齐全，予以受理',
};
const visit = {
  visitDate: '2026-03-04',
  householdPresent: true,
  assessedMonthlyIncome: 450,
  livingConditions: '土坯房三间，部分墙体开裂；旱地6.5亩，养羊2只',
  conclusion: 'meets',
};
const review = { meetingDate: '2026-03-05', attendees: 11, opinion: '情况属实，同意' };
const elements = (c: { openTasks: Array<{ elementId: string }> }) => c.openTasks.map((t) => t.elementId).sort();

describe('农村低保 (dibao-rural) walked through the API as the demo users', { timeout: 120_000 }, () => {
  let w: ItemWalker;
  beforeEach(async () => {
    w = await ItemWalker.start(); // Mon 2 Mar 2026, 09:00 Beijing
  });
  afterEach(async () => w?.close());

  async function toTownshipReview(closeRelative = false) {
    const filed = await w.file('village', ITEM, validApplication());
    expect(elements(filed)).toEqual(['acceptance']);
    await w.act('township', filed.id, 'acceptance', {
      action: 'approve',
      data: { ...acceptance, conflictOfInterest: closeRelative },
    });
    await w.advance(DAY);
    await w.act('township', filed.id, 'homeVisit', { action: 'approve', data: visit });
    const visited = await w.act('investigator2', filed.id, 'homeVisit', { action: 'approve', data: visit });
    expect(elements(visited)).toEqual(['democraticReview', 'democraticReview', 'democraticReview']);
    // democratic review within 5 working days of Tue 3 Mar
    expect(visited.openTasks[0].dueAt).toBe('2026-03-10T15:59:59.999Z');
    await w.act('village', filed.id, 'democraticReview', { action: 'approve', data: review });
    const reviewed = await w.act('village', filed.id, 'democraticReview', { action: 'approve', data: review });
    expect(elements(reviewed)).toEqual(['townshipReview']);
    return filed.id;
  }

  it('main path: the rural standard and farming, livestock and migrant-work income give 1,185 元/month', async () => {
    const id = await toTownshipReview();
    const v = (await w.read('township', id)).variables as Record<string, Record<string, unknown>>;
    expect(v.standards).toMatchObject({ countyId: 'baiyin/huining', ruralMonthly: 545 });
    expect(v.intake).toMatchObject({ householdMonthlyIncome: 450, sizeMatches: true });
    // (545 − 450 / 3) × 3 = 1,185
    expect(v.assessment).toMatchObject({ standard: 545, perCapitaIncome: 150, eligible: true, monthlyAmount: 1185 });
    await w.act('township', id, 'townshipReview', {
      action: 'approve',
      data: { recommendedAmount: 1185, opinion: '符合农村低保条件，予以公示' },
    });
    await w.advance(7 * DAY);
    const atCounty = await w.read('county', id);
    expect(elements(atCounty)).toEqual(['countyApproval']);
    expect(atCounty.openTasks[0].dueAt).toBe('2026-03-24T15:59:59.999Z'); // 10 working days from Tue 10 Mar
    const done = await w.act('county', id, 'countyApproval', {
      action: 'approve',
      data: { approvedAmount: 1185, startMonth: '2026-04', opinion: '同意纳入农村低保' },
    });
    expect(done.status).toBe('completed');
    expect(((await w.read('county', id)).variables as Record<string, unknown>).benefit).toMatchObject({
      granted: true,
      monthlyAmount: 1185,
      standard: 545,
    });
  });

  it('a close relative of a village cadre: the county re-visits the home, then refuses with reasons', async () => {
    const id = await toTownshipReview(true);
    await w.act('township', id, 'townshipReview', {
      action: 'approve',
      data: { recommendedAmount: 1185, opinion: '拟予保障' },
    });
    await w.advance(7 * DAY);
    const revisit = await w.read('county', id);
    expect(elements(revisit)).toEqual(['countyRevisit']);
    expect(revisit.openTasks[0].dueAt).toBe('2026-03-24T15:59:59.999Z');
    const atCounty = await w.act('county', id, 'countyRevisit', {
      action: 'approve',
      data: {
        visitDate: '2026-03-11',
        findings: '申请人系村委委员之兄，入户核查发现其子在外地购有商品房一套',
        opinion: '情况与申报不符',
      },
    });
    expect(elements(atCounty)).toEqual(['countyApproval']);
    const refused = await w.act('county', id, 'countyApproval', {
      action: 'reject',
      comment: '经县级入户核查，其子在外地购有商品房一套，家庭财产状况不符合规定',
    });
    expect(refused.status).toBe('rejected');
    expect(refused.outcome?.reason).toContain('家庭财产状况不符合规定');
  });
});

describe('农村低保 (dibao-rural): invalid applications are refused at filing', { timeout: 120_000 }, () => {
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
