import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import minflowModdle from '@minflow/sdk/minflow-moddle.json';
import { BpmnModdle } from 'bpmn-moddle';
import { describe, expect, it } from 'vitest';
import { type LintBo, lintProcess } from '../src/flow/lint';
import { FLOW_TEMPLATES, flowTemplate } from '../src/flow/templates';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function lintXml(xml: string) {
  const { rootElement } = await new BpmnModdle({ minflow: minflowModdle }).fromXML(xml);
  const process = (rootElement.rootElements as LintBo[]).find((e) => e.$type === 'bpmn:Process') as LintBo;
  return lintProcess(process);
}

describe('lint while drawing', () => {
  it('finds nothing in the templates and in the published items', async () => {
    for (const t of FLOW_TEMPLATES) expect(await lintXml(flowTemplate(t.id, 'x-y'))).toEqual([]);
    const xml = fs.readFileSync(path.join(root, 'definitions', 'elderly-allowance', 'process.bpmn'), 'utf8');
    expect(await lintXml(xml)).toEqual([]);
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
    const problems = await lintXml(xml);
    expect(problems.map((p) => p.id).sort()).toEqual(['toCountyApproval', 'townshipDone', 'townshipReview']);
    expect(problems.find((p) => p.id === 'townshipReview')?.message).toContain('办理角色');
    expect(problems.find((p) => p.id === 'townshipDone')?.message).toContain('手工任务');
  });
});
