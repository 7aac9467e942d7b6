import { residentIdCheckChar } from '@minflow/sdk/formats';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_KEY, publishFixture } from './fixtures.ts';
import { hasHorizontalScroll, loginThroughForm, screenshots, startUiServer, type UiServer } from './harness.ts';

// A village assistant (村民政协理员) starts 高龄津贴 from the catalog in Chromium, against the engine with the
// definitions under definitions/ published.
const first17 = '62042219400101001'; // 会宁县, born 1940-01-01: 86 years old
const validId = first17 + residentIdCheckChar(first17);
const wrongCheckDigit = first17 + (validId[17] === '0' ? '1' : '0');

function idInput(page: Page) {
  // The applicant's own ID field (公民身份号码 is the statutory name; some forms say 身份证号码), not the agent's.
  return page.getByLabel(/^(公民身份号码|身份证号码?)$/).first();
}

function fieldErrors(page: Page) {
  return page.locator('.ant-form-item-explain-error');
}

describe('applying for 高龄津贴 in Chromium', { timeout: 90_000 }, () => {
  let ui: UiServer;
  const shot = screenshots('apply');

  beforeAll(async () => {
    ui = await startUiServer();
    await publishFixture(ui.test.app);
  }, 180_000);
  afterAll(async () => {
    await ui?.close();
  });

  it('finds the item by pinyin initials, shows the ID error at the field on blur, and keeps the draft over a reload', async () => {
    const ctx = await ui.newContext();
    const page = await ctx.newPage();
    await page.goto('/app/login');
    await loginThroughForm(page, 'village');
    await page.getByTestId('greeting').waitFor();

    await page.getByRole('link', { name: '一门受理' }).first().click();
    await page.getByTestId('item-elderly-allowance').waitFor();
    await shot(page, 'catalog');
    await page.getByTestId('catalog-search').fill('gljt');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid^="item-"]').length === 1);
    const only = page.getByTestId('item-elderly-allowance');
    await expect(only.textContent()).resolves.toContain('高龄津贴');
    await shot(page, 'catalog-search-gljt');

    await only.click();
    await page.waitForURL((u) => u.pathname === '/app/apply/elderly-allowance');
    await expect(page.getByTestId('apply-title').textContent()).resolves.toBe('高龄津贴');
    await shot(page, 'form-empty');

    // A wrong check digit: nothing is said while typing, the error appears at the field when leaving it.
    const id = idInput(page);
    await id.fill(wrongCheckDigit);
    expect(await fieldErrors(page).count()).toBe(0);
    await id.press('Tab');
    // The innermost form item holding the input (its group's item holds it too).
    const idItem = page.locator('.ant-form-item:not(:has(.ant-form-item))', { has: id });
    await idItem.locator('.ant-form-item-explain-error').waitFor();
    await expect(idItem.locator('.ant-form-item-explain-error').textContent()).resolves.toContain(
      '身份证号码校验位不正确',
    );
    // Fields the person has not reached yet stay clean.
    expect(await fieldErrors(page).count()).toBe(1);
    await shot(page, 'id-error-on-blur');

    await id.fill(validId);
    await id.press('Tab');
    await idItem.locator('.ant-form-item-explain-error').waitFor({ state: 'detached' });
    // The phone field was only passed through with Tab: no "required" error before submit.
    expect(await fieldErrors(page).count()).toBe(0);
    await page.getByTestId('draft-status').filter({ hasText: '草稿已自动保存' }).waitFor();
    await shot(page, 'id-fixed-draft-saved');

    await page.reload();
    await page.getByTestId('draft-restored').waitFor();
    await expect(idInput(page).inputValue()).resolves.toBe(validId);
    await shot(page, 'draft-restored-after-reload');
    await ctx.close();
  });

  it('on a 360-px phone the form fits the screen', async () => {
    const ctx = await ui.newContext({ width: 360, height: 740 });
    const page = await ctx.newPage();
    await page.goto('/app/login?next=%2Fapply%2Felderly-allowance');
    await loginThroughForm(page, 'village');
    await page.getByTestId('apply-title').waitFor();
    await idInput(page).waitFor();
    expect(await hasHorizontalScroll(page)).toBe(false);
    await shot(page, 'phone-form');
    await ctx.close();
  });

  it('a double click submits once, with one Idempotency-Key, and the answer is shown to the person', async () => {
    const ctx = await ui.newContext();
    const page = await ctx.newPage();
    const posts: { key: string | undefined; body: unknown }[] = [];
    page.on('request', (req) => {
      if (req.method() === 'POST' && new URL(req.url()).pathname === '/api/cases') {
        posts.push({ key: req.headers()['idempotency-key'], body: req.postDataJSON() });
      }
    });
    await page.goto(`/app/login?next=${encodeURIComponent(`/apply/${FIXTURE_KEY}`)}`);
    await loginThroughForm(page, 'village');
    await page.getByTestId('apply-title').waitFor();

    // Submitting the empty form: every problem is shown at its field, nothing is sent.
    await page.getByTestId('apply-submit').click();
    await page.getByTestId('client-errors').waitFor();
    expect(await fieldErrors(page).count()).toBe(2);
    expect(posts).toHaveLength(0);
    await shot(page, 'submit-empty-form');

    await page.getByLabel('姓名').fill('张桂兰');
    await idInput(page).fill(validId);
    const answer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/cases');
    await page.getByTestId('apply-submit').dblclick();
    const res = await answer;
    await page.waitForLoadState('networkidle');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(posts[0]!.body).toEqual({ itemKey: FIXTURE_KEY, data: { name: '张桂兰', idNumber: validId } });

    if (res.status() === 201) {
      await page.getByTestId('apply-success').waitFor();
      await shot(page, 'submitted');
      await page.goto(`/app/apply/${FIXTURE_KEY}`);
      await page.getByTestId('apply-title').waitFor();
      expect(await page.getByTestId('draft-restored').count()).toBe(0);

      // The new case is on the applicant's home page, in progress.
      await page.goto('/app/');
      const recent = page.getByTestId('recent-cases');
      await recent.filter({ hasText: '测试补贴' }).waitFor();
      await expect(recent.textContent()).resolves.toContain('办理中');
      await shot(page, 'home-recent-case');

      // The township clerk sees it counted in their inbox, the same figure the server gives.
      const clerk = await ui.newContext();
      const clerkPage = await clerk.newPage();
      await clerkPage.goto('/app/login');
      await loginThroughForm(clerkPage, 'township');
      const counts = clerkPage.getByTestId('inbox-counts');
      await counts.waitFor();
      const server = await clerkPage.evaluate(async () => (await fetch('/api/tasks/counts')).json());
      expect(server.todo).toBeGreaterThanOrEqual(1);
      const shown = await counts.locator('.ant-statistic-content-value').first().textContent();
      expect(Number(shown)).toBe(server.todo);
      await shot(clerkPage, 'township-home-counts');
      await clerk.close();
    } else {
      // The server's own message (zh-CN) is shown, and nothing typed is lost.
      const { message } = (await res.json()) as { message: string };
      await expect(page.getByTestId('submit-error').textContent()).resolves.toContain(message);
      await shot(page, 'submit-refused');
      await page.reload();
      await page.getByTestId('draft-restored').waitFor();
      await expect(page.getByLabel('姓名').inputValue()).resolves.toBe('张桂兰');
    }
    await ctx.close();
  });

  it('a submit that fails for lack of network is retried with the same Idempotency-Key', async () => {
    const ctx = await ui.newContext();
    const page = await ctx.newPage();
    const keys: (string | undefined)[] = [];
    page.on('request', (req) => {
      if (req.method() === 'POST' && new URL(req.url()).pathname === '/api/cases')
        keys.push(req.headers()['idempotency-key']);
    });
    await page.goto(`/app/login?next=${encodeURIComponent(`/apply/${FIXTURE_KEY}`)}`);
    await loginThroughForm(page, 'village');
    await page.getByTestId('apply-title').waitFor();
    await page.getByLabel('姓名').fill('李秀英');
    await idInput(page).fill(validId);

    await ctx.setOffline(true);
    await page.getByTestId('apply-submit').click();
    const error = page.getByTestId('submit-error');
    await error.waitFor();
    await expect(error.textContent()).resolves.toContain('网络连接失败');
    await expect(error.textContent()).resolves.toContain('不会重复提交');
    await shot(page, 'submit-offline');

    await ctx.setOffline(false);
    const answer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/cases');
    await page.getByTestId('apply-submit').click();
    await answer;
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    await ctx.close();
  });
});
