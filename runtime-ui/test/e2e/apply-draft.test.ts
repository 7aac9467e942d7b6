import { residentIdCheckChar } from '@minflow/sdk/formats';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_KEY, publishFixture } from './fixtures.ts';
import { loginThroughForm, screenshots, startUiServer, type UiServer } from './harness.ts';

// The application form keeps its data itself (rjsf's own state, not handed back on every keystroke): what the
// person typed must still survive a reload at once, and the page re-rendering the form (sending, the server's
// errors) must not put back the draft it started from.
const first17 = '62042219400101001';
const validId = first17 + residentIdCheckChar(first17);
const nameInput = (page: Page) => page.getByLabel('姓名');
const idInput = (page: Page) => page.getByLabel(/^(公民身份号码|身份证号码?)$/).first();

describe('the application form keeps every keystroke', { timeout: 90_000 }, () => {
  let ui: UiServer;
  const shot = screenshots('apply-draft');

  beforeAll(async () => {
    ui = await startUiServer();
    await publishFixture(ui.test.app);
  }, 180_000);
  afterAll(async () => {
    await ui?.close();
  });

  async function openForm() {
    const ctx = await ui.newContext();
    const page = await ctx.newPage();
    await page.goto(`/app/login?next=${encodeURIComponent(`/apply/${FIXTURE_KEY}`)}`);
    await loginThroughForm(page, 'village');
    await page.getByTestId('apply-title').waitFor();
    return { ctx, page };
  }

  it('a reload straight after typing (before the autosave pause) restores every character', async () => {
    const { ctx, page } = await openForm();
    await nameInput(page).click();
    await page.keyboard.type('张桂兰', { delay: 20 });
    await idInput(page).click();
    await page.keyboard.type(validId, { delay: 5 });
    await page.reload();
    await page.getByTestId('draft-restored').waitFor();
    await expect.poll(() => nameInput(page).inputValue()).toBe('张桂兰');
    await expect.poll(() => idInput(page).inputValue()).toBe(validId);
    await shot(page, 'restored-after-immediate-reload');
    await ctx.close();
  });

  it('a submit the server refuses shows its error at the field and keeps what was typed after the draft', async () => {
    const { ctx, page } = await openForm();
    // A draft to start from: typed, then the page reloaded.
    await nameInput(page).fill('李秀英');
    await idInput(page).fill(validId);
    await page.reload();
    await page.getByTestId('draft-restored').waitFor();
    await expect.poll(() => nameInput(page).inputValue()).toBe('李秀英');
    // Edited after the draft was restored; then the server refuses the ID number.
    await nameInput(page).fill('李秀兰');
    await page.route('**/api/cases', (route) =>
      route.fulfill({
        status: 400,
        json: {
          code: 'MINFLOW_ERR_COMMON_VALIDATION',
          message: '请求数据校验失败',
          details: [{ path: '/data/idNumber', message: '该身份证号码已有办理中的申请' }],
        },
      }),
    );
    await page.getByTestId('apply-submit').click();
    await page.getByTestId('submit-error').waitFor();
    const idItem = page.locator('.ant-form-item:not(:has(.ant-form-item))', { has: idInput(page) });
    await idItem.locator('.ant-form-item-explain-error', { hasText: '该身份证号码已有办理中的申请' }).waitFor();
    // The form was re-rendered (disabled while sending, then the server's error): the edit is still there.
    await expect.poll(() => nameInput(page).inputValue()).toBe('李秀兰');
    await expect.poll(() => idInput(page).inputValue()).toBe(validId);
    await shot(page, 'server-error-at-field');
    // Editing again clears the server's error, and the edit goes on from what is on screen.
    await nameInput(page).press('End');
    await page.keyboard.type('芳');
    await idItem.locator('.ant-form-item-explain-error').waitFor({ state: 'detached' });
    await expect.poll(() => nameInput(page).inputValue()).toBe('李秀兰芳');
    await page.reload();
    await page.getByTestId('draft-restored').waitFor();
    await expect.poll(() => nameInput(page).inputValue()).toBe('李秀兰芳');
    await ctx.close();
  });
});
