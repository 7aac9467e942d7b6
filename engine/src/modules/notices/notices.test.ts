import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, ItemWalker, residentId } from '../../../test/items.js';
import { AUDIT_COLLECTION } from '../../infra/audit/log.js';
import { sensitiveKind } from '../../permissions/mask.js';
import { OBJECTION_LIMIT } from './routes.js';

const ID = residentId('620422', '19681120', '045');
const file = (name: string) => ({
  name,
  url: `/files/${encodeURIComponent(name)}`,
  size: 64_000,
  contentType: 'image/png',
});
const application = (name: string, idNumber: string) => ({
  applicant: {
    name,
    idNumber,
    gender: 'female',
    phone: '13830012345',
    address: '会宁县会师镇东关村一社3号',
    hukouType: 'rural',
  },
  disability: { certificateNumber: `${idNumber}61`, disabilityType: 6, disabilityGrade: 1 },
  subsidies: ['living', 'nursing'],
  family: { economicStatus: 'dibao', assistanceCertificate: 'HN-DB-2024-0117', householdSize: 3 },
  care: { arrangement: 'home' },
  applyByAgent: false,
  bankAccount: { bankName: '甘肃省农村信用社', accountName: name, accountNumber: '622827000055556666' },
  attachments: { idCard: [file('身份证.png')], disabilityCertificate: [file('残疾人证.png')] },
});
const review = {
  visitedOn: '2026-03-04',
  certificateChecked: true,
  opinion: '一级精神残疾，低保家庭',
};

type Board = {
  groups: Array<{
    orgUnitId: string;
    orgUnitName: string;
    itemKey: string;
    publicity: Array<Record<string, unknown>>;
    publication: Array<Record<string, unknown>>;
  }>;
};

/** Every property name anywhere in a JSON value. */
function keysOf(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) keysOf(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.add(k);
      keysOf(v, out);
    }
  }
  return out;
}

describe('public notice board /api/notices', () => {
  let w: ItemWalker;
  let inNotice: string;
  let published: string;
  const objector = { name: '李四海', phone: '13912345678', reason: '申请人家中有经营性货车，收入不实' };

  const board = async (query = '') => {
    const res = await w.app.inject({ method: 'GET', url: `/api/notices${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return { body: res.json() as Board, text: res.body };
  };
  const object = (caseId: string, body: Record<string, unknown> = objector, ip = '10.0.0.1') =>
    w.app.inject({ method: 'POST', url: `/api/notices/${caseId}/objections`, payload: body, remoteAddress: ip });

  beforeAll(async () => {
    w = await ItemWalker.start();
    // One case in its notice period, one through it and approved (公布).
    const a = await w.file('village', 'disability-subsidies', application('张桂明', ID));
    await w.act('township', a.id, 'townshipReview', { action: 'approve', data: review });
    published = a.id;
    await w.advance(7 * DAY);
    await w.act('county', a.id, 'countyApproval', {
      action: 'approve',
      data: { startMonth: '2026-04', opinion: '同意' },
    });
    const b = await w.file(
      'village',
      'disability-subsidies',
      application('欧阳秀英', residentId('620422', '19550101', '022')),
    );
    await w.act('township', b.id, 'townshipReview', { action: 'approve', data: review });
    inNotice = b.id;
  });
  afterAll(async () => w?.close());

  it('lists 公示 and 公布 per village and item without login, names and ID numbers masked', async () => {
    const { body } = await board();
    const group = body.groups.find((g) => g.itemKey === 'disability-subsidies');
    expect(group?.orgUnitName).toBe('东关村');
    expect(group?.publicity.map((e) => e.caseId)).toEqual([inNotice]);
    expect(group?.publication.map((e) => e.caseId)).toEqual([published]);
    const entry = group?.publicity[0];
    expect(entry).toMatchObject({
      name: '欧**英',
      idNumber: `620422********${residentId('620422', '19550101', '022').slice(-4)}`,
      householdSize: 3,
      amount: 210,
    });
    // Notice period: from the township's approval to 7 calendar days later.
    expect(Date.parse(String(entry?.until)) - Date.parse(String(entry?.from))).toBe(7 * DAY);
    expect(group?.publication[0]).toMatchObject({ name: '张*明', householdSize: 3, amount: 210 });
  });

  it('never returns an unmasked ID number, a phone, or a health, income or bank field', async () => {
    const { body, text } = await board();
    expect(text).not.toContain(ID);
    expect(text).not.toContain(residentId('620422', '19550101', '022'));
    expect(text).not.toContain('13830012345');
    expect(text).not.toContain('622827000055556666');
    expect(text).not.toMatch(/张桂明|欧阳秀英/);
    const keys = keysOf(body);
    for (const k of keys) if (k !== 'idNumber') expect(sensitiveKind(k), k).toBeNull();
    for (const forbidden of [
      'disability',
      'disabilityType',
      'disabilityGrade',
      'family',
      'economicStatus',
      'care',
      'data',
    ]) {
      expect(keys.has(forbidden), forbidden).toBe(false);
    }
    for (const g of body.groups) {
      for (const e of [...g.publicity, ...g.publication]) expect(String(e.idNumber)).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    }
  });

  it('filters by village and item with strict query schemas', async () => {
    const other = await board('?orgUnitId=baiyin%2Fhuining%2Fhuishi%2Fxiguan');
    expect(other.body.groups).toEqual([]);
    const item = await board('?itemKey=orphan-support');
    expect(item.body.groups).toEqual([]);
    const bad = await w.app.inject({ method: 'GET', url: '/api/notices?foo=1' });
    expect(bad.statusCode).toBe(400);
  });

  it('an objection is validated, lands on the case as the objection message, is audited, and is refused after the notice period', async () => {
    const invalid = await object(inNotice, { ...objector, phone: '1234' });
    expect(invalid.statusCode).toBe(400);
    const extra = await object(inNotice, { ...objector, idNumber: ID });
    expect(extra.statusCode).toBe(400);
    const closed = await object(published);
    expect(closed.statusCode).toBe(409);
    expect(closed.json().code).toBe('MINFLOW_ERR_NOTICES_NOT_IN_PUBLICITY');
    expect((await object('c-does-not-exist')).statusCode).toBe(404);

    const res = await object(inNotice);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ caseId: inNotice, received: true });
    await w.runJobs();
    const c = await w.read('township', inNotice);
    expect(c.openTasks.map((t) => t.elementId)).toEqual(['objectionReview']);
    expect(c.variables?.objectionReceived).toMatchObject({ reason: objector.reason, receivedFrom: 'public' });
    // No longer in 公示: a second objection is refused and the board no longer lists it.
    expect((await object(inNotice, objector, '10.0.0.2')).statusCode).toBe(409);
    const { body } = await board();
    expect(body.groups.flatMap((g) => g.publicity.map((e) => e.caseId))).not.toContain(inNotice);
    const audit = await w.app.store
      .collection<{ _id: string; _v: number; action: string; subjectId: string; actorId: string }>(AUDIT_COLLECTION)
      .find({ subjectId: inNotice, actorId: 'public' }, { limit: 10 });
    expect(audit.items.map((a) => a.action).sort()).toEqual(['case.message.objection', 'notice.objection']);
  });

  it('rate-limits objections per client address', async () => {
    const ip = '10.9.9.9';
    const statuses: number[] = [];
    for (let i = 0; i <= OBJECTION_LIMIT.max; i++) statuses.push((await object(published, objector, ip)).statusCode);
    expect(statuses.slice(0, OBJECTION_LIMIT.max).every((s) => s === 409)).toBe(true);
    const last = await object(published, objector, ip);
    expect(last.statusCode).toBe(429);
    expect(last.headers['retry-after']).toBeDefined();
    // Another address is not affected.
    expect((await object(published, objector, '10.9.9.10')).statusCode).toBe(409);
  });
});
