import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs } from '../../../engine/test/helpers.ts';
import { login, publishDefinition, screenshots, startUiServer, type UiServer } from './harness.ts';

// An item whose form carries English texts in its uiSchema (`ui:i18n.en`, issue #6): the apply page shows
// them after the switch to English, the Chinese ones after switching back, and what was typed stays.
const KEY = 'e2e-form-i18n';

const bpmn = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:minflow="http://minflow.dev/schema/bpmn/1.0" id="Defs" targetNamespace="http://minflow.dev/e2e">
  <bpmn:process id="I18nProcess" isExecutable="true">
    <bpmn:startEvent id="Start"/>
    <bpmn:userTask id="Review" name="乡镇审核" minflow:roles="township-staff" minflow:level="township" minflow:editable="/hukou"/>
    <bpmn:endEvent id="End"/>
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Review"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Review" targetRef="End"/>
  </bpmn:process>
</bpmn:definitions>`;

const definition = {
  key: KEY,
  name: { zh: '双语表单测试', en: 'Bilingual form test' },
  category: 'social-affairs',
  description: '浏览器测试用的事项',
  startLevels: ['village', 'township'],
  formSchema: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    required: ['fullName'],
    additionalProperties: false,
    properties: {
      fullName: { type: 'string', title: '申请人姓名', minLength: 2, maxLength: 20 },
      hukou: {
        type: 'string',
        title: '户籍类型',
        oneOf: [
          { const: 'rural', title: '农村户籍' },
          { const: 'urban', title: '城镇户籍' },
        ],
      },
      remarks: { type: 'string', title: '备注', maxLength: 200 },
    },
  },
  uiSchema: {
    'ui:order': ['fullName', 'hukou', 'remarks'],
    fullName: {
      'ui:help': '与身份证上的姓名一致',
      'ui:i18n': { en: { title: 'Applicant name', help: 'As on the ID card' } },
    },
    hukou: {
      'ui:widget': 'radio',
      'ui:i18n': { en: { title: 'Household registration', enumNames: ['Rural', 'Urban'] } },
    },
  },
  bpmnXml: bpmn,
};

describe('a form’s English texts (ui:i18n) in Chromium', { timeout: 120_000 }, () => {
  let ui: UiServer;
  const shot = screenshots('form-i18n');

  beforeAll(async () => {
    ui = await startUiServer();
    await publishDefinition(ui, definition);
  }, 240_000);
  afterAll(async () => {
    await ui?.close();
  });

  it('shows the English labels in English and the Chinese ones in Chinese, keeping what was typed', async () => {
    const { ctx, page } = await login(ui, 'village');
    await page.goto(`/app/apply/${KEY}`);
    await page.getByTestId('apply-title').waitFor();
    const form = page.locator('form.rjsf').first();
    await page.getByLabel('申请人姓名').fill('王淑珍');
    await page.getByText('与身份证上的姓名一致').waitFor();
    await page.getByText('农村户籍').waitFor();

    await page.getByTestId('lang-switch').first().click();
    await page.getByLabel('Applicant name').waitFor();
    await page.getByText('As on the ID card').waitFor();
    await page.getByText('Household registration').waitFor();
    await page.getByText('Rural', { exact: true }).waitFor();
    // a field without English keeps its Chinese title
    await page.getByLabel('备注').waitFor();
    await expect.poll(() => form.textContent()).not.toContain('申请人姓名');
    await expect.poll(() => page.getByLabel('Applicant name').inputValue()).toBe('王淑珍');
    await shot(page, 'apply-english');

    await page.getByTestId('lang-switch').first().click();
    await page.getByLabel('申请人姓名').waitFor();
    await page.getByText('农村户籍').waitFor();
    await expect.poll(() => form.textContent()).not.toContain('Applicant name');
    await expect.poll(() => page.getByLabel('申请人姓名').inputValue()).toBe('王淑珍');
    await ctx.close();
  });

  it('names a step’s changed fields and options in English on the case timeline', async () => {
    const village = await loginAs(ui.test.app, 'village');
    const filed = await ui.test.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: village,
      payload: { itemKey: KEY, data: { fullName: '王淑珍', hukou: 'rural' } },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const caseId = filed.json().id as string;
    const taskId = filed.json().openTasks[0].id as string;
    const township = await loginAs(ui.test.app, 'township');
    const claimed = await ui.test.app.inject({ method: 'POST', url: `/api/tasks/${taskId}/claim`, headers: township });
    expect(claimed.statusCode, claimed.body).toBe(200);
    const done = await ui.test.app.inject({
      method: 'POST',
      url: `/api/tasks/${taskId}/complete`,
      headers: township,
      payload: { action: 'approve', changes: { hukou: 'urban' } },
    });
    expect(done.statusCode, done.body).toBe(200);

    const { ctx, page } = await login(ui, 'township');
    await page.goto(`/app/cases/${caseId}`);
    const changed = page.getByTestId('timeline-entry').filter({ hasText: '户籍类型' });
    await changed.first().waitFor();
    await expect.poll(() => changed.first().textContent()).toMatch(/农村户籍.*城镇户籍/);

    await page.getByTestId('lang-switch').first().click();
    const english = page.getByTestId('timeline-entry').filter({ hasText: 'Household registration' });
    await english.first().waitFor();
    const text = (await english.first().textContent()) ?? '';
    expect(text).toMatch(/Rural.*Urban/);
    expect(text).not.toContain('户籍类型');
    expect(text).not.toContain('城镇户籍');
    await shot(page, 'case-timeline-english');
    await ctx.close();
  });
});
