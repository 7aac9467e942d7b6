import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, ItemWalker } from '../../engine/test/items.js';

const KEY = 'village-affairs';
const VILLAGE = 'baiyin/huining/huishi/dongguan';
const photo = { name: 'board.jpg', url: '/files/board.jpg', size: 300_000, contentType: 'image/jpeg' };

const finance = {
  openingBalance: 52_000,
  receipts: [
    { item: '上级转移支付（村级运转经费）', amount: 30_000 },
    { item: '集体土地租赁收入', amount: 8_000 },
  ],
  expenditure: [
    { item: '村干部报酬', amount: 18_000, approvedBy: '张建军、村务监督委员会' },
    { item: '村道路灯维修', amount: 4_500, approvedBy: '张建军、村务监督委员会' },
  ],
  closingBalance: 67_500,
};
/** The same books with a wrong closing balance (should be 52,000 + 38,000 − 22,500 = 67,500). */
const unbalanced = { ...finance, closingBalance: 70_000 };

describe('村务公开 (village-affairs)', () => {
  let w: ItemWalker;
  beforeAll(async () => {
    w = await ItemWalker.start();
  });
  afterAll(async () => w?.close());

  it('opened by the township for a village, reminders every 5 days while late, reviewed, returned once, posted', async () => {
    const c = await w.file('township', KEY, { period: { year: 2026, quarter: 1 } }, VILLAGE);
    expect(c.openTasks.map((t) => t.elementId)).toEqual(['villageDisclosure']);
    // 10 working days from Monday 2026-03-02 → Monday 2026-03-16.
    expect(c.openTasks[0].dueAt).toBe('2026-03-16T15:59:59.999Z');
    await w.advance(5 * DAY);
    const late = await w.read('township', c.id);
    expect(late.openTasks.map((t) => t.elementId).sort()).toEqual(['townshipReminder', 'villageDisclosure']);
    await w.act('township', c.id, 'townshipReminder', {
      action: 'approve',
      data: { contactedOn: '2026-03-07', note: '电话督促东关村协理员本周内报送' },
    });
    const drafted = await w.act('village', c.id, 'villageDisclosure', {
      action: 'approve',
      data: { supervisorsReviewed: true },
      changes: {
        finance: unbalanced,
        projects: [{ name: '东关村产业路硬化', budget: 350_000, contractor: '会宁县某建筑公司', progress: 'ongoing' }],
        assistance: [
          { programme: 'dibao', households: 42, persons: 97, amount: 86_940 },
          { programme: 'elderly-allowance', households: 18, persons: 19, amount: 5_700 },
        ],
      },
    });
    expect(drafted.variables?.accounts).toEqual({
      receiptsTotal: 38_000,
      expenditureTotal: 22_500,
      balanced: false,
      assistanceTotal: 92_640,
    });
    const returned = await w.act('township', c.id, 'townshipReview', {
      action: 'return',
      target: 'villageDisclosure',
      comment: '期末余额与收支不符，请核对后重新报送',
    });
    expect(returned.openTasks.map((t) => t.elementId)).toContain('villageDisclosure');
    const fixed = await w.act('village', c.id, 'villageDisclosure', {
      action: 'approve',
      data: { supervisorsReviewed: true, note: '更正期末余额' },
      changes: { finance: { ...finance, closingBalance: 67_500 } },
    });
    expect(fixed.variables?.accounts).toMatchObject({ balanced: true });
    await w.act('township', c.id, 'townshipReview', { action: 'approve', data: { opinion: '同意公开' } });
    const done = await w.act('village', c.id, 'villagePosting', {
      action: 'approve',
      data: { postedOn: '2026-03-20', locations: ['board', 'wechat'], photos: [photo] },
    });
    expect(done.status).toBe('completed');
  });

  it('posting needs at least one photo of the notice board; the period is required', async () => {
    const c = await w.file('village', KEY, { period: { year: 2026, quarter: 2 }, finance });
    await w.act('village', c.id, 'villageDisclosure', { action: 'approve', data: { supervisorsReviewed: true } });
    await w.act('township', c.id, 'townshipReview', { action: 'approve', data: { opinion: '同意公开' } });
    const taskId = await w.taskFor('village', c.id, 'villagePosting');
    const res = await w.as('village', 'POST', `/api/tasks/${taskId}/complete`, {
      action: 'approve',
      data: { postedOn: '2026-06-20', locations: ['board'], photos: [] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().details.map((d: { path: string }) => d.path)).toContain('/data/photos');
    const refused = await w.refuse('village', KEY, { period: { year: 2026, quarter: 5 } });
    expect(refused.details.map((d) => d.path)).toContain('/data/period/quarter');
  });
});
