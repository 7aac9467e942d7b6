import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, ItemWalker, residentId } from '../../engine/test/items.js';

const KEY = 'disability-subsidies';
const file = (name: string) => ({
  name,
  url: `/files/${encodeURIComponent(name)}`,
  size: 64_000,
  contentType: 'image/png',
});
const ID = residentId('620422', '19681120', '045');

function application(overrides: Record<string, unknown> = {}) {
  return {
    applicant: {
      name: '王秀英',
      idNumber: ID,
      gender: 'female',
      phone: '13830012345',
      address: '会宁县会师镇东关村一社3号',
      hukouType: 'rural',
    },
    disability: {
      certificateNumber: `${ID}41`,
      disabilityType: 4,
      disabilityGrade: 1,
      certificateIssuedOn: '2019-05-10',
    },
    subsidies: ['living', 'nursing'],
    family: { economicStatus: 'dibao', assistanceCertificate: 'HN-DB-2024-0117', householdSize: 3 },
    care: { arrangement: 'home', caregiverName: '张志强', caregiverPhone: '13830016789' },
    applyByAgent: false,
    bankAccount: { bankName: '甘肃省农村信用社', accountName: '王秀英', accountNumber: '622827000055556666' },
    attachments: {
      idCard: [file('身份证.png')],
      disabilityCertificate: [file('残疾人证.png')],
      assistanceCertificate: [file('低保证.png')],
    },
    ...overrides,
  };
}

describe('残疾人两项补贴 (disability-subsidies)', () => {
  let w: ItemWalker;
  beforeAll(async () => {
    w = await ItemWalker.start();
  });
  afterAll(async () => w?.close());

  it('grade 1 in a dibao family: living + grade-1 nursing subsidy, 7-day notice, county approval', async () => {
    const c = await w.file('village', KEY, application());
    expect(c.openTasks.map((t) => t.elementId)).toEqual(['townshipReview']);
    expect(c.openTasks[0].dueAt).toBe('2026-03-16T15:59:59.999Z');
    const notice = await w.act('township', c.id, 'townshipReview', {
      action: 'approve',
      data: { visitedOn: '2026-03-04', certificateChecked: true, opinion: '一级肢体残疾，低保家庭' },
    });
    // The amounts come from 会宁县's configured standards for the year, not from the reviewer.
    expect(notice.variables?.standards).toMatchObject({
      countyId: 'baiyin/huining',
      year: 2026,
      disabilityLivingMonthly: 90,
      disabilityNursingMonthly: { grade1: 120, grade2: 90 },
    });
    expect(notice.variables?.subsidy).toEqual({ certificateMatchesId: true, living: 90, nursing: 120, monthly: 210 });
    expect(notice.variables?.notice).toEqual({ householdSize: 3, amount: 210 });
    await w.advance(7 * DAY);
    const done = await w.act('county', c.id, 'countyApproval', {
      action: 'approve',
      data: { startMonth: '2026-04', opinion: '同意' },
    });
    expect(done.status).toBe('completed');
  });

  it('grade 2, nursing only: the grade-2 standard', async () => {
    const c = await w.file(
      'village',
      KEY,
      application({
        disability: { certificateNumber: `${ID}52`, disabilityType: 5, disabilityGrade: 2 },
        subsidies: ['nursing'],
        family: { economicStatus: 'other', householdSize: 4 },
      }),
    );
    const notice = await w.act('township', c.id, 'townshipReview', {
      action: 'approve',
      data: { visitedOn: '2026-03-04', certificateChecked: true, opinion: '二级智力残疾' },
    });
    expect(notice.variables?.subsidy).toMatchObject({ living: 0, nursing: 90, monthly: 90 });
  });

  it('the county standard is configuration: raised by the city admin, the next case is paid the new figure', async () => {
    const url = `/api/standards/${encodeURIComponent('baiyin/huining')}/2026`;
    const row = (await w.as('admin', 'GET', url)).json();
    const { countyId: _c, countyName: _n, year: _y, demo: _d, updatedAt: _u, updatedBy: _b, ...figures } = row;
    const put = await w.as('admin', 'PUT', url, { ...figures, disabilityLivingMonthly: 100 });
    expect(put.statusCode, put.body).toBe(200);
    const c = await w.file('village', KEY, application());
    const notice = await w.act('township', c.id, 'townshipReview', {
      action: 'approve',
      data: { visitedOn: '2026-03-04', certificateChecked: true, opinion: '一级肢体残疾，低保家庭' },
    });
    expect(notice.variables?.subsidy).toMatchObject({ living: 100, nursing: 120, monthly: 220 });
  });

  it('the township rejects with a reason: the case ends rejected', async () => {
    const c = await w.file('village', KEY, application());
    const done = await w.act('township', c.id, 'townshipReview', {
      action: 'reject',
      comment: '残疾人证已过有效期，请先换证',
    });
    expect(done.status).toBe('rejected');
    expect(done.outcome?.reason).toContain('残疾人证');
  });

  it('refuses nursing for grade 3, living without a dibao certificate, and a bad ID check digit', async () => {
    const grade3 = await w.refuse(
      'village',
      KEY,
      application({ disability: { certificateNumber: `${ID}43`, disabilityType: 4, disabilityGrade: 3 } }),
    );
    expect(grade3.details.map((d) => d.path)).toContain('/data/disability/disabilityGrade');
    const noCert = await w.refuse(
      'village',
      KEY,
      application({ family: { economicStatus: 'dibao', householdSize: 3 } }),
    );
    expect(noCert.details.map((d) => d.path)).toContain('/data/family/assistanceCertificate');
    const wrong = ID.slice(0, 17) + (ID[17] === '5' ? '6' : '5');
    const badId = await w.refuse(
      'village',
      KEY,
      application({ applicant: { ...(application().applicant as object), idNumber: wrong } }),
    );
    expect(badId.details.find((d) => d.path === '/data/applicant/idNumber')?.message).toMatch(/校验/);
  });
});
