import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ItemWalker, residentId } from '../../engine/test/items.js';

const KEY = 'village-election';
const file = (name: string) => ({
  name,
  url: `/files/${encodeURIComponent(name)}`,
  size: 150_000,
  contentType: 'application/pdf',
});

const member = (name: string, birth: string, seq: string, gender: string, position: string, votes: number) => ({
  name,
  idNumber: residentId('620422', birth, seq),
  gender,
  position,
  votes,
  party: 'masses',
  education: 'senior',
  phone: '13993000000'.slice(0, 9) + seq.slice(1),
  concurrentSecretary: false,
});

const members = [
  { ...member('张建军', '19750312', '011', 'male', 'chair', 812), party: 'cpc', concurrentSecretary: true },
  member('李红梅', '19820506', '022', 'female', 'vice-chair', 701),
  member('王小平', '19880710', '031', 'male', 'member', 655),
  member('赵志刚', '19790101', '041', 'male', 'member', 640),
  member('刘淑芳', '19850303', '022', 'female', 'member', 610),
];

function application(overrides: Record<string, unknown> = {}) {
  return {
    election: {
      term: 12,
      electionDate: '2026-02-20',
      method: 'direct-nomination',
      planAdoptedOn: '2026-01-15',
      committeeChair: '马德胜',
    },
    voters: { registered: 1500, voted: 1120, validBallots: 1100, proxyVotes: 85 },
    candidates: members.map(({ name, idNumber, gender, position, votes }) => ({
      name,
      idNumber,
      gender,
      position,
      votes,
    })),
    members,
    attachments: {
      electionPlan: [file('选举办法.pdf')],
      voterList: [file('选民名单公告.pdf')],
      resultNotice: [file('选举结果公告.pdf')],
      ballotRecord: [file('计票记录.pdf')],
    },
    ...overrides,
  };
}

describe('村民委员会换届选举备案 (village-election)', () => {
  let w: ItemWalker;
  beforeAll(async () => {
    w = await ItemWalker.start();
  });
  afterAll(async () => w?.close());

  it('a lawful election: statutory checks pass, township legality review, county filing', async () => {
    const c = await w.file('village', KEY, application());
    expect(c.variables?.legality).toEqual({
      turnoutValid: true,
      ballotsValid: true,
      membersElected: true,
      oneChair: true,
      hasWoman: true,
      memberCount: 5,
      lawful: true,
    });
    expect(c.openTasks.map((t) => t.elementId)).toEqual(['townshipReview']);
    // 15 working days from Monday 2026-03-02 → Monday 2026-03-23.
    expect(c.openTasks[0].dueAt).toBe('2026-03-23T15:59:59.999Z');
    await w.act('township', c.id, 'townshipReview', {
      action: 'approve',
      data: { procedureLawful: true, noBribery: true, opinion: '选举程序合法有效' },
    });
    const done = await w.act('county', c.id, 'countyFiling', {
      action: 'approve',
      data: { filingNumber: '会民备〔2026〕031号', filedOn: '2026-03-10' },
    });
    expect(done.status).toBe('completed');
  });

  it('no woman and a member elected without a majority: back to the village to correct, then re-checked', async () => {
    const noWoman = members.map((m) => (m.gender === 'female' ? { ...m, gender: 'male' } : m));
    noWoman[4] = { ...noWoman[4], votes: 500 };
    const c = await w.file('village', KEY, application({ members: noWoman }));
    expect(c.variables?.legality).toMatchObject({ hasWoman: false, membersElected: false, lawful: false });
    expect(c.openTasks.map((t) => t.elementId)).toEqual(['villageCorrection']);
    const fixed = await w.act('village', c.id, 'villageCorrection', {
      action: 'approve',
      data: { explanation: '核对选票，更正成员性别及得票数录入错误' },
      changes: { members },
    });
    expect(fixed.variables?.legality).toMatchObject({ hasWoman: true, membersElected: true, lawful: true });
    expect(fixed.openTasks.map((t) => t.elementId)).toEqual(['townshipReview']);
  });

  it('the township rejects an election with irregular procedure', async () => {
    const c = await w.file('village', KEY, application());
    const done = await w.act('township', c.id, 'townshipReview', {
      action: 'reject',
      comment: '未按规定张榜公布选民名单，选举无效，须重新选举',
    });
    expect(done.status).toBe('rejected');
  });

  it('refuses fewer than 3 members, a bad member ID check digit and a missing result notice', async () => {
    const few = await w.refuse('village', KEY, application({ members: members.slice(0, 2) }));
    expect(few.details.map((d) => d.path)).toContain('/data/members');
    const id = members[1].idNumber;
    const wrong = id.slice(0, 17) + (id[17] === '7' ? '8' : '7');
    const bad = await w.refuse(
      'village',
      KEY,
      application({ members: members.map((m, i) => (i === 1 ? { ...m, idNumber: wrong } : m)) }),
    );
    expect(bad.details.find((d) => d.path === '/data/members/1/idNumber')?.message).toMatch(/校验/);
    const noNotice = await w.refuse(
      'village',
      KEY,
      application({ attachments: { ...(application().attachments as object), resultNotice: [] } }),
    );
    expect(noNotice.details.map((d) => d.path)).toContain('/data/attachments/resultNotice');
  });
});
