import { cp, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../../config.js';
import { listDefinitionFolders, loadDefinitionFolder } from './folder.js';

let dir: string;
let folder: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'minflow-folder-'));
  folder = path.join(dir, 'elderly-allowance');
  await cp(path.join(repoRoot, 'definitions', 'elderly-allowance'), folder, { recursive: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function problems(): Promise<string[]> {
  const result = await loadDefinitionFolder(folder);
  return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
}

describe('definition folders', () => {
  it('reads item.json, the form, the UI schema, the BPMN and the task forms', async () => {
    const result = await loadDefinitionFolder(folder);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.input.key).toBe('elderly-allowance');
    expect(result.input.name.zh).toBe('高龄津贴');
    expect(Object.keys(result.input.taskForms).sort()).toEqual(['township-review', 'village-confirmation']);
    expect(result.input.taskForms['township-review'].uiSchema['ui:order']).toBeDefined();
    expect(await listDefinitionFolders(dir)).toEqual([folder]);
  });

  it('names the file of each problem', async () => {
    await writeFile(path.join(folder, 'form.schema.json'), '{ "type": "object", ');
    await unlink(path.join(folder, 'process.bpmn'));
    await writeFile(path.join(folder, 'task-forms', 'orphan.ui.json'), '{}');
    const found = await problems();
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/^form\.schema\.json: not valid JSON/);
    expect(found[1]).toBe('process.bpmn: file is missing');
    expect(found[2]).toBe('task-forms/orphan.ui.json: no orphan.schema.json beside it');
  });

  it('refuses metadata that does not fit: a key other than the folder, an unknown category', async () => {
    await writeFile(
      path.join(folder, 'item.json'),
      JSON.stringify({ key: 'other-key', name: { zh: '高龄津贴' }, category: 'welfare', startLevels: ['village'] }),
    );
    expect(await problems()).toEqual([
      'item.json/key: must equal the folder name "elderly-allowance"',
      expect.stringMatching(/^item\.json\/category: /),
    ]);
  });
});
