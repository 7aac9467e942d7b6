import { createMongoAbility, subject } from '@casl/ability';
import { unpackRules } from '@casl/ability/extra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_STATE, SESSIONS, USERS } from '../../src/infra/auth/model.js';
import { hashToken } from '../../src/infra/auth/sessions.js';
import { ManualClock } from '../../src/infra/clock.js';
import { createTestApp, loginAs, TEST_DEMO_PASSWORD, type TestApp } from '../helpers.js';

const login = (t: TestApp, username: string, password: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, headers });

describe('login, session cookie and bearer token', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('signs in a demo user: token, user with unit and roles, and an HTTP-only SameSite=Lax cookie', async () => {
    const res = await login(t, 'township', TEST_DEMO_PASSWORD);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user).toEqual({
      id: 'user-township',
      username: 'township',
      displayName: expect.stringContaining('王小兵'),
      orgUnitId: 'baiyin/huining/huishi',
      level: 'township',
      orgPath: ['baiyin', 'baiyin/huining', 'baiyin/huining/huishi'],
      roles: ['township-staff', 'investigator'],
    });
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookie = res.cookies.find((c) => c.name === 'minflow_session');
    expect(cookie).toMatchObject({ value: body.token, httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie?.secure).toBeFalsy();
    expect(JSON.stringify(body)).not.toContain('passwordHash');
  });

  it('marks the cookie Secure when the request came over https through a trusted proxy (MINFLOW_TRUST_PROXY)', async () => {
    const proxied = await createTestApp({ config: { trustProxy: true } });
    try {
      const res = await login(proxied, 'county', TEST_DEMO_PASSWORD, { 'x-forwarded-proto': 'https' });
      expect(res.cookies.find((c) => c.name === 'minflow_session')?.secure).toBe(true);
    } finally {
      await proxied.close();
    }
  });

  it('ignores X-Forwarded-Proto when no proxy is trusted (a client cannot claim https)', async () => {
    const res = await login(t, 'county', TEST_DEMO_PASSWORD, { 'x-forwarded-proto': 'https' });
    expect(res.cookies.find((c) => c.name === 'minflow_session')?.secure).toBeFalsy();
  });

  it('stores only a SHA-256 of the token, never the token itself', async () => {
    const { token } = (await login(t, 'village', TEST_DEMO_PASSWORD)).json();
    const sessions = t.app.store.collection(SESSIONS);
    expect(await sessions.get(token)).toBeNull();
    expect(await sessions.get(hashToken(token))).toMatchObject({ userId: 'user-village' });
  });

  it('/me answers with the cookie or the bearer token: user, unit path names, roles and CASL rules the UI can use', async () => {
    const res = await login(t, 'township', TEST_DEMO_PASSWORD);
    const viaCookie = await t.app.inject({ url: '/api/auth/me', cookies: { minflow_session: res.json().token } });
    const viaBearer = await t.app.inject({
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${res.json().token}` },
    });
    expect(viaCookie.statusCode).toBe(200);
    expect(viaBearer.json()).toEqual(viaCookie.json());
    const me = viaBearer.json();
    expect(me.orgUnit.path.map((p: { name: string }) => p.name)).toEqual(['白银市', '会宁县', '会师镇']);
    expect(me.roles.map((r: { role: string; name: { zh: string } }) => [r.role, r.name.zh])).toEqual([
      ['township-staff', '乡镇民政干部'],
      ['investigator', '入户调查员'],
    ]);
    const uiAbility = createMongoAbility(unpackRules(me.rules) as never);
    expect(
      uiAbility.can('start', subject('Case', { orgPath: ['baiyin', 'baiyin/huining', 'baiyin/huining/huishi'] })),
    ).toBe(true);
    expect(
      uiAbility.can('start', subject('Case', { orgPath: ['baiyin', 'baiyin/huining', 'baiyin/huining/guochengyi'] })),
    ).toBe(false);
    expect(uiAbility.can('publish', 'Definition')).toBe(false);
  });

  it('401 with a registry error without a session, with a made-up token or a malformed header', async () => {
    for (const headers of [{}, { authorization: 'Bearer not-a-real-token' }, { authorization: 'Basic abc' }]) {
      const res = await t.app.inject({ url: '/api/auth/me', headers });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({
        code: 'MINFLOW_ERR_AUTH_UNAUTHENTICATED',
        message: '未登录或会话已过期，请重新登录',
        details: [],
      });
    }
  });

  it('gives the same answer for an unknown user and a wrong password (no user enumeration)', async () => {
    const unknown = await login(t, 'nobody-here', 'whatever-123');
    const wrong = await login(t, 'auditor', 'whatever-123');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
    expect(unknown.json().code).toBe('MINFLOW_ERR_AUTH_INVALID_CREDENTIALS');
    const en = await login(t, 'nobody-here', 'whatever-123', { 'accept-language': 'en' });
    expect(en.json().message).toBe('Wrong username or password');
  });

  it('logout invalidates the token at once and clears the cookie', async () => {
    const headers = await loginAs(t.app, 'auditor');
    expect((await t.app.inject({ url: '/api/auth/me', headers })).statusCode).toBe(200);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers });
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((c) => c.name === 'minflow_session')?.value).toBe('');
    expect((await t.app.inject({ url: '/api/auth/me', headers })).statusCode).toBe(401);
  });
});

describe('session expiry (sliding idle timeout, absolute lifetime)', () => {
  it('expires after the idle time without activity, slides with activity, and ends at the absolute limit', async () => {
    const clock = new ManualClock('2026-03-02T01:00:00Z');
    const t = await createTestApp({ clock, config: { sessionIdleMinutes: 30 } });
    try {
      const me = (headers: Record<string, string>) => t.app.inject({ url: '/api/auth/me', headers });
      const a = await loginAs(t.app, 'township');
      // Active every 25 minutes: still signed in 2 hours later (the idle expiry slides).
      for (let i = 0; i < 5; i++) {
        clock.advance(25 * 60_000);
        expect((await me(a)).statusCode).toBe(200);
      }
      // Idle for 31 minutes: signed out.
      clock.advance(31 * 60_000);
      expect((await me(a)).statusCode).toBe(401);

      // However active, a session ends 12 hours after sign-in.
      const b = await loginAs(t.app, 'township');
      for (let elapsed = 0; elapsed < 11 * 60 + 40; elapsed += 20) {
        clock.advance(20 * 60_000);
        expect((await me(b)).statusCode).toBe(200);
      }
      clock.advance(25 * 60_000);
      expect((await me(b)).statusCode).toBe(401);
    } finally {
      await t.close();
    }
  });
});

describe('lockout after repeated failures', () => {
  it('locks for loginLockMinutes after loginMaxFailures failures, says until when (zh/en), then lets the user in', async () => {
    const clock = new ManualClock('2026-03-02T01:00:00Z');
    const t = await createTestApp({ clock, config: { loginMaxFailures: 3, loginLockMinutes: 15 } });
    try {
      expect((await login(t, 'village', 'wrong-1')).statusCode).toBe(401);
      expect((await login(t, 'village', 'wrong-2')).statusCode).toBe(401);
      const third = await login(t, 'village', 'wrong-3');
      expect(third.statusCode).toBe(423);
      // 01:00Z + 15 min = 09:15 Beijing time.
      expect(third.json()).toEqual({
        code: 'MINFLOW_ERR_AUTH_ACCOUNT_LOCKED',
        message: '登录失败次数过多，账号已锁定至 2026-03-02 09:15 (UTC+8)',
        details: [{ path: '/lockedUntil', message: '2026-03-02T01:15:00.000Z' }],
      });
      // Even the right password is refused while locked.
      const locked = await login(t, 'village', TEST_DEMO_PASSWORD, { 'accept-language': 'en' });
      expect(locked.statusCode).toBe(423);
      expect(locked.json().message).toBe(
        'Too many failed sign-in attempts; the account is locked until 2026-03-02 09:15 (UTC+8)',
      );
      // Other accounts are unaffected.
      expect((await login(t, 'township', TEST_DEMO_PASSWORD)).statusCode).toBe(200);

      clock.advance(15 * 60_000 + 1);
      expect((await login(t, 'village', TEST_DEMO_PASSWORD)).statusCode).toBe(200);
      // A success resets the count: two failures do not lock again.
      expect((await login(t, 'village', 'wrong-4')).statusCode).toBe(401);
      expect((await login(t, 'village', 'wrong-5')).statusCode).toBe(401);
      expect((await login(t, 'village', TEST_DEMO_PASSWORD)).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('locks an unknown username exactly like a real one, so the lockout does not reveal accounts', async () => {
    const t = await createTestApp({ config: { loginMaxFailures: 2, loginLockMinutes: 15 } });
    try {
      const answers = async (username: string) => {
        const out = [];
        for (let i = 0; i < 3; i++) {
          const res = await login(t, username, `wrong-${i}`);
          out.push([res.statusCode, res.json().code]);
        }
        return out;
      };
      const real = await answers('township2');
      expect(real).toEqual([
        [401, 'MINFLOW_ERR_AUTH_INVALID_CREDENTIALS'],
        [423, 'MINFLOW_ERR_AUTH_ACCOUNT_LOCKED'],
        [423, 'MINFLOW_ERR_AUTH_ACCOUNT_LOCKED'],
      ]);
      expect(await answers('no-such-person')).toEqual(real);
    } finally {
      await t.close();
    }
  });

  it('counts every failure of parallel attempts (version-checked writes with retry)', async () => {
    const t = await createTestApp({ config: { loginMaxFailures: 5, loginLockMinutes: 15 } });
    try {
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => login(t, 'county', `wrong-${i}`)));
      const statuses = results.map((r) => r.statusCode).sort();
      // Exactly four attempts are plain failures; the fifth locks and every later one is refused as locked.
      expect(statuses.filter((s) => s === 401)).toHaveLength(4);
      expect(statuses.filter((s) => s === 423)).toHaveLength(8);
      expect((await t.app.store.collection(LOGIN_STATE).get('county'))?.failedLogins).toBe(5);

      const many = await Promise.all(Array.from({ length: 4 }, (_, i) => login(t, 'county2', `bad-${i}`)));
      expect(many.every((r) => r.statusCode === 401)).toBe(true);
      expect((await t.app.store.collection(LOGIN_STATE).get('county2'))?.failedLogins).toBe(4);
      // The user document is untouched by sign-in bookkeeping (an admin's edit does not go stale).
      expect((await t.app.store.collection(USERS).findOne({ username: 'county2' }))?._v).toBe(1);
    } finally {
      await t.close();
    }
  });
});

describe('housekeeping', () => {
  it('sweeps expired sessions and stale failure records of unknown usernames at sign-in, keeping live ones', async () => {
    const clock = new ManualClock('2026-03-02T01:00:00Z');
    const t = await createTestApp({ clock, config: { sessionIdleMinutes: 30 } });
    try {
      await loginAs(t.app, 'auditor');
      await login(t, 'ghost-user', 'wrong-123');
      clock.advance(2 * 86_400_000);
      await login(t, 'another-ghost', 'wrong-123');
      expect(await t.app.store.collection(SESSIONS).count({})).toBe(1);
      // The next sign-in (at most every 10 minutes) sweeps.
      const live = await loginAs(t.app, 'county');
      expect(await t.app.store.collection(SESSIONS).count({})).toBe(1);
      expect(await t.app.sessions.sweep()).toBe(0);
      expect(await t.app.store.collection(LOGIN_STATE).get('ghost-user')).toBeNull();
      expect(await t.app.store.collection(LOGIN_STATE).get('another-ghost')).not.toBeNull();
      // Real users' records (last sign-in time) are kept.
      expect(await t.app.store.collection(LOGIN_STATE).get('auditor')).not.toBeNull();
      expect((await t.app.inject({ url: '/api/auth/me', headers: live })).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });
});

describe('changing one’s own password', () => {
  it('needs the current password; ends the user’s other sessions but keeps this one', async () => {
    const t = await createTestApp();
    try {
      const here = await loginAs(t.app, 'township2');
      const elsewhere = await loginAs(t.app, 'township2');
      const change = (headers: { authorization: string }, payload: object) =>
        t.app.inject({ method: 'POST', url: '/api/auth/password', headers, payload });

      const wrong = await change(here, { currentPassword: 'not-it-123', newPassword: 'New-Passw0rd-1' });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json()).toMatchObject({
        code: 'MINFLOW_ERR_AUTH_CURRENT_PASSWORD_WRONG',
        details: [{ path: '/currentPassword' }],
      });
      const weak = await change(here, { currentPassword: TEST_DEMO_PASSWORD, newPassword: 'abcdefghijk' });
      expect(weak.json()).toMatchObject({
        code: 'MINFLOW_ERR_AUTH_PASSWORD_WEAK',
        details: [{ path: '/newPassword' }],
      });

      expect(
        (await change(here, { currentPassword: TEST_DEMO_PASSWORD, newPassword: 'New-Passw0rd-1' })).statusCode,
      ).toBe(204);
      expect((await t.app.inject({ url: '/api/auth/me', headers: here })).statusCode).toBe(200);
      expect((await t.app.inject({ url: '/api/auth/me', headers: elsewhere })).statusCode).toBe(401);
      expect((await login(t, 'township2', TEST_DEMO_PASSWORD)).statusCode).toBe(401);
      expect((await login(t, 'township2', 'New-Passw0rd-1')).statusCode).toBe(200);
      expect((await t.app.inject({ method: 'POST', url: '/api/auth/password', payload: {} })).statusCode).toBe(401);
    } finally {
      await t.close();
    }
  });
});
