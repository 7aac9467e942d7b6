import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, ItemWalker, residentId } from '../../engine/test/items.js';

const KEY = 'petition';

function application(overrides: Record<string, unknown> = {}) {
  return {
    channel: 'village-assistant',
    receivedOn: '2026-03-02',
    petitioner: {
      name: '田玉兰',
      idNumber: residentId('620422', '19700815', '044'),
      phone: '13830098765',
      address: '会宁县会师镇东关村七社2号',
    },
    collective: false,
    kind: 'request',
    domain: 'assistance',
    subject: '丈夫因病丧失劳动能力，家庭生活困难',
    content: '丈夫去年底确诊尿毒症，每周透析，家中两个孩子上学，收入来源中断，希望申请救助。',
    expectation: '希望纳入低保或给予临时救助',
    urgent: false,
    ...overrides,
  };
}

const reply = {
  investigation: '入户核实，家庭收入确已中断，医疗支出较大',
  result: 'solved',
  reply: '已指导申请临时救助并受理低保申请',
  repliedOn: '2026-03-12',
  replyMethod: 'in-person',
};

describe('民情诉求受理 (petition)', () => {
  let w: ItemWalker;
  beforeAll(async () => {
    w = await ItemWalker.start();
  });
  afterAll(async () => w?.close());

  it('an urgent request must be answered within 3 working days; a satisfied petitioner closes it', async () => {
    const c = await w.file(
      'township',
      KEY,
      application({ channel: 'window', urgent: true }),
      'baiyin/huining/huishi/dongguan',
    );
    const assigned = await w.act('township', c.id, 'assignment', {
      action: 'approve',
      data: { handlerUnit: 'assistance', instructions: '紧急，今日入户' },
    });
    const urgent = assigned.openTasks.find((t) => t.elementId === 'urgentHandling');
    expect(urgent?.dueAt).toBe('2026-03-05T15:59:59.999Z');
    await w.act('township', c.id, 'urgentHandling', { action: 'approve', data: reply });
    const done = await w.act('village', c.id, 'feedback', {
      action: 'approve',
      data: { visitedOn: '2026-03-04', satisfaction: 'satisfied', requestsReview: false },
    });
    expect(done.status).toBe('completed');
  });

  it('assigned, transferred to an investigator, supervised on day 10, replied, reviewed by the county on request', async () => {
    const c = await w.file('village', KEY, application());
    expect(c.openTasks.map((t) => t.elementId)).toEqual(['assignment']);
    // Filed Monday 2026-03-02: 2 working days → Wednesday 2026-03-04.
    expect(c.openTasks[0].dueAt).toBe('2026-03-04T15:59:59.999Z');
    const assigned = await w.act('township', c.id, 'assignment', {
      action: 'approve',
      data: { handlerUnit: 'assistance', instructions: '请社会救助岗入户核实，依规办理' },
    });
    const handling = assigned.openTasks.find((t) => t.elementId === 'handling');
    // 15 working days from Monday 2026-03-02 → Monday 2026-03-23.
    expect(handling?.dueAt).toBe('2026-03-23T15:59:59.999Z');
    await w.act('township', c.id, 'handling', {
      action: 'transfer',
      to: 'user-investigator2',
      comment: '转调查员杨军办理',
    });
    await w.advance(10 * DAY);
    const late = await w.read('township', c.id);
    expect(late.openTasks.map((t) => t.elementId).sort()).toEqual(['handling', 'supervision']);
    expect(late.openTasks.find((t) => t.elementId === 'handling')?.assignee).toBe('user-investigator2');
    await w.act('township', c.id, 'supervision', { action: 'approve', data: { note: '已督促承办人本周内答复' } });
    await w.act('investigator2', c.id, 'handling', { action: 'approve', data: reply });
    const visited = await w.act('village', c.id, 'feedback', {
      action: 'approve',
      data: { visitedOn: '2026-03-16', satisfaction: 'unsatisfied', requestsReview: true, note: '认为救助金额过低' },
    });
    expect(visited.openTasks.map((t) => t.elementId)).toEqual(['reexamination']);
    const done = await w.act('county', c.id, 'reexamination', {
      action: 'approve',
      data: { conclusion: 'upheld', opinion: '原处理意见符合政策，予以维持' },
    });
    expect(done.status).toBe('completed');
  });

  it('not accepted: the township rejects with a reason', async () => {
    const c = await w.file('village', KEY, application({ kind: 'complaint', domain: 'other' }));
    const done = await w.act('township', c.id, 'assignment', {
      action: 'reject',
      comment: '属于司法程序处理事项，告知诉求人依法向人民法院起诉',
    });
    expect(done.status).toBe('rejected');
  });

  it('refuses a collective request without a head count and a bad phone number', async () => {
    const collective = await w.refuse('village', KEY, application({ collective: true }));
    expect(collective.details.map((d) => d.path)).toContain('/data/headcount');
    const phone = await w.refuse(
      'village',
      KEY,
      application({ petitioner: { ...(application().petitioner as object), phone: '0943123' } }),
    );
    expect(phone.details.map((d) => d.path)).toContain('/data/petitioner/phone');
  });
});
