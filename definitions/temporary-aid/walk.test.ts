import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DAY, ItemWalker } from '../../engine/test/items.js';
import { emergencyApplication, expenditureApplication, invalidApplications } from './fixtures.js';

const ITEM = 'temporary-aid';
const elements = (c: { openTasks: Array<{ elementId: string }> }) => c.openTasks.map((t) => t.elementId).sort();
const visit = {
  visitDate: '2026-03-03',
  lossConfirmed: 4800,
  livingConditions: '住院费用已核实，家庭负债',
  conclusion: 'meets',
};

describe('临时救助 (temporary-aid) walked through the API as the demo users', { timeout: 120_000 }, () => {
  let w: ItemWalker;
  beforeEach(async () => {
    w = await ItemWalker.start(); // Mon 2 Mar 2026, 09:00 Beijing
  });
  afterEach(async () => w?.close());

  it('急难 within the township limit: the township grants first (due in 24 hours) and completes the papers after', async () => {
    const filed = await w.file('village', ITEM, emergencyApplication());
    expect(elements(filed)).toEqual(['advanceGrant']);
    expect(filed.openTasks[0].dueAt).toBe('2026-03-03T01:00:00.000Z');
    const v = (await w.read('township', filed.id)).variables as Record<string, Record<string, unknown>>;
    expect(v.triage).toMatchObject({ limit: 2000, suggestedAmount: 1500, fastPath: true });
    const granted = await w.act('township', filed.id, 'advanceGrant', {
      action: 'approve',
      data: { grantedAmount: 1500, method: 'bank', opinion: '火灾情况属实，先行救助1500元' },
    });
    expect(elements(granted)).toEqual(['completePapers']);
    expect(granted.openTasks[0].dueAt).toBe('2026-03-09T15:59:59.999Z'); // 5 working days
    const paid = (await w.read('township', filed.id)).variables as Record<string, Record<string, unknown>>;
    expect(paid.benefit).toMatchObject({ granted: true, advance: true, amount: 1500 });
    await w.advance(2 * DAY);
    const done = await w.act('township', filed.id, 'completePapers', {
      action: 'approve',
      data: {
        papersComplete: true,
        verifiedDate: '2026-03-04',
        conclusion: 'confirmed',
        opinion: '材料已补齐，情况属实',
      },
    });
    expect(done.status).toBe('completed');
  });

  it('支出 above the township limit: accepted, investigated by two, checked, and approved by the county', async () => {
    const filed = await w.file('village', ITEM, expenditureApplication());
    expect(elements(filed)).toEqual(['acceptance']);
    const v = (await w.read('township', filed.id)).variables as Record<string, Record<string, unknown>>;
    expect(v.intake).toMatchObject({ loss: 4800 });
    expect(v.triage).toMatchObject({ fastPath: false, suggestedAmount: 4500 });
    await w.act('township', filed.id, 'acceptance', {
      action: 'approve',
      data: { acceptanceNo: 'HSZ-2026-L019', materialsComplete: true, opinion: '予以受理' },
    });
    await w.act('township', filed.id, 'homeVisit', { action: 'approve', data: visit });
    const checked = await w.act('investigator2', filed.id, 'homeVisit', { action: 'approve', data: visit });
    expect(elements(checked)).toEqual(['townshipReview']);
    const toCounty = await w.act('township', filed.id, 'townshipReview', {
      action: 'approve',
      data: { proposedAmount: 4000, opinion: '拟救助4000元，超过乡镇审批额度，报县审批' },
    });
    expect(elements(toCounty)).toEqual(['countyApproval']);
    expect(toCounty.openTasks[0].dueAt).toBe('2026-03-16T15:59:59.999Z'); // 10 working days
    const done = await w.act('county', filed.id, 'countyApproval', {
      action: 'approve',
      data: { approvedAmount: 4000, opinion: '同意救助4000元' },
    });
    expect(done.status).toBe('completed');
    expect(((await w.read('county', filed.id)).variables as Record<string, unknown>).benefit).toMatchObject({
      granted: true,
      advance: false,
      amount: 4000,
      decidedAt: 'county',
    });
  });

  it('the township refuses an application it does not accept, with the reason', async () => {
    const filed = await w.file('village', ITEM, expenditureApplication());
    const refused = await w.act('township', filed.id, 'acceptance', {
      action: 'reject',
      comment: '医疗费用已由大病保险全额赔付，不属于临时救助范围',
    });
    expect(refused.status).toBe('rejected');
    expect(refused.outcome?.reason).toContain('不属于临时救助范围');
  });
});

describe('临时救助 (temporary-aid): invalid applications are refused at filing', { timeout: 120_000 }, () => {
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
