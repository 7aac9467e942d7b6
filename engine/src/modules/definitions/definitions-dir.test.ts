import path from 'node:path';
import { evaluate } from 'feelin';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../config.js';
import { residentId } from './fixtures.test-helpers.js';
import { listDefinitionFolders, loadDefinitionFolder } from './folder.js';
import { validateFormData } from './form-data.js';
import type { DefinitionInput } from './model.js';
import { checkForPublish } from './validate.js';

// Every item shipped under definitions/ must pass the same validation as a publish.
const definitionsDir = path.join(repoRoot, 'definitions');
const folders = await listDefinitionFolders(definitionsDir);

async function load(folder: string): Promise<DefinitionInput> {
  const result = await loadDefinitionFolder(folder);
  if (!result.ok) {
    throw new Error(`${folder}:\n${result.problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`);
  }
  return result.input;
}

describe('definitions/', () => {
  it('holds at least the sample item', () => {
    expect(folders.map((f) => path.basename(f))).toContain('elderly-allowance');
  });

  const keys = new Set(folders.map((f) => path.basename(f)));
  for (const folder of folders) {
    it(`${path.basename(folder)} passes the publish validation`, async () => {
      const input = await load(folder);
      const { problems } = await checkForPublish(input, 'en', { key: input.key, itemExists: async (k) => keys.has(k) });
      const report = problems.map((p) => `  ${p.path}: ${p.message}`).join('\n');
      expect(report, `definitions/${path.basename(folder)} has problems:\n${report}`).toBe('');
    });
  }
});

describe('elderly-allowance (高龄津贴)', () => {
  const application = () => ({
    applicant: {
      name: '王秀兰',
      idNumber: residentId('620402', '19400315', '124'),
      phone: '13893012345',
      address: '白银市白银区人民路街道某社区12号',
    },
    residence: { hukouAddress: '甘肃省白银市白银区人民路街道', livesLocally: true, yearsResident: 60 },
    bankAccount: { bankName: '甘肃银行白银分行', accountName: '王秀兰', accountNumber: '6228480012345678901' },
    applyByAgent: false,
  });

  it('accepts a complete application and explains wrong ID numbers in Chinese', async () => {
    const { formSchema } = await load(path.join(definitionsDir, 'elderly-allowance'));
    expect(validateFormData(formSchema, application(), 'zh-CN')).toEqual([]);
    const bad = application();
    bad.applicant.idNumber = `${bad.applicant.idNumber.slice(0, 17)}${bad.applicant.idNumber[17] === '0' ? '1' : '0'}`;
    expect(validateFormData(formSchema, bad, 'zh-CN')).toEqual([
      { path: '/applicant/idNumber', message: '身份证号码校验位不正确' },
    ]);
  });

  it('requires the agent when the application is made by an agent (if/then)', async () => {
    const { formSchema } = await load(path.join(definitionsDir, 'elderly-allowance'));
    const byAgent = { ...application(), applyByAgent: true };
    expect(validateFormData(formSchema, byAgent, 'en').map((d) => d.path)).toEqual(['/agent']);
    const withAgent = {
      ...byAgent,
      agent: {
        name: '李强',
        idNumber: residentId('620402', '19680708', '035'),
        relation: 'child',
        phone: '13993054321',
      },
    };
    expect(validateFormData(formSchema, withAgent, 'en')).toEqual([]);
  });

  it("the township's task form requires the start month only when granting, and takes no typed amount", async () => {
    const { taskForms } = await load(path.join(definitionsDir, 'elderly-allowance'));
    const review = taskForms['township-review'].schema;
    expect(validateFormData(review, { decision: 'deny', opinion: '户籍不在本地' }, 'en')).toEqual([]);
    expect(
      validateFormData(review, { decision: 'grant', opinion: '符合条件' }, 'en')
        .map((d) => d.path)
        .sort(),
    ).toEqual(['/startMonth']);
    // the amount is computed from the county's standard by the flow, not typed by the reviewer
    expect(
      validateFormData(
        review,
        { decision: 'grant', startMonth: '2026-04', monthlyAmount: 100, opinion: '符合条件' },
        'en',
      ),
    ).not.toEqual([]);
  });

  it('the age-band script computes the band from the ID number (FEEL)', async () => {
    const { bpmnXml } = await load(path.join(definitionsDir, 'elderly-allowance'));
    const script = /<bpmn:script>([\s\S]*?)<\/bpmn:script>/.exec(bpmnXml)?.[1] ?? '';
    const source = script.replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&amp;/g, '&').trim().replace(/^=/, '');
    const { value } = evaluate(source, { applicant: application().applicant });
    const { age, ageBand } = value as { age: number; ageBand: string };
    expect(age).toBeGreaterThanOrEqual(86); // born 15 March 1940
    expect(ageBand).toBe(age >= 90 ? '90-99' : '80-89');
  });
});
