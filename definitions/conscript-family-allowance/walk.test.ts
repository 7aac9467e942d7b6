import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, ItemWalker, residentId } from '../../engine/test/items.js';

const KEY = 'conscript-family-allowance';
const file = (name: string) => ({
  name,
  url: `/files/${encodeURIComponent(name)}`,
  size: 80_000,
  contentType: 'application/pdf',
});

function application(overrides: Record<string, unknown> = {}) {
  return {
    allowanceYear: 2026,
    conscript: {
      name: '马晓东',
      idNumber: residentId('620422', '20060915', '031'),
      enlistedOn: '2025-09-10',
      enlistedFrom: 'hukou',
      education: 'senior',
      branch: 'army',
      unitCode: '96xxx-1',
      enlistmentNoticeNumber: 'HN2025-0381',
    },
    household: {
      headName: '马成福',
      headIdNumber: residentId('620422', '19780304', '017'),
      relationToHead: 'child',
      address: '会宁县会师镇东关村二社15号',
      phone: '13993012345',
      size: 4,
    },
    honours: [],
    payee: { name: '马成福', idNumber: residentId('620422', '19780304', '017'), relation: 'father' },
    bankAccount: { bankName: '甘肃省农村信用社', accountName: '马成福', accountNumber: '622827000033334444' },
    attachments: { enlistmentNotice: [file('入伍通知书.pdf')], householdRegister: [file('户口簿.pdf')] },
    ...overrides,
  };
}

async function toNotice(w: ItemWalker, data: Record<string, unknown>) {
  const c = await w.file('village', KEY, data);
  await w.act('village', c.id, 'villageConfirmation', {
    action: 'approve',
    data: { confirmedOn: '2026-03-03', hukouConfirmed: true },
  });
  return w.act('township', c.id, 'townshipReview', {
    action: 'approve',
    data: { inService: true, opinion: '经县人武部核实在役' },
  });
}

describe('义务兵家庭优待金 (conscript-family-allowance)', () => {
  let w: ItemWalker;
  beforeAll(async () => {
    w = await ItemWalker.start();
  });
  afterAll(async () => w?.close());

  it('a full year in service: the whole yearly standard plus the honour bonus, notice then county payment', async () => {
    const c = await toNotice(w, application({ honours: [{ award: 'third-class', awardedOn: '2025-08-01' }] }));
    // 会宁县's configured 2026 standards: 24,000 a year, 2,400 more for a third-class merit.
    expect(c.variables?.allowance).toMatchObject({
      months: 12,
      yearlyStandard: 24_000,
      honourBonus: 2_400,
      amount: 26_400,
    });
    expect(c.variables?.notice).toEqual({ householdSize: 4, amount: 26_400 });
    await w.advance(7 * DAY);
    const county = await w.read('county', c.id);
    const task = county.openTasks.find((t) => t.elementId === 'countyApproval');
    // Notice over on 2026-03-09 (Monday): 10 working days later is Monday 2026-03-23.
    expect(task?.dueAt).toBe('2026-03-23T15:59:59.999Z');
    const done = await w.act('county', c.id, 'countyApproval', {
      action: 'approve',
      data: { paymentDate: '2026-04-15', opinion: '同意发放' },
    });
    expect(done.status).toBe('completed');
  });

  it('enlisted in the allowance year: months from the enlistment month (Sept → 4 months)', async () => {
    const data = application({
      allowanceYear: 2025,
      conscript: { ...application().conscript, enlistedOn: '2025-09-10' },
    });
    const c = await toNotice(w, data);
    expect(c.variables?.allowance).toMatchObject({ months: 4, honourBonus: 0, amount: 8_000 });
  });

  it('the county returns the case to the township for correction', async () => {
    const c = await toNotice(w, application());
    await w.advance(7 * DAY);
    const back = await w.act('county', c.id, 'countyApproval', {
      action: 'return',
      target: 'townshipReview',
      comment: '请补充县人武部在役证明',
    });
    expect(back.status).toBe('active');
    expect(back.openTasks.map((t) => t.elementId)).toEqual(['townshipReview']);
  });

  it('refuses a wrong check digit in the head of household ID and a missing enlistment notice', async () => {
    const base = application();
    const head = (base.household as { headIdNumber: string }).headIdNumber;
    const wrong = head.slice(0, 17) + (head[17] === '0' ? '1' : '0');
    const bad = await w.refuse('village', KEY, application({ household: { ...base.household, headIdNumber: wrong } }));
    expect(bad.details.find((d) => d.path === '/data/household/headIdNumber')?.message).toMatch(/校验/);
    const missing = await w.refuse(
      'village',
      KEY,
      application({ attachments: { householdRegister: [file('户口簿.pdf')] } }),
    );
    expect(missing.details.map((d) => d.path)).toContain('/data/attachments/enlistmentNotice');
  });
});
