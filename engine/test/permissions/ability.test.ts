import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibleFilter, assertCan, buildAbility, can, MATCH_NOTHING, negate } from '../../src/infra/auth/ability.js';
import { ROLES, type SessionUser } from '../../src/infra/auth/types.js';
import { createStore } from '../../src/infra/store/index.js';
import type { DocumentStore } from '../../src/infra/store/port.js';
import { loadRoleDefinitions, type RoleDefinition, rulesForUser } from '../../src/permissions/rules.js';

const CITY = ['baiyin'];
const HUINING = ['baiyin', 'baiyin/huining'];
const HUISHI = [...HUINING, 'baiyin/huining/huishi'];
const GUOCHENGYI = [...HUINING, 'baiyin/huining/guochengyi'];
const DONGGUAN = [...HUISHI, 'baiyin/huining/huishi/dongguan'];

function user(id: string, roles: SessionUser['roles'], orgPath: string[]): SessionUser {
  const levels = ['city', 'county', 'township', 'village'] as const;
  return {
    id,
    username: id,
    displayName: id,
    orgUnitId: orgPath.at(-1) as string,
    level: levels[orgPath.length - 1],
    orgPath,
    roles,
  };
}

describe('rule files', () => {
  it('every role has a valid file with the levels it may be held at', () => {
    const defs = loadRoleDefinitions();
    expect([...defs.keys()].sort()).toEqual([...ROLES].sort());
    expect(defs.get('city-admin')?.levels).toEqual(['city']);
    expect(defs.get('village-assistant')?.levels).toEqual(['village']);
  });

  it('a file with an unknown placeholder or an unknown action stops start-up with a registry error', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'minflow-rules-'));
    try {
      const good = loadRoleDefinitions();
      for (const [role, def] of good) await writeFile(path.join(dir, `${role}.json`), JSON.stringify(def));
      const bad = {
        ...good.get('auditor'),
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a rule-file placeholder, not a template
        rules: [{ action: 'read', subject: 'Case', conditions: { orgPath: '${user.secret}' } }],
      };
      await writeFile(path.join(dir, 'auditor.json'), JSON.stringify(bad));
      expect(() => loadRoleDefinitions(dir)).toThrow(
        expect.objectContaining({ code: 'MINFLOW_ERR_AUTH_RULES_INVALID' }),
      );
      await writeFile(
        path.join(dir, 'auditor.json'),
        JSON.stringify({ ...bad, rules: [{ action: 'destroy', subject: 'Case' }] }),
      );
      expect(() => loadRoleDefinitions(dir)).toThrow(
        expect.objectContaining({ code: 'MINFLOW_ERR_AUTH_RULES_INVALID' }),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fills placeholders with the user’s values, arrays staying arrays', () => {
    const rules = rulesForUser(user('t1', ['township-staff'], HUISHI));
    expect(rules).toContainEqual({ action: 'read', subject: 'OrgUnit', conditions: { _id: { $in: HUISHI } } });
    expect(rules).toContainEqual({ action: 'start', subject: 'Item', conditions: { startLevels: 'township' } });
  });
});

describe('how roles combine', () => {
  it('positive rules are a union: a township-staff + investigator acts on tasks meant for either role', () => {
    const both = buildAbility(user('t', ['township-staff', 'investigator'], HUISHI));
    const staffOnly = buildAbility(user('s', ['township-staff'], HUISHI));
    const invTask = { orgPath: DONGGUAN, candidateRoles: ['investigator'] };
    const staffTask = { orgPath: DONGGUAN, candidateRoles: ['township-staff'] };
    expect(can(both, 'act', 'Task', invTask)).toBe(true);
    expect(can(both, 'act', 'Task', staffTask)).toBe(true);
    expect(can(staffOnly, 'act', 'Task', invTask)).toBe(false);
  });

  it('inverted rules are denials that win over any role, whatever order the roles are listed in', () => {
    const roles = new Map<string, RoleDefinition>([
      [
        'county-approver',
        {
          role: 'county-approver',
          name: { zh: '', en: '' },
          levels: ['county'],
          rules: [{ action: 'read', subject: 'Case' }],
        },
      ],
      [
        'auditor',
        {
          role: 'auditor',
          name: { zh: '', en: '' },
          levels: ['county'],
          rules: [{ action: 'read', subject: 'Case', inverted: true, conditions: { sealed: true } }],
        },
      ],
    ]) as Map<never, RoleDefinition>;
    for (const order of [
      ['county-approver', 'auditor'],
      ['auditor', 'county-approver'],
    ] as const) {
      const u = user('x', [...order], HUINING);
      const ability = buildAbility(null);
      ability.update(rulesForUser(u, roles) as never);
      expect(can(ability, 'read', 'Case', { sealed: true })).toBe(false);
      expect(can(ability, 'read', 'Case', { sealed: false })).toBe(true);
      expect(accessibleFilter(ability, 'read', 'Case')).toEqual({ sealed: { $ne: true } });
    }
  });

  it('a field-level denial from the files: an admin edits other users’ roles but not their own', () => {
    const admin = buildAbility(user('user-admin', ['city-admin'], CITY));
    const self = { _id: 'user-admin', orgPath: CITY };
    const other = { _id: 'user-county', orgPath: HUINING };
    expect(can(admin, 'update', 'User', self, 'displayName')).toBe(true);
    expect(can(admin, 'update', 'User', self, 'roles')).toBe(false);
    expect(can(admin, 'update', 'User', self, 'disabled')).toBe(false);
    expect(can(admin, 'update', 'User', other, 'roles')).toBe(true);
  });

  it('the auditor changes nothing: no create, update, act or delete on any subject', () => {
    const auditor = buildAbility(user('a', ['auditor'], CITY));
    for (const subject of ['Case', 'Task', 'User', 'OrgUnit', 'Definition', 'AuditEntry', 'Person'] as const) {
      for (const action of ['create', 'update', 'delete', 'act', 'publish', 'start', 'reveal'] as const) {
        expect(can(auditor, action, subject, { orgPath: HUISHI, path: HUISHI })).toBe(false);
      }
      expect(can(auditor, 'read', subject, { orgPath: HUISHI, path: HUISHI })).toBe(true);
    }
  });
});

describe('abilities are cached per user and roles', () => {
  it('reuses the ability of an unchanged user; a changed role or unit gets one built for it', () => {
    const staff = user('u-cache', ['township-staff'], HUISHI);
    const first = buildAbility(staff);
    expect(buildAbility({ ...staff })).toBe(first);
    const caseThere = { orgPath: DONGGUAN, candidateRoles: ['township-staff'] };
    expect(can(first, 'create', 'Case', caseThere)).toBe(true);
    // Demoted to investigator: the next request's ability no longer files cases.
    const demoted = buildAbility({ ...staff, roles: ['investigator'] });
    expect(demoted).not.toBe(first);
    expect(can(demoted, 'create', 'Case', caseThere)).toBe(false);
    // Moved to another township: the old jurisdiction is gone.
    const moved = buildAbility(user('u-cache', ['township-staff'], GUOCHENGYI));
    expect(can(moved, 'read', 'Case', caseThere)).toBe(false);
    expect(can(buildAbility(staff), 'read', 'Case', caseThere)).toBe(true);
  });
});

describe('accessibleFilter', () => {
  it('matches nothing when nothing is allowed, everything when allowed without conditions', () => {
    const village = buildAbility(user('v', ['village-assistant'], DONGGUAN));
    expect(accessibleFilter(village, 'read', 'AuditEntry')).toEqual(MATCH_NOTHING);
    expect(accessibleFilter(buildAbility(null), 'read', 'Case')).toEqual(MATCH_NOTHING);
    const admin = buildAbility(user('a', ['city-admin'], CITY));
    expect(accessibleFilter(admin, 'publish', 'Definition')).toEqual({});
  });

  it('negates inverted conditions into store operators', () => {
    expect(negate({ a: 1, b: { $in: [1, 2] } })).toEqual({ $or: [{ a: { $ne: 1 } }, { b: { $nin: [1, 2] } }] });
    expect(negate({ n: { $gt: 3 } })).toEqual({ $or: [{ n: { $lte: 3 } }, { n: { $exists: false } }] });
    expect(negate({ $or: [{ a: 1 }, { b: 2 }] })).toEqual({ $and: [{ a: { $ne: 1 } }, { b: { $ne: 2 } }] });
    expect(() => negate({ a: { $elemMatch: { x: 1 } } })).toThrow(
      expect.objectContaining({ code: 'MINFLOW_ERR_AUTH_RULES_INVALID' }),
    );
  });

  describe('against the store: the filter returns exactly the records the ability allows', () => {
    let store: DocumentStore;
    let dir: string;
    const records = [
      { _id: 'c1', orgPath: DONGGUAN, sealed: false, candidateRoles: ['investigator'] },
      { _id: 'c2', orgPath: HUISHI, sealed: true, candidateRoles: ['township-staff'] },
      { _id: 'c3', orgPath: [...GUOCHENGYI, 'baiyin/huining/guochengyi/guocheng'], candidateRoles: ['investigator'] },
      {
        _id: 'c4',
        orgPath: ['baiyin', 'baiyin/jingyuan', 'baiyin/jingyuan/wulan'],
        candidateRoles: ['county-approver'],
      },
      { _id: 'c5', orgPath: HUINING, candidateRoles: ['county-approver'] },
    ];
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'minflow-ability-'));
      store = await createStore({ dataDir: dir, mongodbUrl: null });
      await store.ensureCollection({
        name: 'things',
        indexes: [{ name: 'orgPath', fields: { orgPath: 1 }, multikey: true }],
      });
      for (const r of records) await store.collection('things').insert(r);
    });
    afterAll(async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    });

    const cases: Array<[string, SessionUser, 'read' | 'act']> = [
      ['township staff reads', user('t', ['township-staff'], HUISHI), 'read'],
      ['township + investigator acts', user('t', ['township-staff', 'investigator'], HUISHI), 'act'],
      ['county approver acts', user('c', ['county-approver'], HUINING), 'act'],
      ['city auditor reads', user('a', ['auditor'], CITY), 'read'],
      ['village assistant acts', user('v', ['village-assistant'], DONGGUAN), 'act'],
    ];
    for (const [label, u, action] of cases) {
      it(label, async () => {
        const ability = buildAbility(u);
        const page = await store
          .collection('things')
          .find(accessibleFilter(ability, action, 'Task'), { sort: { _id: 1 } });
        const expected = records.filter((r) => can(ability, action, 'Task', r)).map((r) => r._id);
        expect(page.items.map((d) => d._id)).toEqual(expected);
      });
    }
  });
});

describe('assertCan policy', () => {
  const request = (u: SessionUser | null) => ({ user: u, ability: buildAbility(u) }) as unknown as FastifyRequest;
  const township = request(user('t', ['township-staff'], HUISHI));

  it('401 without a session', () => {
    expect(() => assertCan(request(null), 'read', 'Case')).toThrow(
      expect.objectContaining({ status: 401, code: 'MINFLOW_ERR_AUTH_UNAUTHENTICATED' }),
    );
  });

  it('404 (as if missing) for a record outside the jurisdiction, so existence is not leaked', () => {
    expect(() => assertCan(township, 'act', 'Case', { orgPath: GUOCHENGYI })).toThrow(
      expect.objectContaining({ status: 404, code: 'MINFLOW_ERR_COMMON_NOT_FOUND' }),
    );
  });

  it('403 for a record the caller can read but may not act on', () => {
    const village = request(user('v', ['village-assistant'], DONGGUAN));
    expect(() => assertCan(village, 'act', 'Case', { orgPath: DONGGUAN })).toThrow(
      expect.objectContaining({ status: 403, code: 'MINFLOW_ERR_AUTH_FORBIDDEN' }),
    );
    expect(() => assertCan(township, 'act', 'Case', { orgPath: DONGGUAN })).not.toThrow();
    expect(() => assertCan(township, 'publish', 'Definition')).toThrow(expect.objectContaining({ status: 403 }));
  });
});
