import { residentIdCheckChar } from '@minflow/sdk/formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs } from '../../../engine/test/helpers.ts';
import { FIXTURE_KEY, publishFixture } from './fixtures.ts';
import { login, screenshots, startUiServer, type UiServer } from './harness.ts';

// People are shown by name, not by account id: the village assistant reads in the timeline which township
// clerk acted (a user they may not list), and a county approver sees on the task page who claimed it.
const first17 = '62042219400101005';
const idNumber = first17 + residentIdCheckChar(first17);

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

  it('the village assistant sees the township clerk by name in the timeline', async () => {
    const { ctx, page } = await login(ui, 'village');
    const listed = await page.evaluate(async () => (await fetch('/api/users?limit=100')).text());
    expect(listed).not.toContain(clerk.id);
    await page.goto(`/app/cases/${caseId}`);
    await page.getByTestId('case-title').waitFor();
    await page.getByText(clerk.displayName).first().waitFor();
    await shot(page, 'timeline-names');
    await ctx.close();
  });

  it('the county approver opening the claimed task sees who holds it', async () => {
    const { ctx, page } = await login(ui, 'county');
    await page.goto(`/app/cases/${caseId}/tasks/${taskId}`);
    const alert = page.getByTestId('task-claimed-by');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain(`此任务已由 ${clerk.displayName} 签收办理`);
    await shot(page, 'task-claimed-by');
    await ctx.close();
  });
});
