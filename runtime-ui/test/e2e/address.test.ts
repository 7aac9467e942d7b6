import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressItem } from '../../../engine/src/modules/cases/address-item.test-helpers.ts';
import { hasHorizontalScroll, login, publishDefinition, screenshots, startUiServer, type UiServer } from './harness.ts';

// The address field (minflow-address) in Chromium on a 360-px phone: a township clerk picks 会宁县 → 会师镇 →
// 东关村 in the cascader, types 三组12号, files; the case page and the print view show the full address as
// text. A village assistant starts with their own village already picked for the required 现住址.
const KEY = 'e2e-address-allowance';
const PHONE = { width: 360, height: 740 };
const FULL = '白银市会宁县会师镇东关村 三组12号';

/** Clicks the cascader's entry `name` in the open popup (one column after the other). */
async function pick(page: Page, name: string): Promise<void> {
  const item = page.locator(`.mf-address-popup li.ant-cascader-menu-item[title="${name}"]`);
  await item.waitFor();
  await item.click();
}

describe('address field in Chromium: pick from the jurisdiction tree, file, read it on the case page', {
  timeout: 180_000,
}, () => {
  let ui: UiServer;
  const shot = screenshots('address');

  beforeAll(async () => {
    // Only this item: the 19 published ones are not needed here.
    ui = await startUiServer({ config: { definitionsDir: null } });
    await publishDefinition(ui, addressItem(KEY));
  }, 300_000);
  afterAll(async () => {
    await ui?.close();
  });

  it('a township clerk picks 会宁县 → 会师镇 → 东关村 on a phone, files, and sees the full address on the case', async () => {
    const { ctx, page } = await login(ui, 'township', PHONE);
    await page.goto(`/app/apply/${KEY}`);
    await page.getByTestId('apply-title').waitFor();
    await page.getByLabel('姓名').fill('王淑珍');

    const home = page.locator('.mf-address').first();
    await home.waitFor();
    // The clerk works at a township, above the village level: nothing is picked for them here.
    const cascader = home.locator('.ant-select, .ant-cascader').first();
    await expect.poll(() => cascader.textContent()).toContain('请选择村（社区）');
    await cascader.click();
    await pick(page, '会宁县');
    await pick(page, '会师镇');
    await shot(page, 'cascader-open-phone');
    expect(await hasHorizontalScroll(page)).toBe(false);
    await pick(page, '东关村');
    await expect.poll(() => cascader.textContent()).toContain('东关村');
    await home.getByTestId('address-detail').fill('三组12号');
    expect(await hasHorizontalScroll(page)).toBe(false);
    await shot(page, 'address-picked-phone');

    const filed = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/cases');
    await page.getByTestId('apply-submit').click();
    const res = await filed;
    expect(res.status(), await res.text()).toBe(201);
    const caseId = ((await res.json()) as { id: string }).id;
    await page.getByTestId('apply-success').waitFor();

    // The case page shows the address as one line of text, the region as the engine wrote it.
    await page.goto(`/app/cases/${caseId}`);
    const data = page.getByTestId('case-data');
    const text = data.getByTestId('address-case_home').getByTestId('address-text');
    await text.waitFor();
    await expect.poll(() => text.textContent()).toBe(FULL);
    // 户籍所在乡镇 (optional) was left alone: it is not filed with a guess, so the case does not show it.
    expect(await data.getByTestId('address-case_hukou').count()).toBe(0);
    expect(await hasHorizontalScroll(page)).toBe(false);
    await shot(page, 'case-page-address-phone');

    // The print view (审批表) has it on one line too.
    await page.goto(`/app/cases/${caseId}/print`);
    const sheet = page.getByTestId('print-sheet');
    await sheet.waitFor();
    await expect.poll(() => sheet.textContent()).toContain(FULL);
    await shot(page, 'print-address');
    await ctx.close();
  });

  it('a village assistant starts with their own village picked', async () => {
    const { ctx, page } = await login(ui, 'village');
    await page.goto(`/app/apply/${KEY}`);
    await page.getByTestId('apply-title').waitFor();
    const cascader = page.locator('.mf-address').first().locator('.ant-select, .ant-cascader').first();
    await expect.poll(() => cascader.textContent()).toContain('东关村');
    await expect.poll(() => cascader.textContent()).toContain('会师镇');
    // The optional 户籍所在乡镇 is not preselected.
    const hukou = page.locator('.mf-address').nth(1).locator('.ant-select, .ant-cascader').first();
    await expect.poll(() => hukou.textContent()).toContain('请选择乡镇（街道）');
    await shot(page, 'village-default');
    await ctx.close();
  });
});
