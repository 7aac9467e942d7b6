import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import minflowModdle from '@minflow/sdk/minflow-moddle.json';
import { BpmnModdle } from 'bpmn-moddle';
import { describe, expect, it } from 'vitest';

/**
 * The modeler saves through bpmn-moddle with the minflow descriptor (bpmn-js's saveXML): opening an item
 * and saving it without changes must keep every element, attribute, condition and script.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const keys = fs
  .readdirSync(path.join(root, 'definitions'))
  .filter((k) => fs.existsSync(path.join(root, 'definitions', k, 'process.bpmn')));

type El = Record<string, unknown> & { $type: string; id?: string };

/** Elements, their own properties and references as ids, in a stable order (the semantics of the XML). */
function semantics(element: El, seen = new Set<unknown>()): unknown {
  if (seen.has(element)) return element.id ?? '(cycle)';
  seen.add(element);
  const out: Record<string, unknown> = { $type: element.$type };
  const descriptor = (
    element as unknown as {
      $descriptor: { properties: Array<{ name: string; isReference?: boolean; isMany?: boolean }> };
    }
  ).$descriptor;
  for (const p of descriptor.properties) {
    if (p.name === 'di' || p.name === 'diagrams') continue;
    const v = element[p.name];
    if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    if (p.isReference) out[p.name] = Array.isArray(v) ? v.map((x: El) => x.id) : (v as El).id;
    else if (Array.isArray(v)) out[p.name] = v.map((x) => (typeof x === 'object' && x ? semantics(x as El, seen) : x));
    else if (typeof v === 'object' && v) out[p.name] = semantics(v as El, seen);
    else out[p.name] = v;
  }
  const attrs = (element as { $attrs?: Record<string, string> }).$attrs ?? {};
  const extra = Object.entries(attrs).filter(([k]) => !k.startsWith('xmlns'));
  if (extra.length) out.$attrs = Object.fromEntries(extra);
  return out;
}

describe('open and save without changes keeps the semantics (every item under definitions/)', () => {
  it('finds the items', () => {
    expect(keys).toContain('elderly-allowance');
  });
  for (const key of keys) {
    it(key, async () => {
      const xml = fs.readFileSync(path.join(root, 'definitions', key, 'process.bpmn'), 'utf8');
      const moddle = new BpmnModdle({ minflow: minflowModdle });
      const first = await moddle.fromXML(xml);
      expect(first.warnings.map((w: { message: string }) => w.message)).toEqual([]);
      const { xml: saved } = await moddle.toXML(first.rootElement, { format: true });
      const second = await new BpmnModdle({ minflow: minflowModdle }).fromXML(saved);
      expect(second.warnings).toEqual([]);
      const processes = (r: El) => (r.rootElements as El[]).filter((e) => e.$type === 'bpmn:Process');
      expect(processes(second.rootElement).map((p) => semantics(p))).toEqual(
        processes(first.rootElement).map((p) => semantics(p)),
      );
      expect(saved).toContain('xmlns:minflow="http://minflow.dev/schema/bpmn/1.0"');
    });
  }
});
