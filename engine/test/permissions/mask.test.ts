import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { buildAbility } from '../../src/infra/auth/ability.js';
import type { SessionUser } from '../../src/infra/auth/types.js';
import {
  maskIdNumber,
  maskName,
  maskPhone,
  maskSensitive,
  presentForRequest,
  presentSensitive,
} from '../../src/permissions/mask.js';

const huishi = ['baiyin', 'baiyin/huining', 'baiyin/huining/huishi'];
const user = (roles: SessionUser['roles'], orgPath: string[]): SessionUser => ({
  id: `u-${roles.join('-')}`,
  username: roles.join('-'),
  displayName: 'x',
  orgUnitId: orgPath[orgPath.length - 1],
  level: (['city', 'county', 'township', 'village'] as const)[orgPath.length - 1],
  orgPath,
  roles,
});

describe('masking helpers', () => {
  it('masks an ID number keeping the area code and the last four characters', () => {
    expect(maskIdNumber('620422199001011234')).toBe('620422********1234');
    expect(maskIdNumber('62042219900101123X')).toBe('620422********123X');
  });

  it('masks names as on public notices', () => {
    expect(maskName('张三明')).toBe('张*明');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳三明')).toBe('欧**明');
    expect(maskName('张')).toBe('张');
  });

  it('masks phone numbers', () => {
    expect(maskPhone('13912345678')).toBe('139****5678');
  });

  it('masks ID numbers, health and income at any depth, leaving other fields alone', () => {
    const record = {
      applicantName: '张三明',
      idNumber: '620422199001011234',
      monthlyIncome: 1200,
      members: [{ name: '李四', idNumber: '620422201001011238', health: '慢性病', incomeSource: '务农' }],
      orgPath: huishi,
    };
    const masked = maskSensitive(record);
    expect(masked).toEqual({
      applicantName: '张三明',
      idNumber: '620422********1234',
      monthlyIncome: null,
      members: [{ name: '李四', idNumber: '620422********1238', health: null, incomeSource: null }],
      orgPath: huishi,
    });
    expect(record.idNumber).toBe('620422199001011234');
  });
});

describe('reveal: unmasked only for roles granted `reveal` in the jurisdiction', () => {
  const person = {
    idNumber: '620422199001011234',
    health: '二级残疾',
    orgPath: [...huishi, 'baiyin/huining/huishi/dongguan'],
  };

  it('township staff and investigators of the township see the ID number; the village assistant does not', () => {
    expect(presentSensitive(buildAbility(user(['township-staff'], huishi)), 'Person', person)).toEqual({
      value: person,
      revealed: true,
    });
    expect(presentSensitive(buildAbility(user(['investigator'], huishi)), 'Person', person).revealed).toBe(true);
    const village = presentSensitive(buildAbility(user(['village-assistant'], person.orgPath)), 'Person', person);
    expect(village.revealed).toBe(false);
    expect(village.value.idNumber).toBe('620422********1234');
    expect(village.value.health).toBeNull();
  });

  it('an auditor reads but never sees unmasked data; another township sees it masked at most', () => {
    expect(presentSensitive(buildAbility(user(['auditor'], ['baiyin'])), 'Case', person).revealed).toBe(false);
    const other = ['baiyin', 'baiyin/huining', 'baiyin/huining/guochengyi'];
    expect(presentSensitive(buildAbility(user(['township-staff'], other)), 'Person', person).revealed).toBe(false);
  });
});

describe('presentForRequest: unmasked reads are audited', () => {
  it('audits a reveal by township staff, and not a masked read by the village assistant', async () => {
    const { createTestApp } = await import('../helpers.js');
    const t = await createTestApp();
    try {
      const person = {
        _id: 'p1',
        idNumber: '620422199001011234',
        orgPath: [...huishi, 'baiyin/huining/huishi/dongguan'],
      };
      const asRequest = (u: SessionUser) =>
        ({ user: u, ability: buildAbility(u), server: t.app, id: 'req-1' }) as unknown as FastifyRequest;
      const staff = user(['township-staff'], huishi);
      expect(await presentForRequest(asRequest(staff), 'Person', person)).toEqual(person);
      const village = user(['village-assistant'], person.orgPath);
      expect((await presentForRequest(asRequest(village), 'Person', person)).idNumber).toBe('620422********1234');
      const entries = (await t.app.store.collection('audit_log').find({ action: 'person.reveal' })).items;
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ actorId: staff.id, subjectId: 'p1', orgPath: person.orgPath });
      expect(JSON.stringify(entries[0])).not.toContain('199001011234');
    } finally {
      await t.close();
    }
  });
});
