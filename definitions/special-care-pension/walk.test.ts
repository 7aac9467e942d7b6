import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, ItemWalker, residentId } from '../../engine/test/items.js';

const KEY = 'special-care-pension';
const file = (name: string, size = 120_000) => ({
  name,
  url: `/files/${encodeURIComponent(name)}`,
  size,
  contentType: 'image/jpeg',
});

function application(overrides: Record<string, unknown> = {}) {
  return {
    applicant: {
      name: '李建国',
      idNumber: residentId('620422', '19520812', '013'),
      gender: 'male',
      phone: '13909431234',
      address: '会宁县会师镇东关村四社8号',
      hukouType: 'rural',
    },
    category: 'disabled-serviceman',
    service: {
      serviceName: '李建国',
      enlistedOn: '1970-12-01',
      dischargedOn: '1979-04-01',
      unit: '陆军某部',
      rank: 'soldier',
    },
    disability: { certificateNumber: 'GS0420931', disabilityGrade: 6, disabilityNature: 'war' },
    bankAccount: { bankName: '甘肃省农村信用社', accountName: '李建国', accountNumber: '622827000011112222' },
    attachments: { idCard: [file('身份证.jpg')], eligibility: [file('残疾军人证.jpg')] },
    ...overrides,
  };
}

describe('重点优抚对象抚恤补助 (special-care-pension)', () => {
  let w: ItemWalker;
  beforeAll(async () => {
    w = await ItemWalker.start();
  });
  afterAll(async () => w?.close());

  it('village → township → 7-day notice → county, monthly amount from the approved annual standard', async () => {
    const c = await w.file('village', KEY, application());
    expect(c.openTasks.map((t) => t.elementId)).toEqual(['villageVerification']);
    // Filed on Monday 2026-03-02 (Beijing): 5 working days → Monday 2026-03-09, end of day.
    expect(c.openTasks[0].dueAt).toBe('2026-03-09T15:59:59.999Z');
    await w.act('village', c.id, 'villageVerification', {
      action: 'approve',
      data: { verifiedOn: '2026-03-03', residenceConfirmed: true },
    });
    const inNotice = await w.act('township', c.id, 'townshipReview', {
      action: 'approve',
      data: { eligible: true, annualStandard: 25_320, opinion: '六级因战残疾，材料齐全' },
    });
    expect(inNotice.openTasks).toEqual([]);
    expect(inNotice.variables?.notice).toEqual({ householdSize: 1, amount: 2110 });
    await w.advance(7 * DAY);
    const atCounty = await w.read('county', c.id);
    expect(atCounty.openTasks.map((t) => t.elementId)).toEqual(['countyApproval']);
    const done = await w.act('county', c.id, 'countyApproval', {
      action: 'approve',
      data: { approvedAnnualStandard: 25_320, startMonth: '2026-04', opinion: '同意' },
    });
    expect(done.status).toBe('completed');
    expect(done.variables?.payment).toEqual({ annual: 25_320, monthly: 2110, startMonth: '2026-04' });
  });

  it('an objection during the notice goes to the township; an upheld objection ends the case rejected', async () => {
    const c = await w.file('village', KEY, application({ category: 'demobilised-veteran', disability: undefined }));
    await w.act('village', c.id, 'villageVerification', {
      action: 'approve',
      data: { verifiedOn: '2026-03-03', residenceConfirmed: true },
    });
    await w.act('township', c.id, 'townshipReview', {
      action: 'approve',
      data: { eligible: true, annualStandard: 7_000, opinion: '在乡复员军人' },
    });
    expect(await w.message('township', c.id, 'objection', { reason: '申请人已享受其他定期抚恤' })).toBe(true);
    const review = await w.read('township', c.id);
    expect(review.openTasks.map((t) => t.elementId)).toEqual(['objectionReview']);
    const ended = await w.act('township', c.id, 'objectionReview', {
      action: 'reject',
      data: { verifiedOn: '2026-03-05', method: 'data-check', finding: '经比对，已在外县享受定期抚恤' },
      comment: '异议成立：重复享受',
    });
    expect(ended.status).toBe('rejected');
  });

  it('refuses a bad ID check digit and a disabled serviceman without the disability section, naming the fields', async () => {
    const good = application();
    const badId = String((good.applicant as { idNumber: string }).idNumber);
    const wrongDigit = badId.slice(0, 17) + (badId[17] === '1' ? '2' : '1');
    const bad = await w.refuse('village', KEY, application({ applicant: { ...good.applicant, idNumber: wrongDigit } }));
    const idProblem = bad.details.find((d) => d.path === '/data/applicant/idNumber');
    expect(idProblem?.message).toMatch(/校验/);
    const missing = await w.refuse('village', KEY, application({ disability: undefined }));
    expect(missing.details.map((d) => d.path)).toContain('/data/disability');
    const noEvidence = await w.refuse(
      'village',
      KEY,
      application({ attachments: { idCard: [file('身份证.jpg')], eligibility: [] } }),
    );
    expect(noEvidence.details.map((d) => d.path)).toContain('/data/attachments/eligibility');
    expect(noEvidence.message).toMatch(/[\u4e00-\u9fa5]/);
  });
});
