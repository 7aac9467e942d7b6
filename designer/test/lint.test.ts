import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import minflowModdle from '@minflow/sdk/minflow-moddle.json';
import { BpmnModdle } from 'bpmn-moddle';
import { Linter } from 'bpmnlint';
import { describe, expect, it } from 'vitest';
import { feelSyntaxError, flattenReports, minflowLintConfig } from '../src/flow/lint';
import { FLOW_TEMPLATES, flowTemplate } from '../src/flow/templates';
import type { Lang } from '../src/i18n';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** bpmnlint's Linter with the designer's packed config (the one bpmn-js-bpmnlint runs while drawing). */
async function lintXml(xml: string, lang: Lang = 'zh-CN') {
  const { rootElement } = await new BpmnModdle({ minflow: minflowModdle }).fromXML(xml);
  const packed = minflowLintConfig(lang);
  const results = await new Linter(packed).lint(rootElement, packed.config);
  return flattenReports(results);
}
const errors = async (xml: string, lang?: Lang) =>
  (await lintXml(xml, lang))
    .filter((p) => p.category !== 'warn')
    .map(({ id, message, rule }) => ({ id, message, rule }));

const definitions = fs
  .readdirSync(path.join(root, 'definitions'))
  .filter((d) => fs.existsSync(path.join(root, 'definitions', d, 'process.bpmn')));

describe('lint while drawing (bpmnlint + the minflow plugin)', () => {
  it('finds no errors in the templates', async () => {
    for (const t of FLOW_TEMPLATES) expect(await errors(flowTemplate(t.id, 'x-y')), t.id).toEqual([]);
  });

  it('finds no errors in any published item', async () => {
    expect(definitions.length).toBeGreaterThanOrEqual(19);
    for (const d of definitions) {
      const xml = fs.readFileSync(path.join(root, 'definitions', d, 'process.bpmn'), 'utf8');
      expect(await errors(xml), d).toEqual([]);
    }
  });

  it('points at tasks without roles, unsupported elements and open gateway exits', async () => {
    let xml = flowTemplate('amount', 'x-y')
      .replace('minflow:roles="township-staff" ', '')
      .replace(
        '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">= amount &gt; 5000</bpmn:conditionExpression>',
        '',
      );
    // the end event becomes a manual task, which the engine does not execute
    xml = xml.replace(
      /<bpmn:endEvent id="townshipDone" name="乡镇办结">([\s\S]*?)<\/bpmn:endEvent>/,
      '<bpmn:manualTask id="townshipDone" name="乡镇办结">$1</bpmn:manualTask>',
    );
    const problems = (await errors(xml)).filter((p) => p.rule.startsWith('minflow/'));
    expect(problems.map((p) => p.id).sort()).toEqual(['toCountyApproval', 'townshipDone', 'townshipReview']);
    expect(problems.find((p) => p.id === 'townshipReview')?.message).toContain('办理角色');
    expect(problems.find((p) => p.id === 'townshipDone')?.message).toContain('手工任务');
    expect(problems.find((p) => p.id === 'toCountyApproval')?.rule).toBe('minflow/gateway-exits');
  });

  it('reports a condition that is not valid FEEL', async () => {
    const xml = flowTemplate('amount', 'x-y').replace('= amount &gt; 5000', '= (amount &gt; 5000');
    const problems = await errors(xml);
    expect(problems).toEqual([
      {
        id: 'toCountyApproval',
        rule: 'minflow/feel-syntax',
        message: expect.stringContaining('不是有效的 FEEL 表达式'),
      },
    ]);
    expect(feelSyntaxError('= amount > 5000')).toBeNull();
    expect(feelSyntaxError('amount >')).not.toBeNull();
  });

  it('bpmnlint’s own rules point at a disconnected step, in Chinese', async () => {
    const xml = flowTemplate('simple', 'x-y').replace(
      '</bpmn:process>',
      '<bpmn:userTask id="lonely" name="孤立环节" minflow:roles="township-staff" minflow:level="township" /></bpmn:process>',
    );
    const problems = await errors(xml);
    expect(problems.find((p) => p.id === 'lonely' && p.rule === 'no-disconnected')?.message).toBe('没有连到流程中');
  });
});

describe('lint messages in English', () => {
  it('names the element and the fix in the chosen language', async () => {
    const xml = flowTemplate('simple', 'x-y').replace('minflow:roles="township-staff" ', '');
    expect(await errors(xml, 'en')).toEqual([
      { id: 'townshipReview', message: '"乡镇审核": choose the roles', rule: 'minflow/user-task-assignment' },
    ]);
    expect(await errors(xml)).toEqual([
      { id: 'townshipReview', message: '“乡镇审核”：请选择办理角色', rule: 'minflow/user-task-assignment' },
    ]);
  });
});
