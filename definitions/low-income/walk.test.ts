import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DAY, ItemWalker } from '../../engine/test/items.js';
import { invalidApplications, validApplication } from './fixtures.js';

const ITEM = 'low-income';
const acceptance = {
  acceptanceNo: 'HSZ-2026-D007',
  materialsComplete: true,
  conflictOfInterest: false,
  opinion: '材料齐全，予以受理',
};
const visit = (income: number) => ({
  visitDate: '2026-03-03',
  householdPresent: true,
  assessedMonthlyIncome: income,
  livingConditions: '自有楼房一套58平方米，母女二人均打零工',
  conclusion: 'meets',
});
const elements = (c: { openTasks: Array<{ elementId: string }> }) => c.openTasks.map((t) => t.elementId).sort();

describe('低收入家庭认定 (low-income) walked through the API as the demo users', { timeout: 120_000 }, () => {
  let w: ItemWalker;
  beforeEach(async () => {
    w = await ItemWalker.start(); // Mon 2 Mar 2026, 09:00 Beijing
  });
  afterEach(async () => w?.close());

  async function investigated(income: number, data = validApplication()) {
    const filed = await w.file('village', ITEM, data);
    await w.act('township', filed.id, 'acceptance', { action: 'approve', data: acceptance });
    await w.act('township', filed.id, 'homeVisit', { action: 'approve', data: visit(income) });
    return {
      id: filed.id,
      after: await w.act('investigator2', filed.id, 'homeVisit', { action: 'approve', data: visit(income) }),
    };
  }

  it('main path: no democratic review; 1,000 per person is within 1.5 × the dibao standard; the county confirms after the notice', async () => {
    const { id, after } = await investigated(2000);
    // the lighter approval: straight to the township review
    expect(elements(after)).toEqual(['townshipReview']);
    expect(after.openTasks[0].dueAt).toBe('2026-03-09T15:59:59.999Z'); // 5 working days from Mon 2 Mar
    const v = (await w.read('township', id)).variables as Record<string, Record<string, unknown>>;
    expect(v.assessment).toMatchObject({
      dibaoStandard: 815,
      ceiling: 1222.5,
      perCapitaIncome: 1000,
      eligible: true,
      category: 'low-income',
    });
    await w.act('township', id, 'townshipReview', {
      action: 'approve',
      data: { recommendedAmount: 0, opinion: '符合低收入家庭认定条件，予以公示' },
    });
    await w.advance(7 * DAY);
    const atCounty = await w.read('county', id);
    expect(elements(atCounty)).toEqual(['countyApproval']);
    expect(atCounty.openTasks[0].dueAt).toBe('2026-03-23T15:59:59.999Z'); // 10 working days from Mon 9 Mar
    const done = await w.act('county', id, 'countyApproval', {
      action: 'approve',
      data: { validUntil: '2027-03-31', opinion: '确认为低收入家庭' },
    });
    expect(done.status).toBe('completed');
    expect(((await w.read('county', id)).variables as Record<string, unknown>).benefit).toMatchObject({
      granted: true,
      category: 'low-income',
      validUntil: '2027-03-31',
    });
  });

  it('an income above the ceiling is held for the township, who refuses it with reasons', async () => {
    // the investigators find 2,600 元/month: 1,300 per person > 1,222.5
    const { id, after } = await investigated(2600);
    expect(elements(after)).toEqual(['ineligibleReview']);
    const refused = await w.act('township', id, 'ineligibleReview', {
      action: 'reject',
      data: { explanation: '经入户调查家庭人均月收入1300元，高于低收入认定标准1222.5元' },
      comment: '家庭人均月收入高于低收入认定标准',
    });
    expect(refused.status).toBe('rejected');
    expect(refused.outcome?.reason).toContain('高于低收入认定标准');
  });
});

describe('低收入家庭认定 (low-income): invalid applications are refused at filing', { timeout: 120_000 }, () => {
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
