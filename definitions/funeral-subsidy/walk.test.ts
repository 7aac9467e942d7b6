import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ItemWalker, residentId } from '../../engine/test/items.js';

const KEY = 'funeral-subsidy';
const file = (name: string) => ({
  name,
  url: `/files/${encodeURIComponent(name)}`,
  size: 70_000,
  contentType: 'image/jpeg',
});

function application(overrides: Record<string, unknown> = {}) {
  return {
    deceased: {
      name: '赵长海',
      idNumber: residentId('620422', '19380417', '019'),
      gender: 'male',
      deathDate: '2026-02-18',
      hukouAddress: '甘肃省会宁县会师镇东关村',
      deathCertificateNumber: 'SW620422-2026-0087',
    },
    applicant: {
      name: '赵建平',
      idNumber: residentId('620422', '19660722', '031'),
      relation: 'child',
      phone: '13519012345',
      address: '会宁县会师镇东关村三社5号',
    },
    disposal: {
      method: 'eco',
      funeralHome: '会宁县殡仪馆',
      cremationCertificate: 'HH2026-0213',
      cremationDate: '2026-02-20',
    },
    fees: [
      { item: 'transport', actualFee: 260, receiptNumber: 'P0001' },
      { item: 'cremation', actualFee: 680, receiptNumber: 'P0002' },
      { item: 'urn', actualFee: 150, receiptNumber: 'P0003' },
      { item: 'ecoBurial', actualFee: 1_200, receiptNumber: 'P0004' },
    ],
    bankAccount: { bankName: '甘肃省农村信用社', accountName: '赵建平', accountNumber: '622827000099990000' },
    attachments: {
      deathCertificate: [file('死亡证明.jpg')],
      cremationCertificate: [file('火化证明.jpg')],
      receipts: [file('票据.jpg')],
      applicantId: [file('身份证.jpg')],
      ecoBurialProof: [file('树葬照片.jpg')],
    },
    ...overrides,
  };
}

describe('惠民殡葬补贴 (funeral-subsidy)', () => {
  let w: ItemWalker;
  beforeAll(async () => {
    w = await ItemWalker.start();
  });
  afterAll(async () => w?.close());

  it('each item subsidised up to its county cap; township then county', async () => {
    const c = await w.file('village', KEY, application());
    expect(c.openTasks[0].dueAt).toBe('2026-03-09T15:59:59.999Z');
    const atCounty = await w.act('township', c.id, 'townshipReview', {
      action: 'approve',
      data: { hukouVerified: true, notAlreadyWaived: true, opinion: '户籍属实，票据齐全' },
    });
    // The caps are 会宁县's configured standards for the year (transport 300, cremation 500, urn 200, eco-burial 1,000).
    expect(atCounty.variables?.standards).toMatchObject({
      countyId: 'baiyin/huining',
      funeralCaps: { transport: 300, storage: 150, cremation: 500, urn: 200, ashesStorage: 300, ecoBurial: 1_000 },
    });
    const subsidy = atCounty.variables?.subsidy as { lines: Array<{ item: string; subsidy: number }>; total: number };
    expect(subsidy.lines.map((l) => [l.item, l.subsidy])).toEqual([
      ['transport', 260],
      ['cremation', 500],
      ['urn', 150],
      ['ecoBurial', 1_000],
    ]);
    expect(subsidy.total).toBe(1_910);
    expect(atCounty.openTasks.map((t) => t.elementId)).toEqual(['countyApproval']);
    const done = await w.act('county', c.id, 'countyApproval', {
      action: 'approve',
      data: { paymentDate: '2026-03-20', opinion: '同意' },
    });
    expect(done.status).toBe('completed');
  });

  it('the township returns the application to the applicant for a missing receipt', async () => {
    const c = await w.file('village', KEY, application());
    const back = await w.act('township', c.id, 'townshipReview', {
      action: 'return',
      target: 'applicant',
      comment: '骨灰盒票据不清晰，请重新上传',
    });
    expect(back.status).toBe('active');
    // A correction task (补正) for the filer, at the same step.
    expect(back.openTasks).toEqual([
      expect.objectContaining({ elementId: 'townshipReview', assignee: 'user-village' }),
    ]);
    const receipts = [{ name: 'receipt-2.jpg', url: '/files/receipt-2.jpg', size: 90_000, contentType: 'image/jpeg' }];
    const corrected = await w.act('village', c.id, 'townshipReview', {
      action: 'approve',
      changes: { attachments: { ...(application().attachments as object), receipts } },
      comment: '已重新上传票据',
    });
    expect(corrected.data.attachments).toMatchObject({ receipts });
    expect(corrected.openTasks).toEqual([expect.objectContaining({ elementId: 'townshipReview', assignee: null })]);
  });

  it('refuses eco burial without proof, no fee lines, and a bad ID check digit of the deceased', async () => {
    const base = application();
    const noProof = await w.refuse(
      'village',
      KEY,
      application({ attachments: { ...(base.attachments as object), ecoBurialProof: [] } }),
    );
    expect(noProof.details.map((d) => d.path)).toContain('/data/attachments/ecoBurialProof');
    const noFees = await w.refuse('village', KEY, application({ fees: [] }));
    expect(noFees.details.map((d) => d.path)).toContain('/data/fees');
    const id = (base.deceased as { idNumber: string }).idNumber;
    const wrong = id.slice(0, 17) + (id[17] === '2' ? '3' : '2');
    const bad = await w.refuse(
      'village',
      KEY,
      application({ deceased: { ...(base.deceased as object), idNumber: wrong } }),
    );
    expect(bad.details.find((d) => d.path === '/data/deceased/idNumber')?.message).toMatch(/校验/);
  });
});
