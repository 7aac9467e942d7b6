import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { residentIdCheckChar } from '@minflow/sdk/formats';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_KEY, publishFixture } from './fixtures.ts';
import {
  confirmDialog,
  hasHorizontalScroll,
  login,
  openInbox,
  pickDate,
  repoRoot,
  screenshots,
  startUiServer,
  type UiServer,
} from './harness.ts';

// The approver's day in Chromium against the real engine: 高龄津贴 filed in 东关村 (会师镇), confirmed by the
// village assistant from the inbox, claimed and approved by the township with its task form; a return to
// the applicant for correction and the resubmission; a neighbouring township kept out by URL.

const first17 = '62042219400101002'; // 会宁县, born 1940-01-01
const idNumber = first17 + residentIdCheckChar(first17);

function application(name: string) {
  return {
    applicant: { name, idNumber, phone: '13912345678', address: '会宁县会师镇东关村三社12号' },
    residence: { hukouAddress: '会宁县会师镇东关村三社', livesLocally: true, yearsResident: 60 },
    bankAccount: { bankName: '会宁县农村信用社', accountName: name, accountNumber: '622823000012345678' },
    applyByAgent: false,
  };
}

/** Files the application with the village assistant's session (the form itself is tested in apply.test.ts). */
async function fileCase(page: Page, name: string): Promise<string> {
  const res = await page.evaluate(
    async (body) => {
      const r = await fetch('/api/cases', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Idempotency-Key': `e2e-${Math.random().toString(36).slice(2)}`,
        },
        body: JSON.stringify(body),
      });
      return { status: r.status, json: await r.json() };
    },
    { itemKey: 'elderly-allowance', data: application(name) },
  );
  expect(res.status).toBe(201);
  return res.json.id as string;
}

/** The inbox row (table row or phone card) of a case, found by the applicant's name. */
function inboxRow(page: Page, applicant: string) {
  return page.locator('.ant-table-row', { hasText: applicant });
}

describe('approving 高龄津贴 in Chromium', { timeout: 120_000 }, () => {
  let ui: UiServer;
  const shot = screenshots('approval');
  const contexts: BrowserContext[] = [];

  // Only the item under test is imported: the engine starts faster, and items being written beside it
  // cannot stop this suite.
  const definitions = fs.mkdtempSync(path.join(os.tmpdir(), 'minflow-e2e-defs-'));
  beforeAll(async () => {
    fs.symlinkSync(
      path.join(repoRoot, 'definitions', 'elderly-allowance'),
      path.join(definitions, 'elderly-allowance'),
    );
    process.env.MINFLOW_E2E_DEFINITIONS_DIR ||= definitions;
    ui = await startUiServer();
    await publishFixture(ui.test.app);
  }, 180_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await ui?.close();
    fs.rmSync(definitions, { recursive: true, force: true });
  });

  it('village confirms from the inbox, township claims and approves with its form, the case ends at 准予发放', async () => {
    const village = await login(ui, 'village');
    contexts.push(village.ctx);
    const caseId = await fileCase(village.page, '张桂兰');

    // 村（社区）确认: from the inbox, with the due-time badge and the step's own form.
    await openInbox(village.page);
    const row = inboxRow(village.page, '张桂兰');
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('村（社区）确认居住情况');
    await expect(row.textContent()).resolves.toContain('高龄津贴');
    await shot(village.page, 'village-inbox');
    await row.getByTestId('open-task').click();
    await village.page.waitForURL((u) => u.pathname.startsWith(`/app/cases/${caseId}/tasks/`));
    await village.page.getByTestId('task-panel').waitFor();
    // The ID number reaches the village masked, and the page says why.
    await expect(village.page.getByTestId('case-data').textContent()).resolves.toContain('带 * 的个人信息');

    // Nothing is answered for the person (no preselected 否), and approving with the task form empty marks
    // the missing answers at their fields without sending anything.
    const taskForm = village.page.getByTestId('task-form');
    expect(await taskForm.locator('input[type="radio"]:checked').count()).toBe(0);
    await village.page.getByTestId('action-approve').click();
    await taskForm.locator('.ant-form-item-explain-error').first().waitFor();
    expect(await taskForm.locator('.ant-form-item-explain-error').count()).toBe(2);
    expect(await village.page.getByTestId('action-dialog').count()).toBe(0);
    await shot(village.page, 'village-task-missing-answers');

    await taskForm.getByText('是', { exact: true }).click();
    await pickDate(village.page, '#task_visitDate', '2026-11-20');
    await taskForm.locator('#task_note').fill('入户核实，老人常年在本村居住。');
    await village.page.getByTestId('action-approve').click();
    await expect(village.page.getByTestId('dialog-question').textContent()).resolves.toContain('确认同意');
    await shot(village.page, 'village-confirm-dialog');
    const confirmed = await confirmDialog(village.page);
    expect(confirmed.status()).toBe(200);
    await village.page.getByTestId('task-done').waitFor();
    await shot(village.page, 'village-done');

    // 乡镇审批: claim in the inbox, then the task form (the amount is computed, not typed).
    const township = await login(ui, 'township');
    contexts.push(township.ctx);
    await openInbox(township.page);
    const trow = inboxRow(township.page, '张桂兰');
    await trow.waitFor();
    await expect(trow.textContent()).resolves.toContain('乡镇民政审批');
    await expect(trow.textContent()).resolves.toContain('待签收');
    await shot(township.page, 'township-inbox');
    await trow.getByTestId('claim').click();
    await trow.filter({ hasText: '我已签收' }).waitFor();
    expect(await trow.getByTestId('claim').count()).toBe(0);
    await shot(township.page, 'township-claimed');

    await trow.getByTestId('open-task').click();
    await township.page.getByTestId('task-panel').waitFor();
    // The township may see the ID number unmasked; the village's confirmation is in the timeline.
    await expect(township.page.getByTestId('case-data').locator('#case_applicant_idNumber').inputValue()).resolves.toBe(
      idNumber,
    );
    const timeline = township.page.getByTestId('timeline');
    await expect(timeline.textContent()).resolves.toContain('入户核实，老人常年在本村居住。');
    await timeline.getByText('马文丽').first().waitFor(); // display names arrive after the timeline

    const form = township.page.getByTestId('task-form');
    // The decision is the approver's: neither 准予 nor 不予 is chosen for them.
    expect(await form.locator('input[type="radio"]:checked').count()).toBe(0);
    await form.getByText('准予发放', { exact: true }).click();
    // The age band and the amount are computed by the flow from the county's standard: nothing to type.
    expect(await form.locator('#task_monthlyAmount').count()).toBe(0);
    await form.locator('#task_startMonth').fill('2026-12');
    await form.locator('#task_opinion').fill('符合条件，同意发放。');
    await shot(township.page, 'township-task-form');
    await township.page.getByTestId('action-approve').click();
    const approved = await confirmDialog(township.page);
    expect(approved.status()).toBe(200);
    await township.page.getByTestId('task-done').waitFor();

    // The case file: completed, the diagram marks the end event reached and the steps passed.
    await township.page.goto(`/app/cases/${caseId}`);
    await expect(township.page.getByTestId('case-status').first().textContent()).resolves.toBe('已办结');
    const diagram = township.page.locator('[data-testid="bpmn-diagram"][data-ready="true"]');
    await diagram.waitFor();
    await expect(diagram.locator('[data-element-id="granted"]').getAttribute('class')).resolves.toContain(
      'mf-bpmn-done',
    );
    await expect(diagram.locator('[data-element-id="townshipReview"]').getAttribute('class')).resolves.toContain(
      'mf-bpmn-done',
    );
    expect(await diagram.locator('[data-element-id="denied"].mf-bpmn-done').count()).toBe(0);
    expect(await diagram.locator('.mf-bpmn-active').count()).toBe(0);
    await expect(township.page.getByTestId('timeline').textContent()).resolves.toContain('符合条件，同意发放。');
    await shot(township.page, 'case-completed');

    // The print view: both steps' opinions with signature lines.
    await township.page.goto(`/app/cases/${caseId}/print`);
    const sheet = township.page.getByTestId('print-sheet');
    await sheet.waitFor();
    expect(await township.page.getByTestId('print-step').count()).toBe(2);
    await expect(sheet.textContent()).resolves.toContain('符合条件，同意发放。');
    await expect(sheet.textContent()).resolves.toContain('签字（盖章）');
    await shot(township.page, 'print-view');
  });

  it('returned to the applicant for correction, resubmitted, and back at the township', async () => {
    const village = await login(ui, 'village');
    contexts.push(village.ctx);
    const caseId = await fileCase(village.page, '李秀英');
    // The village confirmation through the API (the previous test does it on screen).
    const task = await village.page.evaluate(async (id) => {
      const c = await (await fetch(`/api/cases/${id}`)).json();
      const t = c.openTasks[0];
      const r = await fetch(`/api/tasks/${encodeURIComponent(t.id)}/complete`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ action: 'approve', data: { residenceConfirmed: true, visitDate: '2026-11-20' } }),
      });
      return r.status;
    }, caseId);
    expect(task).toBe(200);

    const township = await login(ui, 'township');
    contexts.push(township.ctx);
    await openInbox(township.page);
    await inboxRow(township.page, '李秀英').getByTestId('open-task').click();
    await township.page.getByTestId('task-panel').waitFor();
    await township.page.getByTestId('action-return').click();
    await township.page.getByTestId('return-applicant').click();
    // No reason: the dialog says so at the field and sends nothing.
    await township.page.getByTestId('dialog-ok').click();
    await township.page.getByTestId('action-dialog').getByText('请填写理由').waitFor();
    await shot(township.page, 'return-reason-required');
    await township.page.getByTestId('dialog-comment').fill('在本地居住年限填写有误，请核实后修改。');
    const returned = await confirmDialog(township.page);
    expect(returned.status()).toBe(200);
    await township.page.getByTestId('task-done').waitFor();

    // The applicant (the village assistant who filed it) finds the correction in the inbox.
    await openInbox(village.page);
    const row = inboxRow(village.page, '李秀英');
    await row.filter({ hasText: '补正' }).waitFor();
    await shot(village.page, 'correction-in-inbox');
    await row.getByTestId('open-task').click();
    await village.page.getByTestId('editable-form').waitFor();
    await expect(village.page.getByTestId('timeline').textContent()).resolves.toContain(
      '在本地居住年限填写有误，请核实后修改。',
    );
    const years = village.page.locator('#edit_residence_yearsResident');
    await years.fill('45');
    await expect(village.page.getByTestId('action-approve').textContent()).resolves.toContain('重新提交');
    await shot(village.page, 'correction-form');
    await village.page.getByTestId('action-approve').click();
    const resubmitted = await confirmDialog(village.page);
    expect(resubmitted.status()).toBe(200);
    expect((resubmitted.request().postDataJSON() as { changes: unknown }).changes).toEqual({
      residence: { hukouAddress: '会宁县会师镇东关村三社', livesLocally: true, yearsResident: 45 },
    });
    await village.page.getByTestId('task-done').waitFor();

    // The flow continues: the township review is open again, and the timeline shows the change.
    await township.page.reload();
    await openInbox(township.page);
    const again = inboxRow(township.page, '李秀英');
    await again.waitFor();
    await expect(again.textContent()).resolves.toContain('乡镇民政审批');
    await township.page.goto(`/app/cases/${caseId}`);
    const timeline = township.page.getByTestId('timeline');
    await timeline.waitFor();
    await expect(timeline.textContent()).resolves.toContain('重新提交');
    await expect(timeline.textContent()).resolves.toContain('60 → 45');
    const diagram = township.page.locator('[data-testid="bpmn-diagram"][data-ready="true"]');
    await diagram.waitFor();
    await expect(diagram.locator('[data-element-id="townshipReview"]').getAttribute('class')).resolves.toContain(
      'mf-bpmn-active',
    );
    await shot(township.page, 'after-resubmit');
  });

  it('copies to a colleague and transfers the task to them with the user picker; the case list finds it', async () => {
    // The tests' own item offers every action (高龄津贴's review offers approve, reject, return, comment only).
    const village = await login(ui, 'village');
    contexts.push(village.ctx);
    const filed = await village.page.evaluate(
      async (body) => {
        const r = await fetch('/api/cases', {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'Idempotency-Key': `e2e-${Math.random().toString(36).slice(2)}`,
          },
          body: JSON.stringify(body),
        });
        return { status: r.status, json: await r.json() };
      },
      { itemKey: FIXTURE_KEY, data: { name: '周凤英', idNumber } },
    );
    expect(filed.status).toBe(201);
    const caseId = filed.json.id as string;

    const township = await login(ui, 'township');
    contexts.push(township.ctx);
    await township.page.goto(`/app/cases/${caseId}`);
    await township.page.getByTestId('open-my-task').click();
    await township.page.getByTestId('task-panel').waitFor();
    const pick = async (name: string) => {
      await township.page.getByTestId('dialog-user').click();
      // the open dropdown only (the previous dialog's may linger hidden), and OK only once the choice shows
      await township.page
        .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: name })
        .click();
      await expect.poll(() => township.page.getByTestId('dialog-user').textContent()).toContain(name);
    };
    // 抄送: nobody chosen is refused in the dialog; the task stays with the township.
    await township.page.getByTestId('action-cc').click();
    await township.page.getByTestId('dialog-ok').click();
    await township.page.getByTestId('action-dialog').getByText('请选择人员').waitFor();
    await pick('杨军');
    await shot(township.page, 'cc-dialog');
    expect((await confirmDialog(township.page)).status()).toBe(200);
    await township.page.getByTestId('task-done').waitFor();
    // 转办 to the same colleague, with a comment.
    await township.page.getByTestId('action-transfer').click();
    await pick('杨军');
    await township.page.getByTestId('dialog-comment').fill('请杨军同志入户调查后审批。');
    const transferred = await confirmDialog(township.page);
    expect(transferred.status()).toBe(200);
    expect(transferred.request().postDataJSON()).toMatchObject({ action: 'transfer', to: 'user-investigator2' });
    await expect(township.page.getByTestId('task-done').textContent()).resolves.toContain('转办');
    await expect(township.page.getByTestId('timeline').textContent()).resolves.toContain('请杨军同志入户调查后审批。');

    // The colleague finds the copy in 抄送, and from the case the task that is now theirs.
    const colleague = await login(ui, 'investigator2');
    contexts.push(colleague.ctx);
    await openInbox(colleague.page);
    await colleague.page.getByRole('tab', { name: /抄送我的/ }).click();
    const cc = colleague.page.locator('.ant-table-row', { hasText: '测试补贴' }).first();
    await cc.waitFor();
    // Who copied it is shown by display name, though an investigator may not list other users.
    // (names arrive after the rows: wait for the name rather than read the row once)
    await cc.getByText('王小兵（会师镇民政所）').waitFor();
    await shot(colleague.page, 'colleague-cc-box');
    await cc.getByTestId('open-case').click();
    await colleague.page.getByTestId('open-my-task').click();
    await colleague.page.getByTestId('action-approve').waitFor();

    // 业务查询: by the beginning of the applicant's name; a short ID number is refused at the field.
    await township.page.getByRole('link', { name: '业务查询' }).first().click();
    await township.page.getByTestId('filter-name').fill('周');
    await township.page.getByTestId('case-search').click();
    await township.page.waitForURL((u) => u.searchParams.get('name') === '周');
    const table = township.page.getByTestId('case-table');
    await table.getByText('周凤英').first().waitFor();
    // The unfiltered list may still be on screen for a moment: wait for the other applicant to go.
    await table.getByText('张桂兰').first().waitFor({ state: 'detached' });
    expect(await table.getByText('张桂兰').count()).toBe(0);
    await township.page.getByTestId('filter-id').fill('62042219');
    await township.page.getByTestId('case-search').click();
    await township.page.getByText('请输入完整的18位身份证号码').waitFor();
    await township.page.getByTestId('filter-id').fill(idNumber);
    await township.page.getByTestId('filter-name').fill('');
    await township.page.getByTestId('case-search').click();
    await township.page.waitForURL((u) => u.searchParams.get('id') === idNumber);
    await table.getByText('周凤英').first().waitFor();
    await shot(township.page, 'case-search');
  });

  it('a task someone else has just handled says so and offers a refresh', async () => {
    const village = await login(ui, 'village');
    contexts.push(village.ctx);
    await fileCase(village.page, '王兰芳');
    const a = await login(ui, 'village');
    contexts.push(a.ctx);
    for (const p of [village.page, a.page]) {
      await openInbox(p);
      await inboxRow(p, '王兰芳').getByTestId('open-task').click();
      await p.getByTestId('task-panel').waitFor();
    }
    for (const p of [village.page, a.page]) {
      await p.getByTestId('action-comment').click();
      await p.getByTestId('dialog-comment').fill('已电话联系家属。');
    }
    await a.page.evaluate(async () => {
      // The other window approves first.
      const id = location.pathname.split('/tasks/')[1]!;
      await fetch(`/api/tasks/${id}/complete`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ action: 'approve', data: { residenceConfirmed: true, visitDate: '2026-11-20' } }),
      });
    });
    const answer = await confirmDialog(village.page);
    expect(answer.status()).toBe(409);
    const conflict = village.page.getByTestId('task-conflict');
    await conflict.waitFor();
    await expect(conflict.textContent()).resolves.toContain('已被他人处理，请刷新');
    await shot(village.page, 'conflict-409');
    await village.page.getByTestId('conflict-reload').click();
    await village.page.getByTestId('task-not-open').waitFor();
  });

  it('another township opening the case by URL gets a not-found page and none of its data', async () => {
    const village = await login(ui, 'village');
    contexts.push(village.ctx);
    const caseId = await fileCase(village.page, '赵玉珍');
    const taskId = await village.page.evaluate(
      async (id) => (await (await fetch(`/api/cases/${id}`)).json()).openTasks[0].id as string,
      caseId,
    );

    const other = await login(ui, 'township2');
    contexts.push(other.ctx);
    const bodies: string[] = [];
    other.page.on('response', async (r) => {
      if (!new URL(r.url()).pathname.startsWith('/api/')) return;
      try {
        bodies.push(await r.text());
      } catch {
        // a redirect or an aborted request has no body
      }
    });
    for (const path of [`/app/cases/${caseId}`, `/app/cases/${caseId}/tasks/${encodeURIComponent(taskId)}`]) {
      await other.page.goto(path);
      await other.page.getByTestId('case-not-found').waitFor();
    }
    await shot(other.page, 'other-township-not-found');
    await other.page.goto(`/app/cases/${caseId}/print`);
    await other.page.getByText('没有找到这件业务').waitFor();
    await other.page.goto('/app/inbox');
    await other.page.getByTestId('inbox-table').waitFor();
    await other.page.waitForLoadState('networkidle');
    const all = bodies.join('\n');
    expect(bodies.length).toBeGreaterThan(3);
    for (const secret of ['赵玉珍', idNumber, '13912345678', '622823000012345678', '东关村三社']) {
      expect(all).not.toContain(secret);
    }
  });

  it('on a 360-px phone the inbox is a list of cards without sideways scrolling', async () => {
    const village = await login(ui, 'village', { width: 360, height: 740 });
    contexts.push(village.ctx);
    await fileCase(village.page, '孙淑珍');
    await village.page.goto('/app/inbox');
    const card = village.page.getByTestId('inbox-card').filter({ hasText: '孙淑珍' });
    await card.waitFor();
    await expect(card.textContent()).resolves.toMatch(/办理|签收/);
    expect(await hasHorizontalScroll(village.page)).toBe(false);
    await shot(village.page, 'phone-inbox');
    await card.getByTestId('open-task').click();
    await village.page.getByTestId('task-panel').waitFor();
    expect(await hasHorizontalScroll(village.page)).toBe(false);
    await shot(village.page, 'phone-task');
  });
});
