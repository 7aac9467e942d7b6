import { residentIdCheckChar } from '@minflow/sdk/formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { householdItem } from '../../../engine/src/modules/persons/fixtures.test-helpers.ts';
import { loginAs } from '../../../engine/test/helpers.ts';
import { hasHorizontalScroll, login, screenshots, startUiServer, type UiServer } from './harness.ts';

// 人员查询 in Chromium: the township clerk looks a person up by ID number and sees the household's cases
// across two items with the benefit; the village assistant sees the same masked; another township sees nothing.
const id = (first17: string) => first17 + residentIdCheckChar(first17);
const ZHAO = id('62042219580101004');
const QIAN = id('62042219600505006');

describe('person lookup in Chromium', { timeout: 120_000 }, () => {
  let ui: UiServer;
  const shot = screenshots('persons');

  beforeAll(async () => {
    ui = await startUiServer();
    const app = ui.test.app;
    const admin = await loginAs(app, 'admin');
    for (const [key, zh] of [
      ['e2e-household-aid', '家庭救助（测试）'],
      ['e2e-household-care', '家庭照护（测试）'],
    ]) {
      const c = await app.inject({
        method: 'POST',
        url: '/api/definitions',
        headers: admin,
        payload: householdItem(key, zh),
      });
      expect(c.statusCode, c.body).toBe(201);
      const p = await app.inject({
        method: 'POST',
        url: `/api/definitions/${key}/publish`,
        headers: admin,
        payload: {},
      });
      expect(p.statusCode, p.body).toBe(201);
    }
    const village = await loginAs(app, 'village');
    for (const [itemKey, data] of [
      [
        'e2e-household-aid',
        { applicant: { name: '赵大山', idNumber: ZHAO }, members: [{ name: '钱秀兰', idNumber: QIAN }] },
      ],
      ['e2e-household-care', { applicant: { name: '钱秀兰', idNumber: QIAN } }],
    ] as const) {
      const r = await app.inject({ method: 'POST', url: '/api/cases', headers: village, payload: { itemKey, data } });
      expect(r.statusCode, r.body).toBe(201);
    }
  }, 240_000);
  afterAll(async () => {
    await ui?.close();
  });

  it('the township clerk finds the household’s cases and benefit by ID number, unmasked', async () => {
    const { ctx, page } = await login(ui, 'township');
    await page.getByRole('link', { name: '人员查询' }).first().click();
    await page.waitForURL((u) => u.pathname === '/app/persons');
    await page.getByTestId('person-query').fill('123');
    await page.getByTestId('person-submit').click();
    await page.getByText('请输入18位身份证号码').waitFor();
    await page.getByTestId('person-query').fill(ZHAO);
    await page.getByTestId('person-submit').click();
    const cards = page.getByTestId('person-card');
    await cards.first().waitFor();
    expect(await cards.count()).toBe(2);
    await expect(cards.first().textContent()).resolves.toContain('赵大山');
    await expect(cards.first().textContent()).resolves.toContain('查询对象');
    await expect(page.getByTestId('person-id').first().textContent()).resolves.toBe(ZHAO);
    const cases = page.getByTestId('person-cases');
    await expect(cases.textContent()).resolves.toContain('家庭救助（测试）');
    await expect(cases.textContent()).resolves.toContain('家庭照护（测试）');
    await expect(cases.textContent()).resolves.toContain('500 元/月');
    await shot(page, 'township-by-id');
    // The case opens from the list.
    await cases.getByRole('link', { name: '家庭照护（测试）' }).click();
    await page.getByTestId('case-title').waitFor();
    // …and from the case, its applicant leads back to the lookup by name.
    await page.getByTestId('applicant-lookup').click();
    await page.waitForURL((u) => u.pathname === '/app/persons' && u.searchParams.get('name') === '钱秀兰');
    await page.getByTestId('person-card').first().waitFor();
    await expect(page.getByTestId('person-card').first().textContent()).resolves.toContain('钱秀兰');
    await ctx.close();
  });

  it('the village assistant sees the same people masked, on a 360-px phone; another township finds nobody', async () => {
    const { ctx, page } = await login(ui, 'village', { width: 360, height: 740 });
    await page.goto(`/app/persons?name=${encodeURIComponent('钱')}`);
    await page.getByTestId('person-card').first().waitFor();
    const ids = await page.getByTestId('person-id').allTextContents();
    expect(ids.length).toBe(2);
    for (const shown of ids) expect(shown).toMatch(/^620422\*{8}\d{3}[\dX]$/);
    await expect(page.getByTestId('person-list').textContent()).resolves.not.toContain(QIAN);
    expect(await hasHorizontalScroll(page)).toBe(false);
    await shot(page, 'village-masked-phone');
    await ctx.close();

    const other = await login(ui, 'township2');
    await other.page.goto(`/app/persons?id=${ZHAO}`);
    await other.page.getByTestId('person-none').waitFor();
    await shot(other.page, 'other-township-none');
    await other.ctx.close();
  });
});
