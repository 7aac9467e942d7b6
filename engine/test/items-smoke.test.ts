import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, ItemWalker, residentId } from './items.js';

describe('ItemWalker (the walk-through helper of the items tests)', () => {
  let w: ItemWalker;
  beforeAll(async () => {
    w = await ItemWalker.start();
  });
  afterAll(async () => w?.close());

  it('walks 高龄津贴 village → township to a completed case through the inboxes', async () => {
    const id = residentId('620422', '19400305', '002');
    const c = await w.file('village', 'elderly-allowance', {
      applicant: { name: '张桂兰', idNumber: id, phone: '13919012345', address: '会宁县会师镇南关村三社12号' },
      residence: { hukouAddress: '甘肃省会宁县会师镇南关村', livesLocally: true, yearsResident: 60 },
      bankAccount: { bankName: '甘肃省农村信用社', accountName: '张桂兰', accountNumber: '622827123456789012' },
      applyByAgent: false,
    });
    expect(c.openTasks.map((t) => t.elementId)).toEqual(['villageConfirmation']);
    await w.advance(DAY);
    const after = await w.act('village', c.id, 'villageConfirmation', {
      action: 'approve',
      data: { residenceConfirmed: true, visitDate: '2026-03-03' },
    });
    expect(after.openTasks.map((t) => t.elementId)).toEqual(['townshipReview']);
    const done = await w.act('township', c.id, 'townshipReview', {
      action: 'approve',
      data: { decision: 'grant', startMonth: '2026-04', opinion: '符合条件' },
    });
    expect(done.status).toBe('completed');
  });
});
