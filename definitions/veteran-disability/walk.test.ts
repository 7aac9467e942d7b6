import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, ItemWalker, residentId } from '../../engine/test/items.js';

const KEY = 'veteran-disability';
const file = (name: string) => ({
  name,
  url: `/files/${encodeURIComponent(name)}`,
  size: 200_000,
  contentType: 'application/pdf',
});

function application(overrides: Record<string, unknown> = {}) {
  return {
    applicationType: 'new',
    applicant: {
      name: '杨振华',
      idNumber: residentId('620422', '19850506', '053'),
      gender: 'male',
      phone: '13893012345',
      address: '会宁县会师镇东关村五社21号',
    },
    service: {
      enlistedOn: '2003-12-01',
      dischargedOn: '2008-12-01',
      unit: '陆军某部',
      dischargeCertificate: 'TY2008-1234',
    },
    injury: {
      occurredOn: '2006-07-14',
      place: '某训练场',
      nature: 'duty',
      circumstances: '执行抗洪抢险任务时被落石砸伤右腿',
      parts: '右下肢胫骨骨折，行走功能受限',
      treatedAt: '某陆军医院',
    },
    attachments: {
      idCard: [file('身份证.pdf')],
      dischargeProof: [file('退役证.pdf')],
      originalMedicalRecords: [file('原始病历.pdf')],
      incidentProof: [file('部队证明.pdf')],
    },
    ...overrides,
  };
}

const countyReview = {
  appraisalDate: '2026-03-20',
  appraisalHospital: '白银市第一人民医院',
  proposedGrade: 8,
  causeConfirmed: 'duty',
  opinion: '经鉴定符合八级因公残疾',
};

async function toProvince(w: ItemWalker, data = application()) {
  const c = await w.file('township', KEY, data, 'baiyin/huining/huishi/dongguan');
  await w.act('township', c.id, 'townshipReview', {
    action: 'approve',
    data: { materialsComplete: true, opinion: '材料齐全，报县级审查' },
  });
  return w.act('county', c.id, 'countyReview', { action: 'approve', data: countyReview });
}

describe('退役军人残疾等级评定 (veteran-disability)', () => {
  let w: ItemWalker;
  beforeAll(async () => {
    w = await ItemWalker.start();
  });
  afterAll(async () => w?.close());

  it('township → county appraisal → external provincial approval with a 30-day reminder → grade recorded', async () => {
    const c = await toProvince(w);
    const waiting = c.openTasks.find((t) => t.elementId === 'provincialReview');
    // 60 calendar days (minflow:calendar="days") from the county's approval at 2026-03-02T01:00Z.
    expect(waiting?.dueAt).toBe('2026-05-01T01:00:00.000Z');
    await w.advance(30 * DAY);
    const reminded = await w.read('county', c.id);
    expect(reminded.openTasks.map((t) => t.elementId).sort()).toEqual(['provincialReview', 'referralReminder']);
    await w.act('county', c.id, 'referralReminder', {
      action: 'approve',
      data: { contactedOn: '2026-04-02', result: '已电话催办市退役军人事务局' },
    });
    const done = await w.act('county', c.id, 'provincialReview', {
      action: 'approve',
      data: {
        referredOn: '2026-03-25',
        documentNumber: '甘退役军人发〔2026〕18号',
        approvedGrade: 8,
        certificateNumber: 'GS2026081',
      },
    });
    expect(done.status).toBe('completed');
    expect(done.variables?.disabilityRating).toEqual({ grade: 8, nature: 'duty', gradeChanged: true });
  });

  it('the province refuses: the county records the refusal and the case ends rejected', async () => {
    const c = await toProvince(w);
    const done = await w.act('county', c.id, 'provincialReview', {
      action: 'reject',
      comment: '省级审核：致残经过证明不足，不予评定',
    });
    expect(done.status).toBe('rejected');
    expect(done.outcome?.reason).toContain('不予评定');
  });

  it('refuses an adjustment without the current grade and recent diagnosis, and a bad ID check digit', async () => {
    const adjust = await w.refuse('township', KEY, application({ applicationType: 'adjust' }));
    const paths = adjust.details.map((d) => d.path);
    expect(paths).toContain('/data/currentDisability');
    expect(paths).toContain('/data/attachments/recentDiagnosis');
    const id = residentId('620422', '19850506', '053');
    const wrong = id.slice(0, 17) + (id[17] === '3' ? '4' : '3');
    const bad = await w.refuse(
      'township',
      KEY,
      application({ applicant: { ...(application().applicant as object), idNumber: wrong } }),
    );
    expect(bad.details.find((d) => d.path === '/data/applicant/idNumber')?.message).toMatch(/校验/);
  });
});
