import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ItemWalker, residentId } from '../../engine/test/items.js';

const KEY = 'orphan-support';
const file = (name: string) => ({
  name,
  url: `/files/${encodeURIComponent(name)}`,
  size: 120_000,
  contentType: 'application/pdf',
});
const CHILD = residentId('620422', '20150611', '026');

function application(overrides: Record<string, unknown> = {}) {
  return {
    category: 'de-facto',
    child: {
      name: '刘小雨',
      idNumber: CHILD,
      gender: 'female',
      hukouAddress: '甘肃省会宁县会师镇东关村',
      currentAddress: '会宁县会师镇东关村六社9号',
      schooling: 'primary',
    },
    father: {
      name: '刘强',
      idNumber: residentId('620422', '19880203', '013'),
      status: 'imprisoned',
      statusSince: '2022-09-01',
    },
    mother: { name: '陈丽', status: 'missing-reported', statusSince: '2021-04-15' },
    guardian: {
      name: '刘德才',
      idNumber: residentId('620422', '19580910', '017'),
      relation: 'grandparent',
      phone: '13830087654',
      address: '会宁县会师镇东关村六社9号',
    },
    care: { arrangement: 'scattered' },
    bankAccount: { bankName: '中国邮政储蓄银行', accountName: '刘德才', accountNumber: '621799000077778888' },
    attachments: {
      childHukou: [file('户口簿.pdf')],
      parentsEvidence: [file('服刑证明.pdf'), file('失联报案回执.pdf')],
    },
    ...overrides,
  };
}

const investigation = {
  visitedOn: '2026-03-05',
  investigators: ['王小兵', '杨军'],
  parentsVerified: true,
  opinion: '父亲服刑在押，母亲失联满6个月，祖父实际抚养',
};
const county = { startMonth: '2026-04', opinion: '同意纳入保障' };

describe('孤儿及事实无人抚养儿童基本生活保障 (orphan-support)', () => {
  let w: ItemWalker;
  beforeAll(async () => {
    w = await ItemWalker.start();
  });
  afterAll(async () => w?.close());

  it('a de-facto unsupported child: checks, two investigators, county approval, scattered-care standard until 18', async () => {
    const c = await w.file('village', KEY, application());
    expect(c.variables?.eligibility).toMatchObject({
      underAge: true,
      orphan: false,
      deFacto: true,
      categoryMatches: true,
      eligible: true,
    });
    expect(c.openTasks.map((t) => t.elementId)).toEqual(['townshipInvestigation']);
    expect(c.openTasks[0].dueAt).toBe('2026-03-23T15:59:59.999Z');
    await w.act('township', c.id, 'townshipInvestigation', { action: 'approve', data: investigation });
    const done = await w.act('county', c.id, 'countyApproval', { action: 'approve', data: county });
    expect(done.status).toBe('completed');
    expect(done.variables?.allowance).toEqual({ monthly: 1_350, startMonth: '2026-04', endsWhenAdult: '2033-06-11' });
    // 分散供养 1,350 and 集中养育 1,800 are 会宁县's configured standards for the year.
    expect(done.variables?.standards).toMatchObject({
      countyId: 'baiyin/huining',
      orphanMonthly: { scattered: 1_350, institution: 1_800 },
    });
  });

  it('an orphan in a children’s welfare home gets the institution standard', async () => {
    const c = await w.file(
      'village',
      KEY,
      application({
        category: 'orphan',
        father: { name: '刘强', status: 'deceased', statusSince: '2023-01-01' },
        mother: { name: '陈丽', status: 'declared-missing', statusSince: '2024-05-01' },
        care: { arrangement: 'institution', institutionName: '会宁县儿童福利院' },
      }),
    );
    expect(c.variables?.eligibility).toMatchObject({ orphan: true, categoryMatches: true });
    await w.act('township', c.id, 'townshipInvestigation', { action: 'approve', data: investigation });
    const done = await w.act('county', c.id, 'countyApproval', { action: 'approve', data: county });
    expect(done.variables?.allowance).toMatchObject({ monthly: 1_800 });
  });

  it('the county returns to the township, then rejects when a parent is able to support', async () => {
    const c = await w.file('village', KEY, application());
    await w.act('township', c.id, 'townshipInvestigation', { action: 'approve', data: investigation });
    const back = await w.act('county', c.id, 'countyApproval', {
      action: 'return',
      target: 'previous',
      comment: '请补充母亲失联的公安立案材料',
    });
    expect(back.openTasks.map((t) => t.elementId)).toEqual(['townshipInvestigation']);
    await w.act('township', c.id, 'townshipInvestigation', { action: 'approve', data: investigation });
    const rejected = await w.act('county', c.id, 'countyApproval', {
      action: 'reject',
      comment: '经核实母亲已返回并具备抚养能力，不符合条件',
    });
    expect(rejected.status).toBe('rejected');
  });

  it('refuses an orphan whose parent is alive, a care home without its name, a single investigator and a bad child ID', async () => {
    const alive = await w.refuse('village', KEY, application({ category: 'orphan' }));
    expect(alive.details.map((d) => d.path)).toEqual(
      expect.arrayContaining(['/data/father/status', '/data/mother/status']),
    );
    const home = await w.refuse('village', KEY, application({ care: { arrangement: 'institution' } }));
    expect(home.details.map((d) => d.path)).toContain('/data/care/institutionName');
    const wrong = CHILD.slice(0, 17) + (CHILD[17] === '4' ? '5' : '4');
    const bad = await w.refuse(
      'village',
      KEY,
      application({ child: { ...(application().child as object), idNumber: wrong } }),
    );
    expect(bad.details.find((d) => d.path === '/data/child/idNumber')?.message).toMatch(/校验/);
    // 18 today by the ID number (born 18 years and a month ago): refused at filing, naming the field.
    const now = new Date(Date.now() + 8 * 3600_000);
    const born = new Date(Date.UTC(now.getUTCFullYear() - 18, now.getUTCMonth() - 1, 15));
    const adult = residentId('620422', born.toISOString().slice(0, 10).replaceAll('-', ''), '026');
    const grown = await w.refuse(
      'village',
      KEY,
      application({ child: { ...(application().child as object), idNumber: adult } }),
    );
    expect(grown.details).toContainEqual({
      path: '/data/child/idNumber',
      message: '按身份证号码计算现年18周岁，应不超过17周岁',
    });
    const c = await w.file('village', KEY, application());
    const taskId = await w.taskFor('township', c.id, 'townshipInvestigation');
    const one = await w.as('township', 'POST', `/api/tasks/${taskId}/complete`, {
      action: 'approve',
      data: { ...investigation, investigators: ['王小兵'] },
    });
    expect(one.statusCode).toBe(400);
    expect(one.json().details.map((d: { path: string }) => d.path)).toContain('/data/investigators');
  });
});
