import { residentIdCheckChar } from '@minflow/sdk/formats';
import type { BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs } from '../../../engine/test/helpers.ts';
import { FIXTURE_KEY, publishFixture } from './fixtures.ts';
import { loginThroughForm, screenshots, startUiServer, type UiServer } from './harness.ts';

// People are shown by name, not by account id: the village assistant reads in the timeline which township
// clerk acted (a user they may not list), and a county approver sees on the task page who claimed it.
const first17 = '62042219400101005';
const idNumber = first17 + residentIdCheckChar(first17);

/**
 * Records, on every change of the page, whether any of `ids` is in its text (a MutationObserver runs before
 * the browser paints, so an id shown "for a moment" is caught too). Read it with `seenIds(page)`.
 */
async function watchForIds(ctx: BrowserContext, ids: string[]): Promise<void> {
  await ctx.addInitScript({
    content: `(() => {
      const ids = ${JSON.stringify(ids)};
      window.__seenIds = [];
      const check = () => {
        const text = document.body ? document.body.textContent || '' : '';
        for (const id of ids) if (text.includes(id) && !window.__seenIds.includes(id)) window.__seenIds.push(id);
      };
      new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });
    })();`,
  });
}
/** Signs in through the form in `ctx` (whose init scripts are already set). */
async function signIn(ctx: BrowserContext, username: string): Promise<{ page: Page }> {
  const page = await ctx.newPage();
  await page.goto('/app/login');
  await loginThroughForm(page, username);
  await page.getByTestId('greeting').waitFor();
  return { page };
}
const seenIds = (page: Page) => page.evaluate(() => (window as unknown as { __seenIds: string[] }).__seenIds);

/** Holds every `GET /api/users/names` until `release()`: the names arrive late, as on a slow connection. */
async function holdNames(page: Page) {
  const held: Route[] = [];
  let released = false;
  await page.route('**/api/users/names?**', async (route) => {
    if (released) await route.continue();
    else held.push(route);
  });
  return {
    held: () => held.length,
    async release() {
      released = true;
      for (const r of held.splice(0)) await r.continue();
    },
  };
}

describe('user display names in the timeline and on the task page', { timeout: 120_000 }, () => {
  let ui: UiServer;
  const shot = screenshots('names');
  let caseId = '';
  let taskId = '';
  let clerk = { id: '', displayName: '' };

  beforeAll(async () => {
    ui = await startUiServer();
    const app = ui.test.app;
    await publishFixture(app);
    const admin = await loginAs(app, 'admin');
    const users = (await app.inject({ method: 'GET', url: '/api/users?limit=100', headers: admin })).json().items;
    clerk = users.find((u: { username: string }) => u.username === 'township');
    const village = await loginAs(app, 'village');
    const filed = await app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: village,
      payload: { itemKey: FIXTURE_KEY, data: { name: '孙桂芳', idNumber } },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    caseId = filed.json().id;
    taskId = filed.json().openTasks[0].id;
    const township = await loginAs(app, 'township');
    const claimed = await app.inject({ method: 'POST', url: `/api/tasks/${taskId}/claim`, headers: township });
    expect(claimed.statusCode, claimed.body).toBe(200);
  }, 240_000);
  afterAll(async () => {
    await ui?.close();
  });

  /** The clerk's account id as the page could show it: whole, and without its `user-` prefix. */
  const clerkIds = () => [clerk.id, clerk.id.replace(/^user-/, '')];

  it('the village assistant sees the township clerk by name in the timeline, a placeholder until it arrives, never the id', async () => {
    const ctx = await ui.newContext();
    await watchForIds(ctx, clerkIds());
    const { page } = await signIn(ctx, 'village');
    const listed = await page.evaluate(async () => (await fetch('/api/users?limit=100')).text());
    expect(listed).not.toContain(clerk.id);
    const names = await holdNames(page);
    await page.goto(`/app/cases/${caseId}`);
    await page.getByTestId('case-title').waitFor();
    // The claim by the clerk is in the timeline while the name is on its way: a neutral placeholder there.
    const claimed = page.getByTestId('timeline-entry').filter({ hasText: '签收' });
    await claimed.filter({ hasText: '…' }).first().waitFor();
    await expect.poll(() => names.held()).toBeGreaterThan(0);
    await shot(page, 'timeline-name-pending');
    expect(await seenIds(page)).toEqual([]);
    await names.release();
    await claimed.filter({ hasText: clerk.displayName }).first().waitFor();
    await expect.poll(() => claimed.filter({ hasText: '…' }).count()).toBe(0);
    await shot(page, 'timeline-names');
    expect(await seenIds(page)).toEqual([]);
    await ctx.close();
  });

  it('the county approver opening the claimed task sees who holds it, never the id while the name loads', async () => {
    const ctx = await ui.newContext();
    await watchForIds(ctx, clerkIds());
    const { page } = await signIn(ctx, 'county');
    const names = await holdNames(page);
    await page.goto(`/app/cases/${caseId}/tasks/${taskId}`);
    const alert = page.getByTestId('task-claimed-by');
    await alert.filter({ hasText: '此任务已由 … 签收办理' }).waitFor();
    await names.release();
    await alert.filter({ hasText: `此任务已由 ${clerk.displayName} 签收办理` }).waitFor();
    await shot(page, 'task-claimed-by');
    expect(await seenIds(page)).toEqual([]);
    await ctx.close();
  });

  it('an id the engine does not know reads 未知用户, not the id', async () => {
    const ctx = await ui.newContext();
    await watchForIds(ctx, clerkIds());
    const { page } = await signIn(ctx, 'village');
    // As for an account removed since it acted: the engine answers without a name for it.
    await page.route('**/api/users/names?**', (route) => route.fulfill({ json: { names: {} } }));
    await page.goto(`/app/cases/${caseId}`);
    const claimed = page.getByTestId('timeline-entry').filter({ hasText: '签收' });
    await claimed.filter({ hasText: '未知用户' }).first().waitFor();
    await shot(page, 'timeline-unknown-user');
    expect(await seenIds(page)).toEqual([]);
    await ctx.close();
  });
});
