import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../test/e2e/harness.ts';

/** The largest of the items' forms under definitions/ (by its JSON Schema's size), with who may start it. */
export function largestForm(): { key: string; bytes: number; startLevels: string[] } {
  let best = { key: '', bytes: 0, startLevels: [] as string[] };
  const dir = path.join(repoRoot, 'definitions');
  for (const key of fs.readdirSync(dir)) {
    const schema = path.join(dir, key, 'form.schema.json');
    if (!fs.existsSync(schema)) continue;
    const bytes = JSON.stringify(JSON.parse(fs.readFileSync(schema, 'utf8'))).length;
    const item = JSON.parse(fs.readFileSync(path.join(dir, key, 'item.json'), 'utf8')) as { startLevels?: string[] };
    if (bytes > best.bytes) best = { key, bytes, startLevels: item.startLevels ?? [] };
  }
  return best;
}
