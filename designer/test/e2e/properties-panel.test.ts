import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs } from '../../../engine/test/helpers.ts';
import { type DesignerServer, login, screenshots, startDesignerServer, watchErrors } from './harness';

/**
 * Selects a diagram element and waits for the properties panel to show it. The 农村低保 diagram is fitted
 * small, so the click is dispatched on the element's hit area (no pointer position a context pad may cover).
 */
async function select(page: Page, id: string): Promise<void> {
  await page
    .locator(`g.djs-element[data-element-id="${id}"] :is(.djs-hitbox, .djs-hit)`)
    .first()
    .dispatchEvent('click');
  await page.getByTestId(`panel-${id}`).waitFor();
}

describe('flow properties panel (bpmn-js-properties-panel with the Minflow provider)', () => {
  let server: DesignerServer;
  beforeAll(async () => {
    server = await startDesignerServer(['dibao-rural']);
  }, 300_000);
  afterAll(async () => server?.close());

  it('edits service tasks, scripts, 民主评议 multi-instance, the 公示 timer and the objection message of 农村低保', async () => {
    const shot = screenshots('properties-panel');
    const ctx = await server.newContext();
    const page = await ctx.newPage();
    await login(page, 'admin');
    const errors = watchErrors(page);
    await page.getByTestId('open-dibao-rural').click();
    await page.getByRole('tab', { name: '审批流程' }).click();
    await page.locator('g.djs-element[data-element-id="noticeOver"]').waitFor();
    const panel = page.getByTestId('flow-panel');
    const entry = (id: string) => panel.locator(`[data-entry-id="${id}"]`);
    const error = (id: string) => entry(id).locator('.bio-properties-panel-error');

    // service task: the handler is picked from the installed plugins (GET /api/meta/handlers)
    await select(page, 'economicCheck');
    const handler = entry('minflow-handler').locator('select');
    await expect.poll(() => handler.inputValue()).toBe('economic-check');
    expect(await handler.locator('option:checked').textContent()).toContain('economic-check');
    expect(await entry('minflow-retries').locator('input').inputValue()).toBe('5');
    const backoff = entry('minflow-backoff').locator('input');
    expect(await backoff.inputValue()).toBe('PT10M');
    await backoff.fill('10分钟');
    await error('minflow-backoff').getByText('不是有效的 ISO 8601 时长').waitFor();
    await backoff.fill('PT5M');
    await error('minflow-backoff').waitFor({ state: 'detached' });
    await backoff.press('Tab');
    await shot(page, 'service-task');

    // script task: FEEL in the panel's FEEL editor, with its result variable
    await select(page, 'assessment');
    await expect.poll(() => entry('minflow-script').locator('.cm-content').textContent()).toContain('{');
    expect(await entry('minflow-result-variable').locator('input').inputValue()).toBe('assessment');
    await shot(page, 'script-task');

    // 民主评议: a parallel multi-instance over the review panel, passed by a majority
    await select(page, 'democraticReview');
    await expect.poll(() => entry('minflow-loop').locator('select').inputValue()).toBe('parallel');
    await expect
      .poll(() => entry('minflow-loop-collection').locator('.cm-content').textContent())
      .toBe('acceptance.reviewPanel');
    expect(await entry('minflow-loop-element').locator('input').inputValue()).toBe('panelMember');
    expect(await entry('minflow-loop-completion').locator('.cm-content').textContent()).toContain(
      'nrOfApproved / nrOfInstances',
    );
    await entry('minflow-loop-completion').locator('.cm-content').fill('nrOfApproved >= ');
    await error('minflow-loop-completion')
      .getByText(/FEEL 语法错误/)
      .waitFor();
    await entry('minflow-loop-completion').locator('.cm-content').fill('nrOfApproved >= 2');
    await error('minflow-loop-completion').waitFor({ state: 'detached' });
    await entry('minflow-loop-completion').locator('.cm-content').press('Tab');
    await entry('minflow-loop-collection').scrollIntoViewIfNeeded();
    await shot(page, 'multi-instance');

    // the 公示 timer: a duration with its check
    await select(page, 'noticeOver');
    await panel.locator('.bio-properties-panel-header-type', { hasText: '定时等待' }).waitFor();
    expect(await entry('minflow-timer-kind').locator('select').inputValue()).toBe('timeDuration');
    const timer = entry('minflow-timer-value').locator('input');
    expect(await timer.inputValue()).toBe('P7D');
    await timer.fill('10天');
    await error('minflow-timer-value').getByText('不是有效的 ISO 8601 时长').waitFor();
    await shot(page, 'timer-hint');
    await timer.fill('P10D');
    await error('minflow-timer-value').waitFor({ state: 'detached' });
    await timer.press('Tab');

    // the objection message: the standard provider's message entries, in Chinese
    await select(page, 'objection');
    await panel.locator('.bio-properties-panel-header-type', { hasText: '等待消息' }).waitFor();
    await entry('messageRef').getByText('消息', { exact: true }).waitFor();
    expect(await entry('messageName').locator('input').inputValue()).toBe('objection');
    await shot(page, 'message');

    await page.getByTestId('save').click();
    await page.getByText(/草稿已保存/).waitFor();
    const admin = await loginAs(server.test.app, 'admin');
    const saved = (
      await server.test.app.inject({ method: 'GET', url: '/api/definitions/dibao-rural', headers: admin })
    ).json();
    expect(saved.bpmnXml).toMatch(/id="economicCheck"[^>]*minflow:backoff="PT5M"/);
    expect(saved.bpmnXml).toMatch(/<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">P10D<\/bpmn:timeDuration>/);
    expect(saved.bpmnXml).toMatch(
      /<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">= nrOfApproved &gt;= 2</,
    );
    await page.getByTestId('validate').click();
    await page.getByTestId('problems').getByText('校验通过，可以发布').waitFor();
    expect(errors).toEqual([]);
    await ctx.close();
  }, 180_000);
});
