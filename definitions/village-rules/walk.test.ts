import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ItemWalker } from '../../engine/test/items.js';

const KEY = 'village-rules';
const file = (name: string) => ({
  name,
  url: `/files/${encodeURIComponent(name)}`,
  size: 90_000,
  contentType: 'application/pdf',
});

const lawfulArticles = [
  {
    number: 1,
    topic: 'village-affairs',
    text: '村民应积极参加村民会议，依法行使民主选举、民主决策、民主管理、民主监督的权利。',
  },
  { number: 2, topic: 'customs', text: '提倡婚事新办、丧事简办，彩礼不超过本县倡导标准。' },
  { number: 3, topic: 'environment', text: '垃圾分类投放，不得在河道、路边倾倒垃圾。' },
];
const unlawful = { number: 4, topic: 'family', text: '出嫁女户口未迁出的，不再参与集体收益分配。' };

function application(overrides: Record<string, unknown> = {}) {
  return {
    document: { title: '东关村村规民约', kind: 'revision', adoptedOn: '2026-02-25' },
    meeting: {
      type: 'representatives',
      heldOn: '2026-02-25',
      entitled: 45,
      present: 41,
      inFavour: 38,
      against: 1,
      abstained: 2,
    },
    articles: [...lawfulArticles, unlawful],
    attachments: { fullText: [file('村规民约全文.pdf')], meetingRecord: [file('会议记录.pdf')] },
    ...overrides,
  };
}

describe('村规民约备案 (village-rules)', () => {
  let w: ItemWalker;
  beforeAll(async () => {
    w = await ItemWalker.start();
  });
  afterAll(async () => w?.close());

  it('an unlawful clause is returned for correction, the village revises and re-votes, then the township files', async () => {
    const c = await w.file('village', KEY, application());
    expect(c.variables?.voting).toEqual({ quorum: true, adopted: true, articleCount: 4 });
    const returned = await w.act('township', c.id, 'legalityReview', {
      action: 'approve',
      data: {
        lawful: false,
        unlawfulClauses: [
          { number: 4, problem: 'women-rights', explanation: '违反《妇女权益保障法》第五十五条，应删除' },
        ],
        opinion: '第四条侵害出嫁女合法权益，责令纠正',
      },
    });
    expect(returned.openTasks.map((t) => t.elementId)).toEqual(['villageCorrection']);
    // 30 calendar days to revise and re-vote.
    expect(returned.openTasks[0].dueAt).toBe('2026-04-01T01:00:00.000Z');
    const revised = await w.act('village', returned.id, 'villageCorrection', {
      action: 'approve',
      data: { revisedOn: '2026-03-20', explanation: '删除第四条，经村民代表会议重新表决通过' },
      changes: { articles: lawfulArticles },
    });
    expect(revised.data.articles).toEqual(lawfulArticles);
    expect(revised.variables?.voting).toMatchObject({ articleCount: 3 });
    expect(revised.openTasks.map((t) => t.elementId)).toEqual(['legalityReview']);
    await w.act('township', c.id, 'legalityReview', {
      action: 'approve',
      data: { lawful: true, opinion: '内容合法，予以备案' },
    });
    const done = await w.act('township', c.id, 'townshipFiling', {
      action: 'approve',
      data: { filingNumber: '会师民备〔2026〕7号', filedOn: '2026-03-25' },
    });
    expect(done.status).toBe('completed');
  });

  it('a meeting without a quorum goes back to the village even when the text is lawful', async () => {
    const c = await w.file(
      'village',
      KEY,
      application({
        articles: lawfulArticles,
        meeting: {
          type: 'assembly',
          heldOn: '2026-02-25',
          entitled: 600,
          present: 250,
          inFavour: 240,
          against: 5,
          abstained: 5,
        },
      }),
    );
    expect(c.variables?.voting).toMatchObject({ quorum: false });
    const back = await w.act('township', c.id, 'legalityReview', {
      action: 'approve',
      data: { lawful: true, opinion: '条文合法，但到会人数不足' },
    });
    expect(back.openTasks.map((t) => t.elementId)).toEqual(['villageCorrection']);
  });

  it('the reviewer must list the unlawful clauses; the form refuses missing minutes', async () => {
    const c = await w.file('village', KEY, application());
    const taskId = await w.taskFor('township', c.id, 'legalityReview');
    const res = await w.as('township', 'POST', `/api/tasks/${taskId}/complete`, {
      action: 'approve',
      data: { lawful: false, opinion: '有违法条款' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().details.map((d: { path: string }) => d.path)).toContain('/data/unlawfulClauses');
    const refused = await w.refuse('village', KEY, application({ attachments: { fullText: [file('全文.pdf')] } }));
    expect(refused.details.map((d) => d.path)).toContain('/data/attachments/meetingRecord');
    expect(refused.message).toMatch(/申请表/);
  });
});
