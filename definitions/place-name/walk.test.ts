import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, ItemWalker } from '../../engine/test/items.js';

const KEY = 'place-name';
const TOWNSHIP = 'baiyin/huining/huishi';
const file = (name: string) => ({
  name,
  url: `/files/${encodeURIComponent(name)}`,
  size: 500_000,
  contentType: 'application/pdf',
});

function application(overrides: Record<string, unknown> = {}) {
  return {
    proposalType: 'renaming',
    category: 'village-committee',
    currentName: '南十里铺村',
    proposedName: '红军会师村',
    pinyin: 'Hongjun Huishi Cun',
    origin: '1936年红军三大主力在会宁会师，村域内有会师旧址遗迹。',
    reason: '弘扬长征精神，突出红色文化，原名与邻县村名同音易混淆。',
    location: {
      description: '会师镇政府驻地以南约5公里，312国道西侧',
      east: '312国道',
      south: '郭城驿镇界',
      west: '祖厉河',
      north: '东关村',
      longitude: 105.05,
      latitude: 35.69,
    },
    proposer: { organization: '会宁县会师镇人民政府', contact: '王小兵', phone: '13909430000' },
    hasBoundaryDispute: false,
    attachments: { locationMap: [file('位置图.pdf')], residentsOpinion: [file('村民代表会议记录.pdf')] },
    ...overrides,
  };
}

const experts = {
  heldOn: '2026-03-10',
  experts: [
    { name: '李文博', field: 'history' },
    { name: '张秀兰', field: 'linguistics' },
    { name: '马国强', field: 'geography' },
  ],
  conclusion: 'supported',
  summary: '名称寓意积极，符合地名命名原则，无重名。',
};
const county = {
  consultationSummary: '公示30日，收到意见12条，均表示支持',
  objectionsReceived: 0,
  opinion: '同意更名',
};

async function throughConsultation(w: ItemWalker, data: Record<string, unknown>) {
  const c = await w.file('township', KEY, data, TOWNSHIP);
  await w.act('township', c.id, 'townshipReview', {
    action: 'approve',
    data: { duplicateChecked: true, opinion: '经查无重名，同意上报' },
  });
  const consulting = await w.act('county', c.id, 'expertReview', { action: 'approve', data: experts });
  expect(consulting.openTasks).toEqual([]);
  await w.advance(30 * DAY);
  return w.read('county', c.id);
}

describe('地名命名更名 (place-name)', () => {
  let w: ItemWalker;
  beforeAll(async () => {
    w = await ItemWalker.start();
  });
  afterAll(async () => w?.close());

  it('a village committee name: experts, 30-day consultation, county approval, announcement within 15 days', async () => {
    const c = await throughConsultation(w, application());
    expect(c.openTasks.map((t) => t.elementId)).toEqual(['countyApproval']);
    const approved = await w.act('county', c.id, 'countyApproval', { action: 'approve', data: county });
    const announcement = approved.openTasks.find((t) => t.elementId === 'announcement');
    expect(announcement).toBeDefined();
    expect(Date.parse(String(announcement?.dueAt)) - Date.parse('2026-04-01T01:00:00.000Z')).toBe(15 * DAY);
    const done = await w.act('county', c.id, 'announcement', {
      action: 'approve',
      data: {
        announcedOn: '2026-04-08',
        channels: ['government-site', 'place-name-system'],
        announcementNumber: '会政地〔2026〕2号',
      },
    });
    expect(done.status).toBe('completed');
  });

  it('a township name is referred to the city government; the county records its reply', async () => {
    const c = await throughConsultation(
      w,
      application({ category: 'township', currentName: '会师镇', proposedName: '会师街道', pinyin: 'Huishi Jiedao' }),
    );
    const atCity = await w.act('county', c.id, 'countyApproval', { action: 'approve', data: county });
    expect(atCity.openTasks.map((t) => t.elementId)).toEqual(['cityApproval']);
    const approved = await w.act('county', c.id, 'cityApproval', {
      action: 'approve',
      data: { documentNumber: '市政函〔2026〕15号', opinion: '同意' },
    });
    expect(approved.openTasks.map((t) => t.elementId)).toEqual(['announcement']);
  });

  it('experts oppose: the county refuses at the expert review', async () => {
    const c = await w.file('township', KEY, application(), TOWNSHIP);
    await w.act('township', c.id, 'townshipReview', {
      action: 'approve',
      data: { duplicateChecked: true, opinion: '同意上报' },
    });
    const done = await w.act('county', c.id, 'expertReview', {
      action: 'reject',
      data: { ...experts, conclusion: 'opposed', summary: '以历史事件命名村庄易产生歧义' },
      comment: '专家论证不同意，不予更名',
    });
    expect(done.status).toBe('rejected');
  });

  it('refuses a renaming without the current name, a dispute without details, and a name with Latin letters', async () => {
    const noCurrent = await w.refuse('township', KEY, application({ currentName: undefined }));
    expect(noCurrent.details.map((d) => d.path)).toContain('/data/currentName');
    const dispute = await w.refuse('township', KEY, application({ hasBoundaryDispute: true }));
    expect(dispute.details.map((d) => d.path)).toContain('/data/dispute');
    const latin = await w.refuse('township', KEY, application({ proposedName: 'Hongjun村' }));
    expect(latin.details.map((d) => d.path)).toContain('/data/proposedName');
  });
});
