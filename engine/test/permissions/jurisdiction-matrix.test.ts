import type { FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibleFilter, assertCan, buildAbility } from '../../src/infra/auth/ability.js';
import { ORG_UNITS, type OrgUnitDoc } from '../../src/infra/auth/model.js';
import type { SessionUser } from '../../src/infra/auth/types.js';
import { createTestApp, loginAs, type TestApp } from '../helpers.js';

/**
 * For every role at several units: list org units, users and a Case-like collection, and check
 * that exactly the jurisdiction comes back (nothing outside, nothing missing), and that a GET by
 * id outside the jurisdiction answers 404 like a missing record.
 *
 * The expectations are computed here from the tree, independently of the rule files:
 * - cases: records whose orgPath contains the caller's unit (own unit and below);
 * - org units: the caller's subtree plus the chain of its ancestors;
 * - users: the subtree for roles that oversee people (city-admin, county-approver,
 *   township-staff, auditor), only themselves for village-assistant and investigator.
 */
const CASES = 'matrix_cases';
const EXTRA_PASSWORD = 'Matrix-Passw0rd';

interface Caller {
  username: string;
  password?: string;
  seesUsersBelow: boolean;
}

const callers: Caller[] = [
  { username: 'admin', seesUsersBelow: true },
  { username: 'auditor', seesUsersBelow: true },
  { username: 'county', seesUsersBelow: true },
  { username: 'county2', seesUsersBelow: true },
  { username: 'township', seesUsersBelow: true },
  { username: 'township2', seesUsersBelow: true },
  { username: 'village', seesUsersBelow: false },
  { username: 'investigator2', seesUsersBelow: false },
  // Created below, so every role is also seen at a second unit.
  { username: 'jt-auditor', password: EXTRA_PASSWORD, seesUsersBelow: true },
  { username: 'wulan-staff', password: EXTRA_PASSWORD, seesUsersBelow: true },
  { username: 'guocheng-va', password: EXTRA_PASSWORD, seesUsersBelow: false },
  { username: 'shuiquan-inv', password: EXTRA_PASSWORD, seesUsersBelow: false },
];

describe('jurisdiction matrix: roles × units', () => {
  let t: TestApp;
  let units: OrgUnitDoc[];
  const sessions = new Map<string, { headers: { authorization: string }; user: SessionUser }>();
  let allUsers: Array<{ id: string; username: string; orgPath: string[] }>;

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await loginAs(t.app, 'admin');
    const extra = [
      ['jt-auditor', 'baiyin/jingtai', ['auditor']],
      ['wulan-staff', 'baiyin/jingyuan/wulan', ['township-staff']],
      ['guocheng-va', 'baiyin/huining/guochengyi/guocheng', ['village-assistant']],
      ['shuiquan-inv', 'baiyin/pingchuan/shuiquan', ['investigator']],
    ] as const;
    for (const [username, orgUnitId, roles] of extra) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: admin,
        payload: { username, displayName: username, orgUnitId, roles, password: EXTRA_PASSWORD },
      });
      expect(res.statusCode).toBe(201);
    }
    units = (await t.app.store.collection<OrgUnitDoc>(ORG_UNITS).find({}, { limit: 1000 })).items;
    // Two cases in every unit of the tree, written straight to the store.
    await t.app.store.ensureCollection({
      name: CASES,
      indexes: [{ name: 'orgPath', fields: { orgPath: 1 }, multikey: true }],
    });
    for (const unit of units) {
      for (const n of [1, 2]) {
        await t.app.store
          .collection(CASES)
          .insert({ _id: `case:${unit._id}:${n}`, orgPath: unit.path, title: unit.name });
      }
    }
    for (const c of callers) {
      const headers = await loginAs(t.app, c.username, c.password);
      const me = await t.app.inject({ url: '/api/auth/me', headers });
      sessions.set(c.username, { headers, user: me.json().user });
    }
    const listed = await t.app.inject({ url: '/api/users?limit=200', headers: admin });
    allUsers = listed.json().items;
  });
  afterAll(async () => t?.close());

  const sorted = (xs: string[]) => [...xs].sort();

  for (const caller of callers) {
    describe(caller.username, () => {
      it('lists exactly the cases of its own unit and below', async () => {
        const { user } = sessions.get(caller.username) as { user: SessionUser };
        const ability = buildAbility(user);
        const page = await t.app.store
          .collection(CASES)
          .find(accessibleFilter(ability, 'read', 'Case'), { limit: 1000, sort: { _id: 1 } });
        const expected = units
          .filter((u) => u.path.includes(user.orgUnitId))
          .flatMap((u) => [`case:${u._id}:1`, `case:${u._id}:2`]);
        expect(expected.length).toBeGreaterThan(0);
        expect(sorted(page.items.map((c) => c._id))).toEqual(sorted(expected));
      });

      it('lists exactly its subtree and its ancestors among org units', async () => {
        const { headers, user } = sessions.get(caller.username) as {
          headers: { authorization: string };
          user: SessionUser;
        };
        const res = await t.app.inject({ url: '/api/org-units?format=tree', headers });
        expect(res.statusCode).toBe(200);
        const expected = units
          .filter((u) => u.path.includes(user.orgUnitId) || user.orgPath.includes(u._id))
          .map((u) => u._id);
        expect(sorted(res.json().items.map((u: { id: string }) => u.id))).toEqual(sorted(expected));
        expect(res.json().tree).toHaveLength(1);
      });

      it('lists exactly the users it may see', async () => {
        const { headers, user } = sessions.get(caller.username) as {
          headers: { authorization: string };
          user: SessionUser;
        };
        const res = await t.app.inject({ url: '/api/users?limit=200', headers });
        expect(res.statusCode).toBe(200);
        const expected = caller.seesUsersBelow
          ? allUsers.filter((u) => u.orgPath.includes(user.orgUnitId)).map((u) => u.username)
          : [user.username];
        expect(sorted(res.json().items.map((u: { username: string }) => u.username))).toEqual(sorted(expected));
      });

      it('gets 404 for a user, an org unit or a case outside its jurisdiction', async () => {
        const { headers, user } = sessions.get(caller.username) as {
          headers: { authorization: string };
          user: SessionUser;
        };
        const outsideUnit = units.find((u) => !u.path.includes(user.orgUnitId) && !user.orgPath.includes(u._id));
        const outsideUser = allUsers.find((u) => !u.orgPath.includes(user.orgUnitId));
        if (user.orgUnitId === 'baiyin') {
          // The whole city is in its jurisdiction: nothing is outside.
          expect(outsideUnit).toBeUndefined();
          return;
        }
        const unitRes = await t.app.inject({
          url: `/api/org-units/${encodeURIComponent((outsideUnit as OrgUnitDoc)._id)}`,
          headers,
        });
        expect(unitRes.statusCode).toBe(404);
        const userRes = await t.app.inject({ url: `/api/users/${outsideUser?.id}`, headers });
        expect(userRes.statusCode).toBe(404);
        expect(userRes.json()).toEqual((await t.app.inject({ url: '/api/users/no-such-id', headers })).json());

        const outsideCase = await t.app.store.collection(CASES).get(`case:${(outsideUnit as OrgUnitDoc)._id}:1`);
        const request = { user, ability: buildAbility(user) } as unknown as FastifyRequest;
        expect(() => assertCan(request, 'read', 'Case', outsideCase)).toThrow(expect.objectContaining({ status: 404 }));
      });
    });
  }
});
