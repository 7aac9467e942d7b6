import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Lang } from '../../errors/registry.js';
import type { ErrorDetail } from '../../errors/types.js';
import { fromItemFile, ITEM_FILE_FORMAT, type ItemFile } from './exchange.js';
import type { DefinitionInput, JsonObject, TaskForm } from './model.js';
import { checkDefinitionShape } from './validate.js';

/**
 * A definition as a folder (`definitions/<key>/`), the form the 19 items ship in:
 *
 * - `item.json`: metadata `{ name: { zh, en? }, category, description, startLevels, computed? }` (a
 *   `key`, if present, must equal the folder name; `computed` lists the values approvers see)
 * - `form.schema.json`, `form.ui.json` (optional, default `{}`), `process.bpmn`
 * - `task-forms/<formKey>.schema.json` and optional `task-forms/<formKey>.ui.json`
 */
export type FolderResult = { ok: true; input: DefinitionInput } | { ok: false; problems: ErrorDetail[] };

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

async function readJson(file: string, name: string, problems: ErrorDetail[]): Promise<JsonObject | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    problems.push({ path: name, message: 'file is missing' });
    return undefined;
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      problems.push({ path: name, message: 'must hold a JSON object' });
      return undefined;
    }
    return value as JsonObject;
  } catch (err) {
    problems.push({ path: name, message: `not valid JSON: ${(err as Error).message}` });
    return undefined;
  }
}

/** Reads one folder into a definition input (shape-checked; the publish validation is separate). */
export async function loadDefinitionFolder(folder: string, lang: Lang = 'en'): Promise<FolderResult> {
  const key = path.basename(folder);
  const problems: ErrorDetail[] = [];
  const item = await readJson(path.join(folder, 'item.json'), 'item.json', problems);
  const formSchema = await readJson(path.join(folder, 'form.schema.json'), 'form.schema.json', problems);
  const uiFile = path.join(folder, 'form.ui.json');
  const uiSchema = (await exists(uiFile)) ? await readJson(uiFile, 'form.ui.json', problems) : {};
  let bpmnXml = '';
  try {
    bpmnXml = await readFile(path.join(folder, 'process.bpmn'), 'utf8');
  } catch {
    problems.push({ path: 'process.bpmn', message: 'file is missing' });
  }

  const taskForms: Record<string, TaskForm> = {};
  const taskDir = path.join(folder, 'task-forms');
  let taskFiles: string[] = [];
  try {
    taskFiles = (await readdir(taskDir)).sort();
  } catch {
    // No task forms: fine.
  }
  for (const file of taskFiles) {
    const m = /^(.+)\.schema\.json$/.exec(file);
    if (!m) {
      if (!/\.ui\.json$/.test(file)) problems.push({ path: `task-forms/${file}`, message: 'unexpected file' });
      continue;
    }
    const schema = await readJson(path.join(taskDir, file), `task-forms/${file}`, problems);
    const uiName = `${m[1]}.ui.json`;
    const ui = taskFiles.includes(uiName)
      ? await readJson(path.join(taskDir, uiName), `task-forms/${uiName}`, problems)
      : {};
    if (schema) taskForms[m[1]] = { schema, uiSchema: ui ?? {} };
  }
  for (const file of taskFiles) {
    const m = /^(.+)\.ui\.json$/.exec(file);
    if (m && !taskFiles.includes(`${m[1]}.schema.json`)) {
      problems.push({ path: `task-forms/${file}`, message: `no ${m[1]}.schema.json beside it` });
    }
  }
  if (problems.length || !item || !formSchema) return { ok: false, problems };

  if (item.key !== undefined && item.key !== key) {
    problems.push({ path: 'item.json/key', message: `must equal the folder name "${key}"` });
  }
  const { key: _ignored, ...metadata } = item;
  const input = { key, ...metadata, formSchema, uiSchema, bpmnXml, taskForms };
  for (const d of checkDefinitionShape(input, lang)) {
    problems.push({ path: `item.json${d.path}`, message: d.message });
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, input: input as DefinitionInput };
}

/** The definition folders under `dir` (sub-folders holding an item.json), sorted by name. */
export async function listDefinitionFolders(dir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return [];
  }
  const folders: string[] = [];
  for (const name of entries.sort()) {
    const full = path.join(dir, name);
    if ((await stat(full)).isDirectory() && (await exists(path.join(full, 'item.json')))) folders.push(full);
  }
  return folders;
}

/**
 * Exported item files (`<key>….minflow.json`, format minflow.item/1, see exchange.ts) lying directly in
 * `dir`: an item shared by another city can be dropped into definitions/ as it was downloaded.
 */
export async function listItemFiles(dir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const name of entries.sort()) {
    const full = path.join(dir, name);
    if (name.endsWith('.minflow.json') && (await exists(full))) files.push(full);
  }
  return files;
}

/** Reads one exported item file into a definition input (shape-checked, like a folder). */
export async function loadItemFile(file: string, lang: Lang = 'en'): Promise<FolderResult> {
  const name = path.basename(file);
  const problems: ErrorDetail[] = [];
  const value = await readJson(file, name, problems);
  if (!value) return { ok: false, problems };
  if (value.format !== ITEM_FILE_FORMAT) {
    return { ok: false, problems: [{ path: `${name}/format`, message: `must be "${ITEM_FILE_FORMAT}"` }] };
  }
  const input = fromItemFile(value as unknown as ItemFile);
  for (const d of checkDefinitionShape(input, lang)) problems.push({ path: `${name}${d.path}`, message: d.message });
  if (problems.length) return { ok: false, problems };
  return { ok: true, input };
}
