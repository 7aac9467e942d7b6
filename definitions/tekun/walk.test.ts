import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DAY, ItemWalker } from '../../engine/test/items.js';
import { validApplication as dibaoApplication } from '../dibao-urban/fixtures.js';
import { applicantId, invalidApplications, validApplication } from './fixtures.js';

const ITEM = 'tekun';
const acceptance = {
  acceptanceNo: 'HSZ-2026-T003',
  materialsComplete: true,
  conflictOfInterest: false,
  opinion: '予以受理',
};
const visit = {
  visitDate: '2026-03-03',
  assessedSelfCare: 'partialCare',
  livingConditions: '独居土坯房，行走需拄拐，能自行进食，洗澡需人协助',
  conclusion: 'meets',
};
const elements = (c: { openTasks: Array<{ elementId: string }> }) => c.openTasks.map((t) => t.elementId).sort();

describe('特困人员救助供养 (tekun) walked through the API as the demo users', { timeout: 120_000 }, () => {
  let w: ItemWalker;
  beforeEach(async () => {
    w = await ItemWalker.start(); // Mon 2 Mar 2026, 09:00 Beijing
  });
  afterEach(async () => w?.close());

  async function investigated() {
    const filed = await w.file('village', ITEM, validApplication());
    expect(elements(filed)).toEqual(['acceptance']);
    const accepted = await w.act('township', filed.id, 'acceptance', { action: 'approve', data: acceptance });
    expect(accepted.openTasks.map((t) => t.dueAt)).toEqual(['2026-03-05T15:59:59.999Z', '2026-03-05T15:59:59.999Z']);
    await w.act('township', filed.id, 'homeVisit', { action: 'approve', data: visit });
    return {
      id: filed.id,
      after: await w.act('investigator2', filed.id, 'homeVisit', { action: 'approve', data: visit }),
    };
  }

  it('main path: “three withouts” confirmed, basic 1,060 + partial care 330 = 1,390 元/month, approved by the county after the notice', async () => {
    const { id, after } = await investigated();
    expect(elements(after)).toEqual(['townshipReview']);
    const v = (await w.read('township', id)).variables as Record<string, Record<string, unknown>>;
    expect(v.overlapCheck).toMatchObject({ hasConflict: false });
    expect(v.assessment).toMatchObject({
      noWorkAbility: true,
      noIncome: true,
      noSupporter: true,
      eligible: true,
      selfCare: 'partialCare',
      basicMonthly: 1060,
      careMonthly: 330,
      monthlyAmount: 1390,
    });
    await w.act('township', id, 'townshipReview', {
      action: 'approve',
      data: { recommendedAmount: 1390, opinion: '符合特困供养条件，分散供养' },
    });
    await w.advance(7 * DAY);
    const atCounty = await w.read('county', id);
    expect(elements(atCounty)).toEqual(['countyApproval']);
    expect(atCounty.openTasks[0].dueAt).toBe('2026-03-23T15:59:59.999Z');
    const done = await w.act('county', id, 'countyApproval', {
      action: 'approve',
      data: { approvedAmount: 1390, startMonth: '2026-04', opinion: '同意纳入特困人员分散供养' },
    });
    expect(done.status).toBe('completed');
    expect(((await w.read('county', id)).variables as Record<string, unknown>).benefit).toMatchObject({
      granted: true,
      monthlyAmount: 1390,
      careType: 'dispersed',
      householdSize: 1,
    });
    expect(((await w.read('county', id)).variables as Record<string, unknown>).notice).toEqual({
      householdSize: 1,
      amount: 1390,
    });
  });

  it('a person in a pending dibao household cannot also be taken into tekun: the overlap stops at the township', async () => {
    const dibao = dibaoApplication();
    dibao.members[0] = { ...dibao.members[0], name: '张福堂', idNumber: applicantId, relation: 'father' };
    const dibaoCase = await w.file('village', 'dibao-urban', dibao);
    expect(dibaoCase.status).toBe('active');

    const { id, after } = await investigated();
    expect(elements(after)).toEqual(['duplicateReview']);
    const overlap = ((await w.read('township', id)).variables as Record<string, Record<string, unknown>>).overlapCheck;
    expect(overlap.hasConflict).toBe(true);
    expect(overlap.conflicts).toEqual([
      expect.objectContaining({ itemKey: 'dibao-urban', caseId: dibaoCase.id, state: 'pending', conflict: true }),
    ]);
    const refused = await w.act('township', id, 'duplicateReview', {
      action: 'reject',
      data: { resolution: 'refuse', explanation: '申请人已在其子女家庭的低保申请中，不得同时享受特困供养' },
      comment: '不得同时享受低保和特困供养',
    });
    expect(refused.status).toBe('rejected');
    expect(refused.outcome?.reason).toBe('不得同时享受低保和特困供养');
  });
});

describe('特困人员救助供养 (tekun): invalid applications are refused at filing', { timeout: 120_000 }, () => {
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
