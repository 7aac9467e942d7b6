import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, screenshots, startUiServer, type UiServer } from './harness.ts';

// The largest application form (农村低保, 8 groups).
describe('the largest application form', { timeout: 180_000 }, () => {
  let ui: UiServer;
  const shot = screenshots('apply-large-form');

  beforeAll(async () => {
    ui = await startUiServer();
  }, 240_000);
  afterAll(async () => {
    await ui?.close();
  });

  // It paints its first screen's groups first and the groups below right after, in a transition
  // (ObjectFieldTemplate): the clerk sees and can type into the top of the form sooner, and nothing typed meanwhile
  // is lost when the rest appears.
  it('shows first the applicant group, then every group while the clerk types, keeping every key', async () => {
    const { ctx, page } = await login(ui, 'village');
    // An old office PC: Chromium's CPU slowed down four times (DevTools' throttling).
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    // What the page held in the first frame that showed form fields.
    await page.evaluate(() => {
      const w = window as unknown as { __firstFrame?: { groups: string[]; pending: boolean } };
      const watch = () => {
        if (document.querySelector('form .ant-form-item')) {
          w.__firstFrame = {
            groups: Array.from(document.querySelectorAll('form fieldset[id^="root_"]'), (el) => el.id),
            pending: !!document.querySelector('[data-testid="form-rest-pending"]'),
          };
        } else requestAnimationFrame(watch);
      };
      requestAnimationFrame(watch);
      history.pushState(null, '', '/app/apply/dibao-rural');
      dispatchEvent(new PopStateEvent('popstate'));
    });
    const name = page.locator('#root_applicant_name');
    await name.click();
    const first = await page.evaluate(
      () => (window as unknown as { __firstFrame?: { groups: string[]; pending: boolean } }).__firstFrame,
    );
    expect(first?.pending).toBe(true);
    expect(first?.groups).toContain('root_applicant');
    expect(first?.groups).not.toContain('root_attachments');
    expect(first?.groups).not.toContain('root_bankAccount');

    // The clerk starts typing at once and keeps typing (~2 s): the rest of the form appears meanwhile, not only
    // when they pause, and every key typed is kept.
    const typed = 'Ma Fucheng '.repeat(4);
    let typingDone = false;
    const typing = page.keyboard.type(typed, { delay: 40 }).then(() => {
      typingDone = true;
    });
    await page.locator('#root_remarks').waitFor();
    const restAppearedWhileTyping = !typingDone;
    await typing;
    expect(restAppearedWhileTyping).toBe(true);
    await page.getByTestId('attachments-root_attachments_idCards').waitFor();
    expect(await page.getByTestId('form-rest-pending').count()).toBe(0);
    const groups = await page.evaluate(() =>
      Array.from(document.querySelectorAll('form fieldset[id^="root_"]'), (el) => el.id),
    );
    for (const id of ['root_applicant', 'root_household', 'root_income', 'root_housing', 'root_bankAccount'])
      expect(groups).toContain(id);
    expect(await name.inputValue()).toBe(typed);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    await shot(page, 'dibao-rural-complete');
    await ctx.close();
  });

  // Nothing is chosen for the applicant: an optional choice (户籍性质, 房屋状况) and a yes/no (是否登记经营) start
  // unanswered, so a case never holds a value nobody picked.
  it('starts with no option chosen in any choice or yes/no field', async () => {
    const { ctx, page } = await login(ui, 'village');
    await page.goto('/app/apply/dibao-rural');
    await page.locator('#root_remarks').waitFor();
    const selectText = (id: string) =>
      page.locator(`#${id}`).evaluate((el) => el.closest('.ant-select')?.textContent ?? '(no select)');
    expect(await selectText('root_applicant_hukouType')).not.toMatch(/城镇户籍|农村户籍/);
    expect(await selectText('root_applicant_maritalStatus')).not.toMatch(/未婚|已婚/);
    expect(await selectText('root_housing_condition')).not.toMatch(/良好|一般|危房/);
    const radios = page.locator(
      '[id^="root_income_businessRegistered"] input[type="radio"], input[type="radio"][name="root_income_businessRegistered"]',
    );
    expect(await radios.count()).toBeGreaterThan(0);
    expect(await page.locator('input[type="radio"]:checked').count()).toBe(0);

    // Submitting the untouched form names those required choices as missing instead of sending a guess.
    await page.getByTestId('apply-submit').click();
    await page.getByTestId('client-errors').waitFor();
    const maritalItem = page.locator('.ant-form-item', { has: page.locator('#root_applicant_maritalStatus') });
    await expect.poll(() => maritalItem.locator('.ant-form-item-explain-error').count()).toBeGreaterThan(0);
    await ctx.close();
  });
});
