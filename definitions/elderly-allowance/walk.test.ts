import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CaseJson, ItemWalker, residentId } from '../../engine/test/items.js';

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

  it('the age band comes from the ID number; village confirms within 5 working days; the township sees the computed amount and grants', async () => {
    const c = await w.file('village', KEY, application());
    expect(c.variables?.eligibility).toMatchObject({ birth: '1928-03-05', ageBand: '90-99' });
    expect(c.openTasks[0]).toMatchObject({ elementId: 'villageConfirmation', dueAt: '2026-03-09T15:59:59.999Z' });
    const atTownship = await w.act('village', c.id, 'villageConfirmation', {
      action: 'approve',
      data: { residenceConfirmed: true, visitDate: '2026-03-03' },
    });
    expect(atTownship.openTasks[0]).toMatchObject({ elementId: 'townshipReview', dueAt: '2026-03-16T15:59:59.999Z' });
    // The amount is there before the township decides: 会宁县's 2026 standard for 90–99, not typed.
    expect(atTownship.variables?.standards).toMatchObject({ countyId: 'baiyin/huining', year: 2026 });
    expect(atTownship.variables?.allowance).toEqual({ ageBand: '90-99', monthly: 150, standardYear: 2026 });
    // The reviewer no longer types the band or the amount: the form refuses them.
    const taskId = await w.taskFor('township', c.id, 'townshipReview');
    const typed = await w.as('township', 'POST', `/api/tasks/${taskId}/complete`, {
      action: 'approve',
      data: { decision: 'grant', monthlyAmount: 500, startMonth: '2026-04', opinion: '符合条件' },
    });
    expect(typed.statusCode).toBe(400);
    const done = await w.act('township', c.id, 'townshipReview', {
      action: 'approve',
      data: { decision: 'grant', startMonth: '2026-04', opinion: '符合条件' },
    });
    expect(done.status).toBe('completed');
    expect(done.history?.some((h) => h.type === 'element.ended' && h.elementId === 'granted')).toBe(true);
    expect(done.variables?.allowance).toMatchObject({ monthly: 150 });
    // The grant is recorded for the person lookup and the cross-item checks, as the other benefits are.
    expect(done.variables?.benefit).toEqual({
      granted: true,
      householdSize: 1,
      monthlyAmount: 150,
      ageBand: '90-99',
      startMonth: '2026-04',
      countyId: 'baiyin/huining',
      year: 2026,
    });
  });

  async function toTownship(birth: string): Promise<CaseJson> {
    const applicant = { ...(application().applicant as object), idNumber: residentId('620422', birth, '002') };
    const c = await w.file('village', KEY, application({ applicant }));
    return w.act('village', c.id, 'villageConfirmation', {
      action: 'approve',
      data: { residenceConfirmed: true, visitDate: '2026-03-03' },
    });
  }

  it('pays each age band its configured monthly amount (85, 92 and 101 years old on 2 March 2026)', async () => {
    const bands: Array<[string, number, string, number]> = [
      ['19410110', 85, '80-89', 80],
      ['19340110', 92, '90-99', 150],
      ['19250110', 101, '100+', 400],
    ];
    for (const [birth, age, ageBand, monthly] of bands) {
      const c = await toTownship(birth);
      expect(c.openTasks.map((t) => t.elementId)).toEqual(['townshipReview']);
      expect(c.variables?.eligibility).toMatchObject({ age, ageBand });
      expect(c.variables?.allowance, `${age} years`).toEqual({ ageBand, monthly, standardYear: 2026 });
    }
  });

  it('the county standard is configuration: changed by the city admin, the next case gets the new amount', async () => {
    const before = await toTownship('19410110');
    expect(before.variables?.allowance).toMatchObject({ monthly: 80 });
    const url = `/api/standards/${encodeURIComponent('baiyin/huining')}/2026`;
    const row = (await w.as('admin', 'GET', url)).json();
    const { countyId: _c, countyName: _n, year: _y, demo: _d, updatedAt: _u, updatedBy: _b, ...figures } = row;
    const put = await w.as('admin', 'PUT', url, {
      ...figures,
      elderlyAllowanceMonthly: { ...figures.elderlyAllowanceMonthly, '80-89': 100 },
      note: '会民发〔2026〕30号',
    });
    expect(put.statusCode, put.body).toBe(200);
    const after = await toTownship('19410110');
    expect(after.variables?.allowance).toMatchObject({ ageBand: '80-89', monthly: 100 });
    // the case computed before the change keeps the amount it was computed with
    expect((await w.read('township', before.id)).variables?.allowance).toMatchObject({ monthly: 80 });
    // the county admin may not change it
    const county = await w.as('county', 'PUT', url, { ...figures, version: put.json().version });
    expect(county.statusCode).toBe(403);
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

  it('refuses an applicant under 80 by the age in the ID number, naming the field', async () => {
    // 79 today: born 79 years and a month ago (the check counts on today's date, Beijing time).
    const now = new Date(Date.now() + 8 * 3600_000);
    const birth = new Date(Date.UTC(now.getUTCFullYear() - 79, now.getUTCMonth() - 1, 15));
    const id = residentId('620422', birth.toISOString().slice(0, 10).replaceAll('-', ''), '002');
    const young = await w.refuse(
      'village',
      KEY,
      application({ applicant: { ...(application().applicant as object), idNumber: id } }),
    );
    expect(young.details).toContainEqual({
      path: '/data/applicant/idNumber',
      message: '按身份证号码计算现年79周岁，应年满80周岁',
    });
  });
});
