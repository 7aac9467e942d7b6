import { residentIdCheckChar } from '@minflow/sdk/formats';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs } from '../../../engine/test/helpers.ts';
import { FIXTURE_KEY, publishFixture } from './fixtures.ts';
import { hasHorizontalScroll, login, loginThroughForm, screenshots, startUiServer, type UiServer } from './harness.ts';

// A village assistant's or clerk's phone (360 × 740): every daily page fits the screen without sideways
// scrolling; a screenshot of each is kept in .test-output/screenshots/phone-360/.
const PHONE = { width: 360, height: 740 };
const first17 = '62042219400101006';
const idNumber = first17 + residentIdCheckChar(first17);

/** Elements wider than the screen (what a person would have to scroll sideways to read). */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('body *'))) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > width + 1 && getComputedStyle(el).position !== 'fixed') {
        out.push(`${el.tagName.toLowerCase()}.${String(el.className).slice(0, 60)} right=${Math.round(r.right)}`);
      }
    }
    return out.slice(0, 10);
  });
}

async function fits(page: Page): Promise<void> {
  const scroll = await hasHorizontalScroll(page);
  if (scroll) expect(await overflowing(page)).toEqual([]);
  expect(scroll).toBe(false);
}

describe('the daily pages on a 360-px phone', { timeout: 180_000 }, () => {
  let ui: UiServer;
  const shot = screenshots('phone-360');
  let caseId = '';
  let taskId = '';

  beforeAll(async () => {
    ui = await startUiServer();
    await publishFixture(ui.test.app);
    const village = await loginAs(ui.test.app, 'village');
    const filed = await ui.test.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: village,
      payload: { itemKey: FIXTURE_KEY, data: { name: '吴玉珍', idNumber, phone: '13912345678' } },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    caseId = filed.json().id;
    taskId = filed.json().openTasks[0].id;
  }, 240_000);
  afterAll(async () => {
    await ui?.close();
  });

  it('login, catalog and the largest application form (农村低保, with attachments) fit', async () => {
    const ctx = await ui.newContext(PHONE);
    const page = await ctx.newPage();
    await page.goto('/app/login');
    await page.getByTestId('login-submit').waitFor();
    await fits(page);
    await shot(page, 'login');
    await loginThroughForm(page, 'village');
    await page.getByTestId('greeting').waitFor();
    await fits(page);
    await shot(page, 'home');

    await page.goto('/app/catalog');
    await page.getByTestId('item-dibao-rural').waitFor();
    await fits(page);
    await shot(page, 'catalog');

    await page.goto('/app/apply/dibao-rural');
    await page.getByTestId('apply-title').waitFor();
    await page.getByTestId('attachments-root_attachments_idCards').waitFor();
    await fits(page);
    await shot(page, 'apply-dibao-rural');
    await ctx.close();
  });

  it('the inbox, the task page and the case file fit', async () => {
    const { ctx, page } = await login(ui, 'township', PHONE);
    await page.goto('/app/inbox');
    await page.getByText('吴玉珍').first().waitFor();
    await fits(page);
    await shot(page, 'inbox');

    await page.goto(`/app/cases/${caseId}/tasks/${encodeURIComponent(taskId)}`);
    await page.getByTestId('case-title').waitFor();
    await page.getByTestId('action-approve').waitFor();
    await fits(page);
    await shot(page, 'task');

    await page.goto(`/app/cases/${caseId}`);
    await page.getByTestId('case-title').waitFor();
    await page.getByTestId('timeline').waitFor();
    await fits(page);
    await shot(page, 'case-file');
    await ctx.close();
  });
});
