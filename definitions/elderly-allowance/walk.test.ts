import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ItemWalker, residentId } from '../../engine/test/items.js';

const KEY = 'elderly-allowance';
const ID = residentId('620422', '19280305', '002');

function application(overrides: Record<string, unknown> = {}) {
  return {
    applicant: { name: '张桂兰', idNumber: ID, phone: '13919012345', address: '会宁县会师镇东关村三社12号' },
    residence: { hukouAddress: '甘肃省会宁县会师镇东关村', livesLocally: true, yearsResident: 80 },
    bankAccount: { bankName: '甘肃省农村信用社', accountName: '张桂兰', accountNumber: '622827123456789012' },
    applyByAgent: true,
    agent: {
      name: '李国庆',
      idNumber: residentId('620422', '19600101', '015'),
      relation: 'child',
      phone: '13919016789',
    },
    ...overrides,
  };
}

describe('高龄津贴 (elderly-allowance)', () => {
  let w: ItemWalker;
  beforeAll(async () => {
    w = await ItemWalker.start();
  });
  afterAll(async () => w?.close());

  it('the age band comes from the ID number; village confirms within 5 working days, the township grants', async () => {
    const c = await w.file('village', KEY, application());
    expect(c.variables?.eligibility).toMatchObject({ birth: '1928-03-05', ageBand: '90-99' });
    expect(c.openTasks[0]).toMatchObject({ elementId: 'villageConfirmation', dueAt: '2026-03-09T15:59:59.999Z' });
    const atTownship = await w.act('village', c.id, 'villageConfirmation', {
      action: 'approve',
      data: { residenceConfirmed: true, visitDate: '2026-03-03' },
    });
    expect(atTownship.openTasks[0]).toMatchObject({ elementId: 'townshipReview', dueAt: '2026-03-16T15:59:59.999Z' });
    const done = await w.act('township', c.id, 'townshipReview', {
      action: 'approve',
      data: { decision: 'grant', ageBand: '90-99', monthlyAmount: 200, startMonth: '2026-04', opinion: '符合条件' },
    });
    expect(done.status).toBe('completed');
    expect(done.history?.some((h) => h.type === 'element.ended' && h.elementId === 'granted')).toBe(true);
  });

  it('the township denies: the flow ends at 不予发放; the village can return for correction', async () => {
    const c = await w.file('village', KEY, application());
    const back = await w.act('village', c.id, 'villageConfirmation', {
      action: 'return',
      target: 'applicant',
      comment: '请补充户口簿',
    });
    expect(back.status).toBe('active');
    const c2 = await w.file('village', KEY, application());
    await w.act('village', c2.id, 'villageConfirmation', {
      action: 'approve',
      data: { residenceConfirmed: false, visitDate: '2026-03-03', note: '常年随子女居住外省' },
    });
    const denied = await w.act('township', c2.id, 'townshipReview', {
      action: 'approve',
      data: { decision: 'deny', opinion: '不在户籍地长期居住' },
    });
    expect(denied.history?.some((h) => h.type === 'element.ended' && h.elementId === 'denied')).toBe(true);
  });

  it('refuses a bad ID check digit and an agent application without the agent', async () => {
    const wrong = ID.slice(0, 17) + (ID[17] === '1' ? '2' : '1');
    const bad = await w.refuse(
      'village',
      KEY,
      application({ applicant: { ...(application().applicant as object), idNumber: wrong } }),
    );
    expect(bad.details.find((d) => d.path === '/data/applicant/idNumber')?.message).toMatch(/校验/);
    const noAgent = await w.refuse('village', KEY, application({ agent: undefined }));
    expect(noAgent.details.map((d) => d.path)).toContain('/data/agent');
  });
});
