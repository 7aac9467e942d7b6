import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs } from '../../../engine/test/helpers.ts';
import { residentId } from '../../../engine/test/items.ts';
import { type DesignerServer, login, screenshots, startDesignerServer, watchErrors } from './harness';

const VILLAGE_UNIT = 'baiyin/huining/huishi/dongguan';

/** Picks an option of an antd Select by its visible label. */
async function pick(page: Page, select: Locator, label: string): Promise<void> {
  const open = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
  await expect.poll(() => open.count()).toBe(0);
  await select.click();
  await open.locator('.ant-select-item-option', { hasText: label }).first().click();
  await expect.poll(() => open.count()).toBe(0);
}

/** Adds a field from the palette and sets its name, title and required flag in the properties panel. */
async function addField(page: Page, kind: string, name: string, title: string, required: boolean): Promise<Locator> {
  await page.getByTestId(`add-${kind}`).click();
  const props = page.getByTestId('field-props');
  await props.getByLabel('标题', { exact: true }).fill(title);
  const nameInput = props.getByLabel('字段名', { exact: true });
  await nameInput.fill(name);
  await nameInput.press('Tab');
  await page.getByTestId(`field-${name}`).waitFor();
  if (required) await props.getByRole('switch', { name: '必填' }).click();
  return props;
}

/** Drags with the mouse in small steps (dnd-kit starts a drag after 5 px and tracks the pointer). */
async function drag(page: Page, from: Locator, to: Locator): Promise<void> {
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  if (!a || !b) throw new Error('drag: element not shown');
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 10, a.y + a.height / 2 + 10, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 15 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2 + 1, { steps: 2 });
  // release only once the builder shows the drop target: on a loaded machine React may not have
  // rendered the last pointer moves yet, and dnd-kit drops on the target it last rendered
  await expect.poll(() => to.getAttribute('data-drop-target')).toBe('true');
  await page.mouse.up();
}

/** The field ids in the list, top to bottom. */
async function fieldOrder(page: Page): Promise<string[]> {
  return page
    .getByTestId('field-list')
    .locator('[data-testid^="field-"]:not([data-testid="field-list-end"])')
    .evaluateAll((rows) => rows.map((r) => (r.getAttribute('data-testid') ?? '').slice('field-'.length)));
}

/** Clicks a diagram element (shape or connection) in the bpmn-js canvas. */
async function clickElement(page: Page, id: string): Promise<void> {
  // first clear the selection, so the context pad of a selected neighbour does not cover the element
  await page.getByTestId('bpmn-canvas').click({ position: { x: 700, y: 560 } });
  await page
    .locator(`g.djs-element[data-element-id="${id}"] .djs-hitbox, g.djs-element[data-element-id="${id}"] .djs-hit`)
    .first()
    .click({ force: true });
  await page.getByTestId(`panel-${id}`).waitFor();
}

describe('designer (Chromium against the real engine)', () => {
  let server: DesignerServer;
  beforeAll(async () => {
    server = await startDesignerServer();
  }, 300_000);
  afterAll(async () => server?.close());

  it('admin creates 冬季取暖补贴 from blank, builds form and flow, publishes; cases route by amount', async () => {
    const shot = screenshots('winter-heating');
    const ctx = await server.newContext();
    const page = await ctx.newPage();
    await page.goto('/designer/');
    await shot(page, 'login');
    await login(page, 'admin');
    const errors = watchErrors(page);
    await page.getByTestId('open-elderly-allowance').waitFor();
    await shot(page, 'item-list');

    // New item from blank with the amount template
    await page.getByTestId('new-item').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('事项名称').fill('冬季取暖补贴');
    await dialog.getByLabel(/事项编号/).fill('winter-heating');
    await dialog.getByText('按金额分级审批').click();
    await shot(page, 'new-item-dialog');
    await page.getByTestId('create-item').click();
    await expect.poll(() => page.getByTestId('item-title').textContent()).toBe('冬季取暖补贴');

    // Form: the six fields, one of them shown only for coal heating
    await addField(page, 'text', 'applicantName', '申请人姓名', true);
    await addField(page, 'idNumber', 'idNumber', '身份证号码', true);
    let props = await addField(page, 'number', 'householdSize', '家庭人口数', true);
    await props.getByRole('switch', { name: '只能填整数' }).click();
    await props.getByLabel('最小值').fill('1');
    await props.getByLabel('最大值').fill('20');
    props = await addField(page, 'select', 'heatingType', '取暖方式', true);
    await props.getByLabel('选项1名称').fill('燃煤');
    await props.getByLabel('选项1的值').fill('coal');
    await props.getByLabel('选项2名称').fill('电采暖');
    await props.getByLabel('选项2的值').fill('electric');
    await props.getByRole('button', { name: '添加选项' }).click();
    await props.getByLabel('选项3名称').fill('集中供暖');
    await props.getByLabel('选项3的值').fill('central');
    props = await addField(page, 'money', 'amount', '申请金额（元）', true);
    await props.getByLabel('最大值').fill('10000');
    props = await addField(page, 'number', 'coalTons', '燃煤用量（吨）', true);
    await props.getByRole('switch', { name: '按条件显示' }).click();
    await pick(page, props.getByLabel('条件字段'), '取暖方式');
    await pick(page, props.getByLabel('条件值'), '燃煤');
    await expect.poll(() => page.getByTestId('field-?0/coalTons').textContent()).toContain('条件显示');

    // Drag and drop: a palette entry lands where it is dropped; a field is dragged to another place and back
    await drag(page, page.getByTestId('add-date'), page.getByTestId('field-heatingType'));
    await expect
      .poll(() => fieldOrder(page))
      .toEqual(['applicantName', 'idNumber', 'householdSize', 'date', 'heatingType', 'amount', '?0/coalTons']);
    await page.getByTestId('field-date').getByRole('button', { name: '删除' }).click();
    const handle = (id: string) => page.getByTestId(`field-${id}`).locator('.mf-drag-handle');
    await drag(page, handle('amount'), page.getByTestId('field-applicantName'));
    await expect
      .poll(() => fieldOrder(page))
      .toEqual(['amount', 'applicantName', 'idNumber', 'householdSize', 'heatingType', '?0/coalTons']);
    await drag(page, handle('amount'), page.getByTestId('field-heatingType'));
    await expect
      .poll(() => fieldOrder(page))
      .toEqual(['applicantName', 'idNumber', 'householdSize', 'heatingType', 'amount', '?0/coalTons']);

    // Preview: the conditional field appears only when 燃煤 is chosen
    const preview = page.getByTestId('form-preview');
    await preview.getByLabel('申请人姓名').waitFor();
    expect(await preview.getByLabel('燃煤用量（吨）').count()).toBe(0);
    await pick(page, preview.getByLabel('取暖方式'), '燃煤');
    await preview.getByLabel('燃煤用量（吨）').waitFor();
    await preview.getByLabel('身份证号码').fill('620422199001011234');
    await preview.getByRole('button', { name: '试提交（校验）' }).click();
    await preview.getByText('身份证号码校验位不正确').waitFor();
    await preview.getByText('必填').first().waitFor();
    expect(await preview.getByText(/then/).count()).toBe(0);
    await shot(page, 'form-built');

    // The JSON view holds the same schema (if/then for the conditional field)
    await page.getByRole('tab', { name: 'JSON' }).click();
    const schemaText = await page.getByTestId('json-schema').inputValue();
    const schema = JSON.parse(schemaText);
    expect(schema.required).toEqual(['applicantName', 'idNumber', 'householdSize', 'heatingType', 'amount']);
    expect(schema.properties.idNumber.format).toBe('cn-resident-id');
    expect(schema.allOf[0].if).toEqual({ properties: { heatingType: { const: 'coal' } }, required: ['heatingType'] });
    expect(schema.allOf[0].then.required).toEqual(['coalTons']);
    await page.getByRole('tab', { name: '预览' }).click();
    await page.getByTestId('save').click();
    await page.getByText(/草稿已保存/).waitFor();

    // Flow: the template's gateway condition is emptied, validation points at the diagram
    await page.getByRole('tab', { name: '审批流程' }).click();
    await page.locator('g.djs-element[data-element-id="amountCheck"]').waitFor();
    await clickElement(page, 'townshipReview');
    // the properties panel (bpmn-js-properties-panel with Minflow's entries): the level is picked from the
    // engine's levels, the roles are checkboxes named as GET /api/meta/roles names them
    const panel = page.getByTestId('flow-panel');
    const entry = (id: string) => panel.locator(`[data-entry-id="${id}"]`);
    const level = entry('minflow-level').locator('select');
    await expect.poll(() => level.inputValue()).toBe('township');
    expect(await level.locator('option:checked').textContent()).toBe('乡镇（街道）');
    await expect
      .poll(() => entry('minflow-roles').getByRole('checkbox', { name: '乡镇民政干部' }).isChecked())
      .toBe(true);
    await shot(page, 'properties-panel');

    // the county step: without a role lint flags it at once; the role is given back, 转办 allowed, the level
    // chosen, and the time limit typed (a wrong duration is explained and not written)
    await clickElement(page, 'countyApproval');
    const countyRole = entry('minflow-roles').getByRole('checkbox', { name: '县民政局审批' });
    await countyRole.waitFor();
    expect(await countyRole.isChecked()).toBe(true);
    await countyRole.uncheck();
    await page
      .getByTestId('lint-list')
      .getByText(/请选择办理角色/)
      .waitFor();
    await countyRole.check();
    await page.getByTestId('lint-list').waitFor({ state: 'detached' });
    await entry('minflow-actions').getByRole('checkbox', { name: '转办' }).check();
    await level.selectOption({ label: '县（区）' });
    const due = entry('minflow-due').locator('input');
    await due.fill('15天');
    await entry('minflow-due').getByText('不是有效的 ISO 8601 时长').waitFor();
    await shot(page, 'due-hint');
    await due.fill('P15D');
    await entry('minflow-due').locator('.bio-properties-panel-error').waitFor({ state: 'detached' });
    await due.press('Tab');

    await clickElement(page, 'toCountyApproval');
    const condition = entry('minflow-condition').locator('.cm-content');
    await condition.fill('');
    await entry('minflow-condition').getByText('没有条件，也不是默认路径').waitFor();
    await condition.press('Tab');
    await page.getByTestId('lint-list').getByText('“金额判断”的出口“超过限额”：请填写条件，或设为默认路径').waitFor();
    // bpmnlint (bpmn-js-bpmnlint) marks it on the diagram and counts it
    await page.locator('.djs-overlays[data-container-id="toCountyApproval"] .bjsl-overlay').waitFor();
    expect(await page.locator('.bjsl-button').textContent()).toContain('1 个错误');
    await shot(page, 'lint-on-diagram');
    await page.getByTestId('validate').click();
    const problems = page.getByTestId('problems');
    await problems.getByText(/校验发现/).waitFor();
    await shot(page, 'validation-problem');
    await problems.locator('.mf-problem-row', { hasText: '流程' }).first().click();
    await page.locator('g.djs-element.mf-problem').first().waitFor();
    await shot(page, 'problem-marked-on-diagram');

    // …and fixed with the form's field name, the county approval renamed
    await clickElement(page, 'toCountyApproval');
    // the condition is a FEEL editor (CodeMirror): the form's fields are completed as you type
    await condition.fill('');
    await condition.pressSequentially('amo');
    await page.locator('.cm-tooltip-autocomplete', { hasText: 'amount' }).waitFor();
    await shot(page, 'feel-completion');
    await condition.fill('amount >');
    await entry('minflow-condition')
      .locator('.bio-properties-panel-error', { hasText: /FEEL 语法错误/ })
      .waitFor();
    await shot(page, 'feel-error');
    await condition.fill('amount > 2000');
    await entry('minflow-condition').locator('.bio-properties-panel-error').waitFor({ state: 'detached' });
    await condition.press('Tab');
    await clickElement(page, 'countyApproval');
    const nameInput = entry('name').getByLabel('名称', { exact: true });
    await nameInput.fill('县级审批（超过2000元）');
    await nameInput.press('Tab');
    await page.getByTestId('validate').click();
    await problems.getByText('校验通过，可以发布').waitFor();
    await shot(page, 'flow-built');
    await page.getByTestId('publish').click();
    await page.getByText('已发布 v1，各乡镇现在可以办理').waitFor();
    await shot(page, 'published');
    expect(errors).toEqual([]);

    // The published definition carries the designer's work in the format contract
    const { app } = server.test;
    const admin = await loginAs(app, 'admin');
    const item = (await app.inject({ method: 'GET', url: '/api/items/winter-heating', headers: admin })).json();
    expect(item.version).toBe(1);
    expect(item.bpmnXml).toContain('minflow:roles="county-approver"');
    expect(item.bpmnXml).toMatch(
      /id="countyApproval"[^>]*minflow:due="P15D"[^>]*minflow:actions="approve,reject,return,transfer,comment"/,
    );
    expect(item.bpmnXml).toContain('name="县级审批（超过2000元）"');
    expect(item.bpmnXml).toMatch(/<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">= amount &gt; 2000</);
    expect(item.bpmnXml).toContain('name="县级审批（超过2000元）"');

    // The township clerk files cases: a bad ID is refused, the amount decides who approves
    const township = await loginAs(app, 'township');
    const file = (data: Record<string, unknown>, key: string) =>
      app.inject({
        method: 'POST',
        url: '/api/cases',
        headers: { ...township, 'idempotency-key': key },
        payload: { itemKey: 'winter-heating', orgUnitId: VILLAGE_UNIT, data },
      });
    const base = {
      applicantName: '马德福',
      householdSize: 4,
      heatingType: 'electric',
    };
    const bad = await file({ ...base, idNumber: '620422195003151234', amount: 2500 }, 'winter-bad');
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().details)).toContain('/idNumber');
    const noTons = await file(
      { ...base, heatingType: 'coal', idNumber: residentId('620422', '19500315', '031'), amount: 2500 },
      'winter-no-tons',
    );
    expect(noTons.statusCode, 'coal heating needs the conditional field').toBe(400);

    const act = async (username: string, caseId: string, elementId: string) => {
      const headers = await loginAs(app, username);
      const inbox = (await app.inject({ method: 'GET', url: '/api/tasks?limit=100', headers })).json();
      const task = (inbox.items as Array<{ id: string; caseId: string; elementId: string }>).find(
        (t) => t.caseId === caseId && t.elementId === elementId,
      );
      expect(task, `${elementId} in ${username}'s inbox`).toBeDefined();
      const res = await app.inject({
        method: 'POST',
        url: `/api/tasks/${task?.id}/complete`,
        headers,
        payload: { action: 'approve', comment: '同意' },
      });
      expect(res.statusCode, res.body).toBe(200);
      const c = await app.inject({ method: 'GET', url: `/api/cases/${caseId}`, headers });
      return c.json() as { status: string; openTasks: Array<{ elementId: string }> };
    };

    const big = await file(
      { ...base, heatingType: 'coal', coalTons: 3, idNumber: residentId('620422', '19500315', '031'), amount: 2500 },
      'winter-big',
    );
    expect(big.statusCode, big.body).toBe(201);
    const bigId = big.json().id as string;
    await act('village', bigId, 'villageReview');
    const atCounty = await act('township', bigId, 'townshipReview');
    expect(atCounty.openTasks.map((t) => t.elementId)).toEqual(['countyApproval']);
    const done = await act('county', bigId, 'countyApproval');
    expect(done.status).toBe('completed');

    const small = await file(
      { ...base, idNumber: residentId('620422', '19620708', '042'), amount: 1500 },
      'winter-small',
    );
    expect(small.statusCode, small.body).toBe(201);
    const smallId = small.json().id as string;
    await act('village', smallId, 'villageReview');
    const smallDone = await act('township', smallId, 'townshipReview');
    expect(smallDone.status).toBe('completed');
    expect(smallDone.openTasks).toEqual([]);
    await ctx.close();
  }, 240_000);

  it('opens elderly-allowance with its form and diagram, without errors', async () => {
    const shot = screenshots('elderly-allowance');
    const ctx = await server.newContext();
    const page = await ctx.newPage();
    await login(page, 'admin');
    const errors = watchErrors(page);
    await page.getByTestId('open-elderly-allowance').click();
    await expect.poll(() => page.getByTestId('item-title').textContent()).toBe('高龄津贴');
    await page.getByTestId('field-applicant/idNumber').waitFor();
    await page.getByTestId('form-preview').getByLabel('公民身份号码').first().waitFor();
    await page.getByTestId('field-applicant').click();
    await shot(page, 'form');
    await page.getByRole('tab', { name: '审批流程' }).click();
    await page.locator('g.djs-element[data-element-id="villageConfirmation"]').waitFor();
    await clickElement(page, 'villageConfirmation');
    const panel = page.getByTestId('flow-panel');
    // the role's name comes from the engine (GET /api/meta/roles), as the rules files name it
    await expect.poll(() => panel.getByRole('checkbox', { name: '村/社区民政协理员' }).isChecked()).toBe(true);
    expect(await page.getByTestId('lint-list').count()).toBe(0);
    await shot(page, 'flow');
    // Nothing changed: saving is not offered and validation passes
    expect(await page.getByTestId('save').isDisabled()).toBe(true);
    await page.getByTestId('validate').click();
    await page.getByTestId('problems').getByText('校验通过，可以发布').waitFor();
    expect(await page.locator('.ant-alert-warning, .ant-alert-error').count()).toBe(0);
    expect(errors).toEqual([]);

    // Someone else saves the draft meanwhile: this save is refused and the admin is told so
    await page.getByRole('tab', { name: '申请表单' }).click();
    await page.getByTestId('field-remarks').click();
    await page.getByTestId('field-props').getByLabel('标题', { exact: true }).fill('备注（村里填写）');
    const { app } = server.test;
    const admin = await loginAs(app, 'admin');
    const current = (
      await app.inject({ method: 'GET', url: '/api/definitions/elderly-allowance', headers: admin })
    ).json();
    const {
      key: _key,
      hash: _h,
      publishedVersion: _p,
      hasUnpublishedChanges: _c,
      retired: _r,
      createdAt: _ca,
      createdBy: _cb,
      updatedAt: _ua,
      updatedBy: _ub,
      ...content
    } = current;
    const other = await app.inject({
      method: 'PUT',
      url: '/api/definitions/elderly-allowance',
      headers: admin,
      payload: { ...content, description: `${content.description}（另一位管理员修改）` },
    });
    expect(other.statusCode, other.body).toBe(200);
    await page.getByTestId('save').click();
    await page.getByText('其他人已保存了这个事项').filter({ visible: true }).waitFor();
    await shot(page, 'conflict');
    await page.getByRole('button', { name: '重新加载最新草稿' }).click();
    await expect.poll(() => page.getByText('草稿版本 2').count()).toBe(1);
    // the refused PUT is the one expected console line (Chromium logs every 4xx response)
    expect(errors).toEqual([expect.stringContaining('409 (Conflict)')]);
    errors.length = 0;
    expect(await page.getByTestId('save').isDisabled()).toBe(true);

    // Drawing: the palette and the context pad speak Chinese and append user tasks, which lint flags
    await page.getByRole('tab', { name: '审批流程' }).click();
    await page.locator('.djs-palette .entry[aria-label="人工审批环节"]').waitFor();
    await clickElement(page, 'townshipReview');
    await page.locator('.djs-context-pad .entry[title="接上人工审批环节"]').click();
    await page
      .getByTestId('flow-panel')
      .locator('.bio-properties-panel-header-type', { hasText: '人工审批环节' })
      .waitFor();
    await page
      .getByTestId('lint-list')
      .getByText(/请选择办理角色/)
      .waitFor();
    await shot(page, 'drawing');

    // a change in the properties panel is a modeling command: Ctrl+Z on the diagram takes it back
    await clickElement(page, 'townshipReview');
    const transfer = page
      .getByTestId('flow-panel')
      .locator('[data-entry-id="minflow-actions"]')
      .getByRole('checkbox', { name: '转办' });
    await transfer.check();
    await page.locator('.djs-container svg').first().focus();
    await page.keyboard.press('Control+z');
    await expect.poll(() => transfer.isChecked()).toBe(false);
    await page.keyboard.press('Control+y');
    await expect.poll(() => transfer.isChecked()).toBe(true);

    // the properties panel speaks the designer's language
    await page.getByTestId('lang-switch').getByText('English').click();
    const flowPanel = page.getByTestId('flow-panel');
    await flowPanel.locator('.bio-properties-panel-header-type', { hasText: 'User Task' }).waitFor();
    await flowPanel.locator('[data-entry-id="minflow-roles"]').getByText('Roles', { exact: true }).waitFor();
    await flowPanel.locator('[data-entry-id="minflow-actions"]').getByText('Transfer', { exact: true }).waitFor();
    await flowPanel.locator('[data-entry-id="name"]').getByText('Name', { exact: true }).waitFor();
    await shot(page, 'english-properties');
    await page.getByTestId('lang-switch').getByText('中文').click();
    await flowPanel.locator('[data-entry-id="minflow-roles"]').getByText('办理角色', { exact: true }).waitFor();
    await flowPanel.locator('.bio-properties-panel-header-type', { hasText: '人工审批环节' }).waitFor();

    // Leaving with unsaved changes asks first; then a new item is started as a copy of this one
    await page.getByRole('button', { name: '返回列表' }).click();
    await page.getByRole('button', { name: '不保存，离开' }).click();
    await page.getByTestId('new-item').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('事项名称').fill('高龄津贴（试点县）');
    await dialog.getByLabel(/事项编号/).fill('elderly-allowance-pilot');
    await dialog.getByText('复制已发布的事项').click();
    await pick(page, dialog.getByLabel('复制哪个事项'), '高龄津贴（v1）');
    await page.getByTestId('create-item').click();
    await expect.poll(() => page.getByTestId('item-title').textContent()).toBe('高龄津贴（试点县）');
    await page.getByTestId('field-applicant/idNumber').waitFor();
    await page.getByTestId('validate').click();
    await page.getByTestId('problems').getByText('校验通过，可以发布').waitFor();
    await shot(page, 'copied');
    expect(errors).toEqual([]);
    await ctx.close();
  }, 120_000);
});
