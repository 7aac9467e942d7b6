import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DAY, ItemWalker } from '../../engine/test/items.js';
import { invalidApplications, validApplication } from './fixtures.js';

const ITEM = 'dibao-urban';
const panel = [
  { name: '马玉明', role: 'committee' },
  { name: '张国庆', role: 'cadre' },
  { name: '刘桂花', role: 'representative' },
];
const acceptance = {
  acceptanceNo: 'HSZ-2026-0031',
  materialsComplete: true,
  conflictOfInterest: false,
  reviewPanel: panel,
  opinion: '材料齐全，予以受理',
};
const visit = (income: number) => ({
  visitDate: '2026-03-04',
  householdPresent: true,
  assessedMonthlyIncome: income,
  livingConditions: '租住两间平房，家电简陋，丈夫每周透析三次',
  conclusion: 'meets',
});
const review = { meetingDate: '2026-03-04', attendees: 9, opinion: '情况属实，同意' };
const elements = (c: { openTasks: Array<{ elementId: string }> }) => c.openTasks.map((t) => t.elementId).sort();

describe('城市低保 (dibao-urban) walked through the API as the demo users', { timeout: 120_000 }, () => {
  let w: ItemWalker;
  beforeEach(async () => {
    w = await ItemWalker.start(); // 2026-03-02 09:00 Beijing, a Monday
  });
  afterEach(async () => w?.close());

  /** Filing → acceptance → two investigators + economic and overlap checks, up to the democratic review. */
  async function toDemocraticReview(data = validApplication(), checkDue = true) {
    const filed = await w.file('village', ITEM, data);
    expect(elements(filed)).toEqual(['acceptance']);
    if (checkDue) expect(filed.openTasks[0].dueAt).toBe('2026-03-05T15:59:59.999Z'); // 3 working days
    await w.advance(DAY);
    const accepted = await w.act('township', filed.id, 'acceptance', { action: 'approve', data: acceptance });
    expect(elements(accepted)).toEqual(['homeVisit', 'homeVisit']);
    // investigation within 3 working days of acceptance (Tue 3 Mar → Fri 6 Mar)
    if (checkDue)
      expect(accepted.openTasks.map((t) => t.dueAt)).toEqual(['2026-03-06T15:59:59.999Z', '2026-03-06T15:59:59.999Z']);
    await w.advance(DAY);
    await w.act('township', filed.id, 'homeVisit', { action: 'approve', data: visit(1000) });
    const visited = await w.act('investigator2', filed.id, 'homeVisit', { action: 'approve', data: visit(950) });
    return { id: filed.id, visited };
  }

  it('main path: accepted, investigated by two, checked, reviewed, 7-day notice, approved by the county at 1,445 元/month', async () => {
    const { id, visited } = await toDemocraticReview();
    expect(elements(visited)).toEqual(['democraticReview', 'democraticReview', 'democraticReview']);
    const full = await w.read('township', id);
    const v = full.variables as Record<string, Record<string, unknown>>;
    expect(v.standards).toMatchObject({ countyId: 'baiyin/huining', year: 2026, urbanMonthly: 815, demo: true });
    expect(v.economicCheck).toMatchObject({ passed: true, checkedIdNumbers: 3, verifiedMonthlyIncome: 0 });
    expect(v.overlapCheck).toMatchObject({ hasConflict: false, checkedIdNumbers: 3 });
    expect(v.intake).toMatchObject({ listed: 3, sizeMatches: true, householdMonthlyIncome: 1000 });
    // (815 − 1000 / 3) × 3 = 1,445
    expect(v.assessment).toMatchObject({
      size: 3,
      householdMonthlyIncome: 1000,
      perCapitaIncome: 333.33,
      eligible: true,
      monthlyAmount: 1445,
    });

    await w.act('village', id, 'democraticReview', { action: 'approve', data: review });
    const reviewed = await w.act('village', id, 'democraticReview', { action: 'approve', data: review });
    // 2 of 3 is a majority: the third record is no longer needed
    expect(elements(reviewed)).toEqual(['townshipReview']);
    const noticed = await w.act('township', id, 'townshipReview', {
      action: 'approve',
      data: { recommendedAmount: 1445, opinion: '经审核符合城市低保条件，拟按1445元/月保障，予以公示' },
    });
    expect(noticed.openTasks).toEqual([]); // 公示 in the village for 7 days
    // what the public notice may show: household size and amount, nothing else
    expect(((await w.read('township', id)).variables as Record<string, unknown>).notice).toEqual({
      householdSize: 3,
      amount: 1445,
    });
    await w.advance(6 * DAY);
    expect((await w.read('county', id)).openTasks).toEqual([]);
    await w.advance(DAY);
    const atCounty = await w.read('county', id);
    expect(elements(atCounty)).toEqual(['countyApproval']);
    expect(atCounty.openTasks[0].dueAt).toBe('2026-03-25T15:59:59.999Z'); // 10 working days from Wed 11 Mar
    const done = await w.act('county', id, 'countyApproval', {
      action: 'approve',
      data: { approvedAmount: 1445, startMonth: '2026-04', opinion: '同意纳入城市低保' },
    });
    expect(done.status).toBe('completed');
    const final = await w.read('county', id);
    expect((final.variables as Record<string, unknown>).benefit).toMatchObject({
      granted: true,
      monthlyAmount: 1445,
      computedAmount: 1445,
      householdSize: 3,
      startMonth: '2026-04',
    });

    // The same person applying again is caught by the overlap check and sent to the township to resolve.
    const again = await toDemocraticReview(validApplication(), false);
    expect(elements(again.visited)).toEqual(['duplicateReview']);
    const dup = await w.read('township', again.id);
    const overlap = (dup.variables as Record<string, { conflicts: Array<Record<string, unknown>> }>).overlapCheck;
    expect(overlap.conflicts).toContainEqual(
      expect.objectContaining({
        itemKey: 'dibao-urban',
        caseId: id,
        state: 'granted',
        idNumber: expect.stringMatching(/^620422\*{8}\d{3}[\dX]$/),
      }),
    );
    const refused = await w.act('township', again.id, 'duplicateReview', {
      action: 'reject',
      data: { resolution: 'refuse', explanation: '该户已享受城市低保，不得重复申请' },
      comment: '该户已享受城市低保，不得重复申请',
    });
    expect(refused.status).toBe('rejected');
    expect(refused.outcome?.reason).toContain('不得重复申请');
  });

  it('an objection during the notice sends the case back to investigation; a majority against in the review rejects it with the reasons', async () => {
    const { id } = await toDemocraticReview();
    await w.act('village', id, 'democraticReview', { action: 'approve', data: review });
    await w.act('village', id, 'democraticReview', { action: 'approve', data: review });
    await w.act('township', id, 'townshipReview', {
      action: 'approve',
      data: { recommendedAmount: 1445, opinion: '拟予保障，公示' },
    });
    await w.advance(3 * DAY);
    expect(
      await w.message('township', id, 'objection', { by: '村民（实名）', content: '其子在外打工有稳定收入' }),
    ).toBe(true);
    const back = await w.read('township', id);
    expect(elements(back)).toEqual(['homeVisit', 'homeVisit']);
    await w.act('township', id, 'homeVisit', { action: 'approve', data: visit(1000) });
    await w.act('investigator2', id, 'homeVisit', { action: 'approve', data: visit(1000) });
    await w.act('village', id, 'democraticReview', { action: 'reject', data: review, comment: '其子在外务工收入稳定' });
    const rejected = await w.act('village', id, 'democraticReview', {
      action: 'reject',
      data: review,
      comment: '家庭实际收入高于低保标准',
    });
    expect(rejected.status).toBe('rejected');
    expect(rejected.outcome?.reason).toContain('家庭实际收入高于低保标准');
  });

  it('the same investigator signing both home visits is sent back for a second investigator', async () => {
    const filed = await w.file('village', ITEM, validApplication());
    await w.act('township', filed.id, 'acceptance', { action: 'approve', data: acceptance });
    await w.act('township', filed.id, 'homeVisit', { action: 'approve', data: visit(1000) });
    const again = await w.act('township', filed.id, 'homeVisit', { action: 'approve', data: visit(1000) });
    expect(elements(again)).toEqual(['homeVisit', 'homeVisit']);
  });
});

describe('城市低保 (dibao-urban): invalid applications are refused at filing', { timeout: 120_000 }, () => {
  let r: ItemWalker;
  beforeAll(async () => {
    r = await ItemWalker.start();
  });
  afterAll(async () => r?.close());

  for (const bad of invalidApplications) {
    it(`refuses ${bad.title} with a zh-CN message naming the field`, async () => {
      const err = await r.refuse('village', ITEM, bad.data() as Record<string, unknown>);
      expect(err.code).toBe('MINFLOW_ERR_CASES_DATA_INVALID');
      expect(err.details).toContainEqual({ path: bad.path, message: bad.message });
    });
  }
});
