import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { flowTemplate } from '../src/flow/templates';
import { serviceTasks } from '../src/lifecycle/service-tasks';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('service tasks offered for simulated results', () => {
  it('lists the service tasks of a diagram by id and name', () => {
    const xml = fs.readFileSync(path.join(root, 'definitions', 'dibao-rural', 'process.bpmn'), 'utf8');
    const found = serviceTasks(xml);
    expect(found.length).toBeGreaterThan(0);
    for (const s of found) expect(xml).toContain(`id="${s.id}"`);
    expect(found.every((s) => s.name)).toBe(true);
  });

  it('finds none in a flow of user tasks only', () => {
    expect(serviceTasks(flowTemplate('simple', 'x-y'))).toEqual([]);
  });
});
