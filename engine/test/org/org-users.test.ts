import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAs, TEST_DEMO_PASSWORD, type TestApp } from '../helpers.js';

type Headers = { authorization: string };
interface TreeNode {
  id: string;
  name: string;
  level: string;
  children: TreeNode[];
}

describe('org units and users API', () => {
  let t: TestApp;
  let admin: Headers;
  let county: Headers;
  let township: Headers;
  beforeAll(async () => {
    t = await createTestApp();
    [admin, county, township] = await Promise.all(['admin', 'county', 'township'].map((u) => loginAs(t.app, u)));
  });
  afterAll(async () => t?.close());

  const get = (url: string, headers: Headers) => t.app.inject({ url, headers });
  const send = (method: 'POST' | 'PATCH', url: string, headers: Headers, payload: unknown) =>
    t.app.inject({ method, url, headers, payload: payload as object });

  describe('org tree', () => {
    it('shows the city-admin the whole demo jurisdiction as a tree: 白银市, 5 counties, 3 townships each', async () => {
      const res = await get('/api/org-units?format=tree', admin);
      expect(res.statusCode).toBe(200);
      const [root, ...others] = res.json().tree as TreeNode[];
      expect(others).toEqual([]);
      expect(root.name).toBe('白银市');
      expect(root.children.map((c) => c.name).sort()).toEqual(
        ['会宁县', '平川区', '景泰县', '白银区', '靖远县'].sort(),
      );
      const huining = root.children.find((c) => c.id === 'baiyin/huining') as TreeNode;
      expect(huining.children.map((c) => c.name)).toEqual(['会师镇', '郭城驿镇', '河畔镇']);
      for (const county of root.children) {
        expect(county.children.length).toBeGreaterThanOrEqual(2);
        for (const town of county.children) {
          expect(town.level).toBe('township');
          expect(town.children.length).toBeGreaterThanOrEqual(2);
          expect(town.children.every((v) => v.level === 'village')).toBe(true);
        }
      }
    });

    it('shows a township user its own subtree and the chain of its ancestors, nothing else', async () => {
      const res = await get('/api/org-units?format=tree', township);
      const ids = (res.json().items as Array<{ id: string }>).map((u) => u.id).sort();
      expect(ids).toEqual(
        [
          'baiyin',
          'baiyin/huining',
          'baiyin/huining/huishi',
          'baiyin/huining/huishi/dongguan',
          'baiyin/huining/huishi/nanshilipu',
          'baiyin/huining/huishi/xiguan',
        ].sort(),
      );
      expect((await get('/api/org-units/baiyin%2Fhuining%2Fguochengyi', township)).statusCode).toBe(404);
      expect((await get('/api/org-units/baiyin%2Fhuining%2Fhuishi%2Fxiguan', township)).json().name).toBe('西关社区');
    });

    it('lists one level with a filter and pages through with a cursor', async () => {
      const first = await get('/api/org-units?level=township&limit=10', admin);
      const second = await get(
        `/api/org-units?level=township&limit=10&cursor=${encodeURIComponent(first.json().nextCursor)}`,
        admin,
      );
      const names = [...first.json().items, ...second.json().items].map((u: { name: string }) => u.name);
      expect(names).toHaveLength(15);
      expect(new Set(names).size).toBe(15);
      expect(second.json().nextCursor).toBeNull();
    });

    it('lets the city-admin add a village below a township (audited), with level and code checks', async () => {
      const created = await send('POST', '/api/org-units', admin, {
        parentId: 'baiyin/huining/huishi',
        slug: 'beiguan',
        name: '北关村',
        code: '620422100204',
      });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({
        id: 'baiyin/huining/huishi/beiguan',
        level: 'village',
        parentId: 'baiyin/huining/huishi',
        path: ['baiyin', 'baiyin/huining', 'baiyin/huining/huishi', 'baiyin/huining/huishi/beiguan'],
      });
      // The township now sees it.
      expect((await get('/api/org-units/baiyin%2Fhuining%2Fhuishi%2Fbeiguan', township)).statusCode).toBe(200);

      const audit = await get('/api/audit?subjectType=OrgUnit', admin);
      expect(audit.json().items[0]).toMatchObject({
        action: 'org-unit.create',
        actorId: 'user-admin',
        subjectId: 'baiyin/huining/huishi/beiguan',
      });

      const dupCode = await send('POST', '/api/org-units', admin, {
        parentId: 'baiyin/huining/hepan',
        slug: 'x',
        name: 'X',
        code: '620422100204',
      });
      expect(dupCode.statusCode).toBe(409);
      expect(dupCode.json().code).toBe('MINFLOW_ERR_AUTH_ORG_UNIT_EXISTS');
      const wrongLevel = await send('POST', '/api/org-units', admin, {
        parentId: 'baiyin/huining',
        slug: 'y',
        name: 'Y',
        code: '620422199',
        level: 'village',
      });
      expect(wrongLevel.statusCode).toBe(400);
      expect(wrongLevel.json().code).toBe('MINFLOW_ERR_AUTH_ORG_UNIT_LEVEL_INVALID');
      const noParent = await send('POST', '/api/org-units', admin, {
        parentId: 'nowhere',
        slug: 'z',
        name: 'Z',
        code: '620499',
      });
      expect(noParent.statusCode).toBe(400);
      expect(noParent.json().details).toEqual([{ path: '/parentId', message: 'nowhere' }]);
      const notAdmin = await send('POST', '/api/org-units', county, {
        parentId: 'baiyin/huining/hepan',
        slug: 'w',
        name: 'W',
        code: '620422102299',
      });
      expect(notAdmin.statusCode).toBe(403);
      expect(notAdmin.json().code).toBe('MINFLOW_ERR_AUTH_FORBIDDEN');
    });

    it('refuses unknown body fields with the offending path', async () => {
      const res = await send('POST', '/api/org-units', admin, {
        parentId: 'baiyin',
        slug: 'q',
        name: 'Q',
        code: '620499',
        extra: 1,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().details).toContainEqual({ path: '/extra', message: expect.any(String) });
    });
  });

  describe('users', () => {
    it('lists users by username with filters and cursor pagination', async () => {
      const all = await get('/api/users?limit=200', admin);
      const usernames = all.json().items.map((u: { username: string }) => u.username);
      expect(usernames).toEqual([...usernames].sort());
      expect(usernames).toEqual(
        expect.arrayContaining([
          'admin',
          'auditor',
          'county',
          'county2',
          'investigator2',
          'township',
          'township2',
          'village',
        ]),
      );
      expect(JSON.stringify(all.json())).not.toMatch(/passwordHash|scrypt/);

      const investigators = await get('/api/users?role=investigator', admin);
      expect(investigators.json().items.map((u: { username: string }) => u.username)).toEqual([
        'investigator2',
        'township',
      ]);
      const inHuining = await get('/api/users?orgUnitId=baiyin%2Fhuining', admin);
      expect(inHuining.json().items.map((u: { username: string }) => u.username)).toEqual([
        'county',
        'investigator2',
        'township',
        'township2',
        'village',
      ]);
      expect((await get('/api/users?q=town', admin)).json().items.map((u: { username: string }) => u.username)).toEqual(
        ['township', 'township2'],
      );

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await get(`/api/users?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, admin);
        seen.push(...page.json().items.map((u: { username: string }) => u.username));
        cursor = page.json().nextCursor;
      } while (cursor);
      expect(seen).toEqual(usernames);
    });

    it('creates a user (city-admin only) and returns a generated password once; the user can sign in', async () => {
      const res = await send('POST', '/api/users', admin, {
        username: 'hepan1',
        displayName: '周丽（河畔镇民政所）',
        orgUnitId: 'baiyin/huining/hepan',
        roles: ['township-staff', 'investigator'],
      });
      expect(res.statusCode).toBe(201);
      const { user, initialPassword } = res.json();
      expect(user).toMatchObject({
        username: 'hepan1',
        orgPath: ['baiyin', 'baiyin/huining', 'baiyin/huining/hepan'],
        version: 1,
      });
      expect(initialPassword).toMatch(/^(?=.*[A-Za-z])(?=.*\d).{14}$/);
      expect((await loginAs(t.app, 'hepan1', initialPassword)).authorization).toMatch(/^Bearer /);

      const audit = (await get(`/api/audit?subjectId=${user.id}`, admin)).json().items;
      expect(audit.map((e: { action: string }) => e.action)).toContain('user.create');
      expect(JSON.stringify(audit)).not.toContain(initialPassword);
      expect(JSON.stringify(audit)).not.toMatch(/passwordHash|scrypt\$/);
    });

    it('refuses a taken username, a role at the wrong level, a weak password and non-admins', async () => {
      const base = { displayName: '测试', orgUnitId: 'baiyin/huining/hepan', roles: ['township-staff'] };
      const taken = await send('POST', '/api/users', admin, { ...base, username: 'township' });
      expect(taken.statusCode).toBe(409);
      expect(taken.json().code).toBe('MINFLOW_ERR_AUTH_USERNAME_TAKEN');
      const level = await send('POST', '/api/users', admin, {
        ...base,
        username: 'hepan2',
        roles: ['county-approver'],
      });
      expect(level.statusCode).toBe(400);
      expect(level.json()).toMatchObject({
        code: 'MINFLOW_ERR_AUTH_ROLE_LEVEL_MISMATCH',
        details: [{ path: '/roles/0' }],
      });
      const weak = await send('POST', '/api/users', admin, { ...base, username: 'hepan3', password: 'aaaaaaaaaaaa' });
      expect(weak.statusCode).toBe(400);
      expect(weak.json().code).toBe('MINFLOW_ERR_AUTH_PASSWORD_WEAK');
      const byCounty = await send('POST', '/api/users', county, { ...base, username: 'hepan4' });
      expect(byCounty.statusCode).toBe(403);
    });

    it('updates with the version read: a stale version gets 409 and changes nothing', async () => {
      const current = (await get('/api/users/user-township2', admin)).json();
      const ok = await send('PATCH', '/api/users/user-township2', admin, {
        version: current.version,
        roles: ['township-staff', 'investigator'],
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ roles: ['township-staff', 'investigator'], version: current.version + 1 });
      const stale = await send('PATCH', '/api/users/user-township2', admin, {
        version: current.version,
        displayName: '旧版本',
      });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().code).toBe('MINFLOW_ERR_COMMON_CONFLICT');
      expect((await get('/api/users/user-township2', admin)).json().displayName).not.toBe('旧版本');

      const audit = (await get('/api/audit?subjectId=user-township2&action=user.update', admin)).json().items[0];
      expect(audit.before.roles).toEqual(['township-staff']);
      expect(audit.after.roles).toEqual(['township-staff', 'investigator']);
    });

    it('a county approver reads its county’s users but changes none; users elsewhere do not exist for it', async () => {
      const inCounty = await get('/api/users/user-township', county);
      expect(inCounty.statusCode).toBe(200);
      const patch = await send('PATCH', '/api/users/user-township', county, {
        version: inCounty.json().version,
        displayName: 'x',
      });
      expect(patch.statusCode).toBe(403);
      expect((await get('/api/users/user-county2', county)).statusCode).toBe(404);
      expect((await get('/api/users/no-such-user', county)).statusCode).toBe(404);
    });

    it('an admin cannot disable or re-role themselves (a denial in the rule file)', async () => {
      const me = (await get('/api/users/user-admin', admin)).json();
      const res = await send('PATCH', '/api/users/user-admin', admin, { version: me.version, disabled: true });
      expect(res.statusCode).toBe(403);
      expect(res.json().details).toEqual([{ path: '/disabled', message: 'update User' }]);
      const rename = await send('PATCH', '/api/users/user-admin', admin, {
        version: me.version,
        displayName: '李红梅',
      });
      expect(rename.statusCode).toBe(200);
    });

    it('disabling a user ends their sessions and blocks sign-in', async () => {
      const village = await loginAs(t.app, 'village');
      expect((await get('/api/auth/me', village)).statusCode).toBe(200);
      const current = (await get('/api/users/user-village', admin)).json();
      const res = await send('PATCH', '/api/users/user-village', admin, { version: current.version, disabled: true });
      expect(res.json().disabled).toBe(true);
      expect((await get('/api/auth/me', village)).statusCode).toBe(401);
      const again = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'village', password: TEST_DEMO_PASSWORD },
      });
      expect(again.statusCode).toBe(403);
      expect(again.json().code).toBe('MINFLOW_ERR_AUTH_ACCOUNT_DISABLED');
      const wrong = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'village', password: 'nope-123456' },
      });
      expect(wrong.statusCode).toBe(401);

      const actions = (await get('/api/audit?subjectId=user-village', admin))
        .json()
        .items.map((e: { action: string }) => e.action);
      expect(actions).toContain('user.disable');
      const enable = await send('PATCH', '/api/users/user-village', admin, {
        version: res.json().version,
        disabled: false,
      });
      expect(enable.statusCode).toBe(200);
      expect((await loginAs(t.app, 'village')).authorization).toMatch(/^Bearer/);
    });

    it('resets a password: the old one stops working, sessions end, the lock is lifted, nothing secret is audited', async () => {
      const session = await loginAs(t.app, 'investigator2');
      const res = await send('POST', '/api/users/user-investigator2/reset-password', admin, {});
      expect(res.statusCode).toBe(200);
      const { password } = res.json();
      expect(password).toEqual(expect.any(String));
      expect((await get('/api/auth/me', session)).statusCode).toBe(401);
      await expect(loginAs(t.app, 'investigator2')).rejects.toThrow(/401/);
      await loginAs(t.app, 'investigator2', password);

      const chosen = await send('POST', '/api/users/user-investigator2/reset-password', admin, {
        password: 'Chosen-Passw0rd',
      });
      expect(chosen.json().password).toBeUndefined();
      await loginAs(t.app, 'investigator2', 'Chosen-Passw0rd');
      const audit = (await get('/api/audit?subjectId=user-investigator2&action=user.reset-password', admin)).json()
        .items;
      expect(audit).toHaveLength(2);
      expect(JSON.stringify(audit)).not.toMatch(/Chosen-Passw0rd|scrypt/);
      expect(JSON.stringify(audit)).not.toContain(password);

      expect((await send('POST', '/api/users/user-investigator2/reset-password', township, {})).statusCode).toBe(403);
    });
  });

  it('documents every org, user and audit route in OpenAPI with its tag', async () => {
    const spec = (await t.app.inject({ url: '/api/openapi.json' })).json();
    expect(spec.paths['/api/users'].get.tags).toEqual(['users']);
    expect(spec.paths['/api/users/{id}'].patch.requestBody).toBeDefined();
    expect(spec.paths['/api/org-units'].post.tags).toEqual(['org']);
    expect(spec.paths['/api/audit'].get.tags).toEqual(['audit']);
    expect(spec.paths['/api/auth/login'].post.tags).toEqual(['auth']);
  });
});
