import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hasHorizontalScroll,
  loginThroughForm,
  screenshots,
  startUiServer,
  TEST_DEMO_PASSWORD,
  type UiServer,
} from './harness.ts';

// Real Chromium against the real engine: login, the guard on signed-in pages, the public notice board,
// the language switch and a 360-px phone.
describe('runtime UI shell in Chromium', { timeout: 90_000 }, () => {
  let ui: UiServer;
  const shot = screenshots('shell');

  beforeAll(async () => {
    ui = await startUiServer();
  }, 180_000);
  afterAll(async () => {
    await ui?.close();
  });

  it('a wrong password shows the zh-CN error and keeps the person on the login page', async () => {
    const ctx = await ui.newContext();
    const page = await ctx.newPage();
    await page.goto('/app/login');
    await loginThroughForm(page, 'village', 'not-the-password-1');
    const error = page.getByTestId('login-error');
    await expect(error.textContent()).resolves.toContain('用户名或密码错误');
    await shot(page, 'login-wrong-password');
    expect(new URL(page.url()).pathname).toBe('/app/login');
    await ctx.close();
  });

  it('after repeated wrong passwords the account is locked, and the page says until when', async () => {
    const ctx = await ui.newContext();
    const page = await ctx.newPage();
    await page.goto('/app/login');
    const max = ui.test.app.config.loginMaxFailures;
    for (let i = 0; i < max; i++) {
      const answer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/auth/login');
      await loginThroughForm(page, 'auditor', `wrong-password-${i}`);
      await answer;
    }
    const error = page.getByTestId('login-error');
    await error.filter({ hasText: '账号已锁定' }).waitFor();
    // The lock's end in Beijing time, and what to do meanwhile.
    await expect(error.textContent()).resolves.toMatch(/锁定至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    await expect(error.textContent()).resolves.toContain('联系管理员');
    await shot(page, 'login-locked');
    await ctx.close();
  });

  it('an anonymous visitor opening the catalog is sent to login, and comes back to it after logging in', async () => {
    const ctx = await ui.newContext();
    const page = await ctx.newPage();
    await page.goto('/app/catalog');
    await page.waitForURL(/\/app\/login\?/);
    const url = new URL(page.url());
    expect(url.searchParams.get('next')).toBe('/catalog');
    await expect(page.getByTestId('login-reason').textContent()).resolves.toContain('请先登录');
    await shot(page, 'anonymous-sent-to-login');

    await loginThroughForm(page, 'village', TEST_DEMO_PASSWORD);
    await page.waitForURL((u) => u.pathname === '/app/catalog');
    await page.getByRole('heading', { name: '一门受理' }).waitFor();
    await expect(page.getByTestId('header-user').textContent()).resolves.toBeTruthy();
    await shot(page, 'back-on-catalog-after-login');
    await ctx.close();
  });

  it('logging out ends the session: the home page asks for login again', async () => {
    const ctx = await ui.newContext();
    const page = await ctx.newPage();
    await page.goto('/app/login');
    await loginThroughForm(page, 'township');
    await page.getByTestId('greeting').waitFor();
    await shot(page, 'home-township');
    await page.getByTestId('logout').click();
    await page.waitForURL((u) => u.pathname === '/app/login');
    // A deliberate logout is not an expired session: no "come back to" and no timeout message.
    expect(new URL(page.url()).search).toBe('');
    const me = await page.evaluate(async () => (await fetch('/api/auth/me', { credentials: 'same-origin' })).status);
    expect(me).toBe(401);
    await page.goto('/app/');
    await page.waitForURL(/\/app\/login/);
    await ctx.close();
  });

  it('a session that ends while working (401) sends the person to login with a message and back afterwards', async () => {
    const ctx = await ui.newContext();
    const page = await ctx.newPage();
    await page.goto('/app/login');
    await loginThroughForm(page, 'village');
    await page.getByTestId('greeting').waitFor();
    // The server forgets the session (as after the idle timeout); the next call answers 401.
    await page.evaluate(async () => {
      await fetch('/api/auth/logout', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
    });
    await page.getByRole('link', { name: '一门受理' }).first().click();
    await page.waitForURL(/\/app\/login\?/);
    const url = new URL(page.url());
    expect(url.searchParams.get('reason')).toBe('expired');
    expect(url.searchParams.get('next')).toBe('/catalog');
    await expect(page.getByTestId('login-reason').textContent()).resolves.toContain('登录已超时');
    await shot(page, 'session-expired');
    await loginThroughForm(page, 'village');
    await page.waitForURL((u) => u.pathname === '/app/catalog');
    await ctx.close();
  });

  it('the public notice board opens without login and shows an empty state when nothing is published', async () => {
    const ctx = await ui.newContext();
    const page = await ctx.newPage();
    await page.goto('/app/notices');
    await page.getByRole('heading', { name: '公示公告' }).waitFor();
    await page.getByTestId('notices-empty').waitFor();
    expect(new URL(page.url()).pathname).toBe('/app/notices');
    await shot(page, 'notices-public-empty');
    await ctx.close();
  });

  it('switches to English and remembers the choice after a reload', async () => {
    const ctx = await ui.newContext();
    const page = await ctx.newPage();
    await page.goto('/app/login');
    await page.getByTestId('lang-switch').click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('en');
    await page.getByLabel('Username').fill('village');
    await page.getByLabel('Password').fill('wrong-password-9');
    await page.getByTestId('login-submit').click();
    // The server answers in the language the interface asked for.
    await expect(page.getByTestId('login-error').textContent()).resolves.toContain('Wrong username or password');
    await shot(page, 'login-english');
    await ctx.close();
  });

  it('the designer is served at /designer as its own app (the designer suite tests what it does)', async () => {
    const ctx = await ui.newContext();
    const page = await ctx.newPage();
    const res = await page.goto('/designer/');
    expect(res?.status()).toBe(200);
    await expect(page.title()).resolves.toContain('流程设计器');
    // Not the runtime UI's page: the designer's own bundle is served there.
    expect(await page.locator('script[src*="/designer/"]').count()).toBeGreaterThan(0);
    await ctx.close();
  });

  it('an unknown address shows the 404 page', async () => {
    const ctx = await ui.newContext();
    const page = await ctx.newPage();
    await page.goto('/app/no-such-page');
    await page.getByTestId('not-found').waitFor();
    await expect(page.getByTestId('not-found').textContent()).resolves.toContain('页面不存在');
    await ctx.close();
  });

  it('is usable on a 360-px phone: no sideways scrolling, the menu opens from a button', async () => {
    const ctx = await ui.newContext({ width: 360, height: 740 });
    const page = await ctx.newPage();
    await page.goto('/app/login');
    await page.getByTestId('login-submit').waitFor();
    expect(await hasHorizontalScroll(page)).toBe(false);
    await shot(page, 'phone-login');

    await loginThroughForm(page, 'village');
    await page.getByTestId('greeting').waitFor();
    expect(await hasHorizontalScroll(page)).toBe(false);
    await shot(page, 'phone-home');

    await page.getByTestId('menu-button').click();
    const drawerLink = page.locator('.ant-drawer').getByRole('link', { name: '一门受理' });
    await drawerLink.waitFor();
    await shot(page, 'phone-menu-open');
    await drawerLink.click();
    await page.waitForURL((u) => u.pathname === '/app/catalog');
    await page.getByTestId('catalog-search').waitFor();
    expect(await hasHorizontalScroll(page)).toBe(false);
    await shot(page, 'phone-catalog');

    await page.goto('/app/notices');
    await page.getByRole('heading', { name: '公示公告' }).waitFor();
    expect(await hasHorizontalScroll(page)).toBe(false);
    await ctx.close();
  });
});
