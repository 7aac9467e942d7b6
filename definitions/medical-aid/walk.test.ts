import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ItemWalker } from '../../engine/test/items.js';
import { invalidApplications, validApplication } from './fixtures.js';

const ITEM = 'medical-aid';
const elements = (c: { openTasks: Array<{ elementId: string }> }) => c.openTasks.map((t) => t.elementId).sort();
const acceptance = { acceptanceNo: 'HSZ-2026-Y044', materialsComplete: true, opinion: '予以受理' };

describe('医疗救助 (medical-aid) walked through the API as the demo users', { timeout: 120_000 }, () => {
  let w: ItemWalker;
  beforeEach(async () => {
    w = await ItemWalker.start(); // Mon 2 Mar 2026, 09:00 Beijing
  });
  afterEach(async () => w?.close());

  it('main path: 28,000 out of pocket × 50 % = 14,000 元; the high cost also opens a proactive follow-up; medical insurance co-reviews; the county approves', async () => {
    const filed = await w.file('village', ITEM, validApplication());
    expect(elements(filed)).toEqual(['acceptance']);
    const accepted = await w.act('township', filed.id, 'acceptance', { action: 'approve', data: acceptance });
    expect(elements(accepted)).toEqual(['proactiveFollowUp', 'townshipReview']);
    const due = Object.fromEntries(accepted.openTasks.map((t) => [t.elementId, t.dueAt]));
    expect(due).toEqual({ townshipReview: '2026-03-09T15:59:59.999Z', proactiveFollowUp: '2026-03-16T15:59:59.999Z' });
    const v = (await w.read('township', filed.id)).variables as Record<string, Record<string, unknown>>;
    expect(v.calc).toMatchObject({
      outOfPocket: 28_000,
      rate: 0.5,
      remainingCap: 60_000,
      amount: 14_000,
      warning: true,
      groupVerified: true,
    });

    const atInsurance = await w.act('township', filed.id, 'townshipReview', {
      action: 'approve',
      data: { proposedAmount: 14_000, opinion: '因病致贫，拟救助14000元' },
    });
    expect(elements(atInsurance)).toEqual(['insuranceReview', 'proactiveFollowUp']);
    await w.act('county', filed.id, 'insuranceReview', {
      action: 'approve',
      data: { settlementVerified: true, verifiedOutOfPocket: 28_000, opinion: '结算数据核实无误' },
    });
    const approved = await w.act('county', filed.id, 'countyApproval', {
      action: 'approve',
      data: { approvedAmount: 14_000, opinion: '同意救助14000元' },
    });
    // the proactive follow-up is still open: the case completes once it is handled
    expect(approved.status).toBe('active');
    expect(elements(approved)).toEqual(['proactiveFollowUp']);
    const done = await w.act('township', filed.id, 'proactiveFollowUp', {
      action: 'approve',
      data: {
        contactDate: '2026-03-05',
        outcome: 'apply-low-income',
        note: '家庭人均收入接近低收入标准，已引导申请低收入认定',
      },
    });
    expect(done.status).toBe('completed');
    expect(((await w.read('county', filed.id)).variables as Record<string, unknown>).benefit).toMatchObject({
      granted: true,
      amount: 14_000,
      group: 'other',
    });
  });

  it('a claimed dibao status that the city-wide lookup does not find goes to the township, who refuses it', async () => {
    const d = { ...validApplication(), group: 'dibao' };
    const filed = await w.file('village', ITEM, d);
    const accepted = await w.act('township', filed.id, 'acceptance', { action: 'approve', data: acceptance });
    expect(elements(accepted)).toEqual(['groupCheck']);
    const v = (await w.read('township', filed.id)).variables as Record<string, Record<string, unknown>>;
    expect(v.calc).toMatchObject({ groupVerified: false, rate: 0.7 });
    const refused = await w.act('township', filed.id, 'groupCheck', {
      action: 'reject',
      data: { confirmedGroup: 'none', explanation: '全市比对未查询到该患者享受低保待遇' },
      comment: '未查询到低保待遇，且未提供因病致贫材料',
    });
    expect(refused.status).toBe('rejected');
    expect(refused.outcome?.reason).toContain('未查询到低保待遇');
  });
});

describe('医疗救助 (medical-aid): invalid applications are refused at filing', { timeout: 120_000 }, () => {
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
