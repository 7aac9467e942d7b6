import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  confirmDialog,
  definitionsWith,
  login,
  pickDate,
  repoRoot,
  screenshots,
  startUiServer,
  TestClock,
  type UiServer,
} from './harness.ts';

// 农村低保 (dibao-rural) from the application to the grant, every step on screen in Chromium against the
// engine: the village assistant files it (a wrong ID number first), the township accepts it, two
// investigators visit the home, the village records the democratic review, the township reviews, the
// board shows the 公示, seven days pass (the test's clock), the county approves, the board shows the 公布.
// 马福成's household: 450 元/month for 3 people against 会宁县's rural standard 545 → (545 − 150) × 3 = 1,185.

// The item's own walk-test fixture (definitions/ is outside the TypeScript projects, so it is loaded by path).
const { ids, validApplication } = (await import(path.join(repoRoot, 'definitions', 'dibao-rural', 'fixtures.ts'))) as {
  ids: { applicant: string };
  validApplication(): { applicant: Record<string, unknown> } & Record<string, unknown>;
};

const ITEM = 'dibao-rural';
const APPLICANT = '马福成';
const AMOUNT = 1185;
const DAY = 86_400_000;
const maskedName = '马*成';
const maskedId = `${ids.applicant.slice(0, 6)}********${ids.applicant.slice(-4)}`;

/** The inbox row of this case at a given step, reloading the inbox while service tasks run in the engine. */
async function inboxRow(page: Page, step: string, extra?: string) {
  for (let attempt = 0; ; attempt++) {
    await page.goto('/app/inbox');
    await page.getByTestId('inbox-table').waitFor();
    let row = page.locator('.ant-table-row', { hasText: APPLICANT }).filter({ hasText: step });
    if (extra) row = row.filter({ hasText: extra });
    try {
      await row.first().waitFor({ timeout: 3_000 });
      return row.first();
    } catch (err) {
      if (attempt >= 9) throw err;
    }
  }
}

/** From the inbox: claim a task at `step` that nobody holds yet, then open it from its row. */
async function claimAndOpen(page: Page, step: string) {
  const row = await inboxRow(page, step, '待签收');
  const answer = page.waitForResponse((r) => /\/api\/tasks\/.+\/claim$/.test(new URL(r.url()).pathname));
  await row.getByTestId('claim').click();
  const claimed = await answer;
  expect(claimed.status(), await claimed.text()).toBe(200);
  // The same row (antd keys each row by the task id), now 我已签收.
  const taskId = decodeURIComponent(new URL(claimed.url()).pathname.split('/').at(-2) ?? '');
  const mine = page.locator(`.ant-table-row[data-row-key="${taskId}"]`).filter({ hasText: '我已签收' });
  await mine.waitFor();
  await mine.getByTestId('open-task').click();
  await page.getByTestId('task-panel').waitFor();
  return page.getByTestId('task-form');
}

async function approve(page: Page, shot: (p: Page, n: string) => Promise<string>, name: string) {
  await page.getByTestId('action-approve').click();
  await page.getByTestId('dialog-question').waitFor();
  const answer = await confirmDialog(page);
  expect(answer.status(), await answer.text()).toBe(200);
  await page.getByTestId('task-done').waitFor();
  await shot(page, name);
}

/** An antd select inside an rjsf form: open it and pick the option by its title. */
async function choose(page: Page, selector: string, option: string) {
  await page.locator(selector).click();
  // The newest dropdown is the last one in the page (an earlier one may still be fading out).
  await page
    .locator(`.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="${option}"]`)
    .last()
    .click();
}

async function homeVisit(page: Page, form: ReturnType<Page['getByTestId']>) {
  await pickDate(page, '#task_visitDate', '2026-11-23');
  await form.locator('#task_householdPresent').getByText('是', { exact: true }).click();
  await form.locator('#task_assessedMonthlyIncome').fill('450');
  await form.locator('#task_livingConditions').fill('土坯房三间，部分墙体开裂；旱地6.5亩，养羊2只');
  await form.getByText('符合条件', { exact: true }).click();
}

describe('农村低保 filed, investigated, reviewed and approved in Chromium', { timeout: 300_000 }, () => {
  let ui: UiServer;
  const clock = new TestClock('2026-11-23T01:00:00Z'); // Monday 09:00 in Beijing; 会宁县's 2026 standard
  const defs = definitionsWith([ITEM]);
  const shot = screenshots('dibao-walk');
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ui = await startUiServer({ clock, config: { definitionsDir: defs.dir } });
  }, 180_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await ui?.close();
    defs.remove();
  });

  it('village files (a wrong ID number first), township and investigators handle it, county grants 1,185 元', async () => {
    // —— 村：申请 ——
    const village = await login(ui, 'village');
    contexts.push(village.ctx);
    const vp = village.page;
    // The long parts of the form (members, income, housing, bank account, scanned papers) come from a draft
    // saved earlier in this browser, as the page keeps one while typing; the applicant is typed here.
    const { applicant, ...rest } = validApplication();
    const { name: _n, idNumber: _i, phone: _p, ...applicantRest } = applicant;
    await vp.evaluate(
      async ({ itemKey, data }) => {
        const me = await (await fetch('/api/auth/me')).json();
        const item = await (await fetch(`/api/items/${itemKey}`)).json();
        const userId = (me.user ?? me).id as string;
        localStorage.setItem(
          `minflow.draft.v1:${encodeURIComponent(userId)}:${encodeURIComponent(itemKey)}`,
          JSON.stringify({
            version: item.version,
            data,
            idempotencyKey: crypto.randomUUID(),
            savedAt: new Date().toISOString(),
          }),
        );
      },
      { itemKey: ITEM, data: { applicant: applicantRest, ...rest } },
    );
    await vp.getByRole('link', { name: '一门受理' }).first().click();
    await vp.getByTestId(`item-${ITEM}`).click();
    await vp.waitForURL((u) => u.pathname === `/app/apply/${ITEM}`);
    await vp.getByTestId('draft-restored').waitFor();
    await shot(vp, 'village-form-draft');

    await vp.locator('#root_applicant_name').fill(APPLICANT);
    const id = vp.locator('#root_applicant_idNumber');
    const wrong = ids.applicant.slice(0, 17) + (ids.applicant[17] === '1' ? '2' : '1');
    await id.fill(wrong);
    await id.press('Tab');
    const idItem = vp.locator('.ant-form-item:not(:has(.ant-form-item))', { has: id });
    await expect(idItem.locator('.ant-form-item-explain-error').textContent()).resolves.toContain(
      '身份证号码校验位不正确',
    );
    await shot(vp, 'village-id-error');
    await id.fill(ids.applicant);
    await id.press('Tab');
    await idItem.locator('.ant-form-item-explain-error').waitFor({ state: 'detached' });
    await vp.locator('#root_applicant_phone').fill('13830012345');
    const filed = vp.waitForResponse((r) => new URL(r.url()).pathname === '/api/cases');
    await vp.getByTestId('apply-submit').click();
    const filedRes = await filed;
    expect(filedRes.status(), await filedRes.text()).toBe(201);
    const created = (await filedRes.json()) as { id?: string; case?: { id: string } };
    const caseId = (created.case?.id ?? created.id) as string;
    await vp.getByTestId('apply-success').waitFor();
    await shot(vp, 'village-submitted');

    // —— 乡镇：受理 ——
    const township = await login(ui, 'township');
    contexts.push(township.ctx);
    const tp = township.page;
    let form = await claimAndOpen(tp, '乡镇（街道）受理');
    await shot(tp, 'township-acceptance-task');
    await form.locator('#task_acceptanceNo').fill('HSZ-2026-N012');
    await form.locator('#task_materialsComplete').check();
    await form.locator('#task_conflictOfInterest').getByText('否', { exact: true }).click();
    const panel: [string, string][] = [
      ['马玉明', '村（居）委会成员'],
      ['张国庆', '驻村干部'],
      ['刘桂花', '村（居）民代表'],
    ];
    for (const [i, [name, role]] of panel.entries()) {
      if ((await form.locator(`#task_reviewPanel_${i}_name`).count()) === 0) {
        await form.locator('.rjsf-array-item-add button, button.rjsf-array-item-add, .array-item-add').first().click();
      }
      await form.locator(`#task_reviewPanel_${i}_name`).fill(name);
      await choose(tp, `#task_reviewPanel_${i}_role`, role);
    }
    await form.locator('#task_opinion').fill('材料齐全，予以受理');
    await shot(tp, 'township-acceptance-form');
    await approve(tp, shot, 'township-accepted');

    // —— 入户调查：两名调查员 ——
    form = await claimAndOpen(tp, '入户调查');
    await homeVisit(tp, form);
    await shot(tp, 'visit-1-form');
    await approve(tp, shot, 'visit-1-done');
    const investigator = await login(ui, 'investigator2');
    contexts.push(investigator.ctx);
    form = await claimAndOpen(investigator.page, '入户调查');
    await homeVisit(investigator.page, form);
    await approve(investigator.page, shot, 'visit-2-done');

    // —— 村：民主评议（评议小组过半数通过） ——
    for (const n of [1, 2]) {
      form = await claimAndOpen(vp, '民主评议');
      await pickDate(vp, '#task_meetingDate', '2026-11-24');
      await form.locator('#task_attendees').fill('11');
      await form.locator('#task_opinion').fill('情况属实，同意');
      await approve(vp, shot, `democratic-review-${n}`);
    }

    // —— 乡镇：审核, with the amount the engine computed from the county's standard ——
    // read on screen from the 「核算结果」 card (item.json `computed`), not from the API
    form = await claimAndOpen(tp, '乡镇（街道）审核');
    const results = tp.getByTestId('computed-results');
    await results.waitFor();
    await expect(results.locator('.ant-card-head-title').textContent()).resolves.toBe('核算结果');
    const shown = async (path: string) => ((await results.getByTestId(`computed-${path}`).textContent()) ?? '').trim();
    expect(await shown('assessment.standard')).toBe('¥545.00');
    expect(await shown('assessment.perCapitaIncome')).toBe('¥150.00');
    expect(await shown('assessment.eligible')).toBe('是');
    const computedAmount = await shown('assessment.monthlyAmount');
    expect(computedAmount).toBe('¥1,185.00');
    await form.locator('#task_recommendedAmount').fill(String(Number(computedAmount.replace(/[¥,]/g, ''))));
    await form.locator('#task_opinion').fill('符合农村低保条件，予以公示');
    await shot(tp, 'township-review-form');
    await approve(tp, shot, 'township-reviewed');

    // —— 公示: the public board, without login, masked ——
    const anon = await ui.newContext();
    contexts.push(anon);
    const board = await anon.newPage();
    await board.goto('/app/notices');
    const publicity = board.getByTestId('notice-publicity').filter({ hasText: maskedName });
    await publicity.waitFor();
    const row = publicity.locator('.ant-table-row', { hasText: maskedName });
    await expect(row.textContent()).resolves.toContain(maskedId);
    await expect(row.textContent()).resolves.toContain(`3${AMOUNT}`); // household of 3, 1185 元
    const page = (await board.locator('.mf-page').textContent()) ?? '';
    expect(page).not.toContain(APPLICANT);
    expect(page).not.toContain(ids.applicant);
    await shot(board, 'notice-board-publicity');

    // —— 七天公示期满 (the test clock; the engine's timer fires on its own) → 县级审批 ——
    clock.advance(7 * DAY + 60_000);
    const county = await login(ui, 'county');
    contexts.push(county.ctx);
    const cp = county.page;
    form = await claimAndOpen(cp, '县级民政部门审批');
    await form.locator('#task_approvedAmount').fill(String(AMOUNT));
    await form.locator('#task_startMonth').fill('2026-12');
    await form.locator('#task_opinion').fill('同意纳入农村低保');
    await shot(cp, 'county-approval-form');
    await approve(cp, shot, 'county-approved');

    // The case file: completed at 纳入低保, the granted amount in the timeline.
    await cp.goto(`/app/cases/${caseId}`);
    await expect(cp.getByTestId('case-status').first().textContent()).resolves.toBe('已办结');
    const diagram = cp.locator('[data-testid="bpmn-diagram"][data-ready="true"]');
    await diagram.waitFor();
    await expect(diagram.locator('[data-element-id="granted"]').getAttribute('class')).resolves.toContain(
      'mf-bpmn-done',
    );
    await expect(cp.getByTestId('timeline').textContent()).resolves.toContain('同意纳入农村低保');
    const benefit = await cp.evaluate(
      async (cid) => (await (await fetch(`/api/cases/${cid}`)).json()).variables.benefit,
      caseId,
    );
    expect(benefit).toMatchObject({ granted: true, monthlyAmount: AMOUNT, standard: 545 });
    await shot(cp, 'case-granted');

    // 公布: the board lists the granted benefit, still masked.
    await board.reload();
    const published = board.getByTestId('notice-publication').locator('.ant-table-row', { hasText: maskedName });
    await published.waitFor();
    await expect(published.textContent()).resolves.toBe(`${maskedName}${maskedId}3${AMOUNT}`);
    expect(await board.getByTestId('notice-publicity').count()).toBe(0);
    expect((await board.locator('.mf-page').textContent()) ?? '').not.toContain(APPLICANT);
    await shot(board, 'notice-board-granted');
  });
});
