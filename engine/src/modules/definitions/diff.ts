import type { ParsedBpmn } from '../../bpmn/parse.js';
import { compileBpmn, type NodeModel } from '../../runtime/index.js';
import { canonicalJson, type DefinitionContent, type JsonObject } from './model.js';

/**
 * A semantic diff of two versions of an item, as an admin reads it: which form fields were added,
 * removed or changed (by field path and label, with the keywords that changed), which task forms,
 * which flow elements (by id and name, with the attributes that changed) and which item settings.
 * Layout (diagram coordinates), key order and whitespace are not differences.
 */

export interface Change {
  /** The keyword or attribute, e.g. `minimum`, `ui:widget`, `roles`, `condition`. */
  attribute: string;
  from: unknown;
  to: unknown;
}

export interface FieldDiff {
  path: string;
  label: string | null;
  change: 'added' | 'removed' | 'changed';
  changes: Change[];
}

export interface ElementDiff {
  id: string;
  name: string | null;
  type: string;
  change: 'added' | 'removed' | 'changed';
  changes: Change[];
}

export interface TaskFormDiff {
  key: string;
  change: 'added' | 'removed' | 'changed';
  fields: FieldDiff[];
}

export interface DefinitionDiff {
  item: Change[];
  form: FieldDiff[];
  taskForms: TaskFormDiff[];
  flow: ElementDiff[];
  /** True when nothing above differs. */
  same: boolean;
}

const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

interface FieldInfo {
  label: string | null;
  attrs: Record<string, unknown>;
}

const NESTED = new Set(['properties', 'items', 'allOf', 'anyOf', 'oneOf', 'if', 'then', 'else', 'required']);

/**
 * Every field of a form schema by path (`/household/members/name`): its own keywords (not the
 * nested fields), whether it is required, the rule it depends on (`allOf[i].if`), and its uiSchema
 * options (`ui:widget`, ...). Conditional fields under `allOf[i].then.properties` keep their plain path.
 */
export function formFields(schema: JsonObject, uiSchema: JsonObject = {}): Map<string, FieldInfo> {
  const out = new Map<string, FieldInfo>();
  const walk = (node: JsonObject, ui: JsonObject, base: string, condition: unknown) => {
    const required = new Set(Array.isArray(node.required) ? (node.required as string[]) : []);
    const props = (node.properties ?? {}) as Record<string, JsonObject>;
    for (const [name, prop] of Object.entries(props)) {
      if (!prop || typeof prop !== 'object') continue;
      const path = `${base}/${name}`;
      const fieldUi = (ui[name] ?? {}) as JsonObject;
      const attrs: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(prop)) if (!NESTED.has(k)) attrs[k] = v;
      if (required.has(name)) attrs.required = true;
      if (condition !== undefined) attrs.condition = condition;
      for (const [k, v] of Object.entries(fieldUi)) if (k.startsWith('ui:')) attrs[k] = v;
      const existing = out.get(path);
      out.set(path, {
        label: (prop.title as string | undefined) ?? existing?.label ?? null,
        attrs: existing ? { ...existing.attrs, ...attrs } : attrs,
      });
      if (prop.properties) walk(prop, fieldUi, path, undefined);
      const items = prop.items as JsonObject | undefined;
      if (items && typeof items === 'object' && items.properties) {
        walk(items, (fieldUi.items ?? {}) as JsonObject, `${path}[]`, undefined);
      }
    }
    for (const part of (node.allOf ?? []) as JsonObject[]) {
      if (!part || typeof part !== 'object') continue;
      if (part.then && typeof part.then === 'object') walk(part.then as JsonObject, ui, base, part.if ?? null);
      if (part.else && typeof part.else === 'object') walk(part.else as JsonObject, ui, base, { not: part.if ?? null });
    }
  };
  walk(schema, uiSchema, '', undefined);
  return out;
}

function attrChanges(a: Record<string, unknown>, b: Record<string, unknown>): Change[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.filter((k) => !same(a[k], b[k])).map((k) => ({ attribute: k, from: a[k] ?? null, to: b[k] ?? null }));
}

export function diffForms(
  a: { schema: JsonObject; uiSchema?: JsonObject },
  b: { schema: JsonObject; uiSchema?: JsonObject },
): FieldDiff[] {
  const fa = formFields(a.schema, a.uiSchema ?? {});
  const fb = formFields(b.schema, b.uiSchema ?? {});
  const out: FieldDiff[] = [];
  for (const [path, f] of fa) {
    const g = fb.get(path);
    if (!g) out.push({ path, label: f.label, change: 'removed', changes: [] });
    else {
      const changes = attrChanges(f.attrs, g.attrs);
      if (changes.length) out.push({ path, label: g.label ?? f.label, change: 'changed', changes });
    }
  }
  for (const [path, g] of fb) if (!fa.has(path)) out.push({ path, label: g.label, change: 'added', changes: [] });
  // The field order (ui:order) is a change of the form, reported on the root.
  const orderA = a.uiSchema?.['ui:order'];
  const orderB = b.uiSchema?.['ui:order'];
  if (!same(orderA, orderB)) {
    out.push({
      path: '',
      label: null,
      change: 'changed',
      changes: [{ attribute: 'ui:order', from: orderA ?? null, to: orderB ?? null }],
    });
  }
  return out;
}

interface ElementInfo {
  name: string | null;
  type: string;
  attrs: Record<string, unknown>;
}

/** The flow's elements by id with their executable meaning (the compiled model), not their layout. */
export function flowElements(bpmn: ParsedBpmn): Map<string, ElementInfo> {
  const model = compileBpmn(bpmn);
  const out = new Map<string, ElementInfo>();
  for (const node of Object.values(model.nodes)) {
    const { id, name, type, incoming: _i, outgoing: _o, upstream: _u, ...rest } = node as NodeModel;
    const attrs: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(rest)) {
      if (v === undefined) continue;
      if ((k === 'userTask' || k === 'job') && v && typeof v === 'object') {
        for (const [kk, vv] of Object.entries(v as JsonObject)) attrs[kk] = vv;
      } else attrs[k] = v;
    }
    out.set(id, { name, type, attrs });
  }
  for (const flow of Object.values(model.flows)) {
    const { id, name, ...attrs } = flow;
    out.set(id, { name, type: 'sequenceFlow', attrs });
  }
  return out;
}

export function diffFlows(a: ParsedBpmn, b: ParsedBpmn): ElementDiff[] {
  const ea = flowElements(a);
  const eb = flowElements(b);
  const out: ElementDiff[] = [];
  for (const [id, e] of ea) {
    const f = eb.get(id);
    if (!f) out.push({ id, name: e.name, type: e.type, change: 'removed', changes: [] });
    else {
      const changes = attrChanges(
        { ...e.attrs, name: e.name, type: e.type },
        { ...f.attrs, name: f.name, type: f.type },
      );
      if (changes.length) out.push({ id, name: f.name ?? e.name, type: f.type, change: 'changed', changes });
    }
  }
  for (const [id, f] of eb) if (!ea.has(id)) out.push({ id, name: f.name, type: f.type, change: 'added', changes: [] });
  return out;
}

export function diffDefinitions(
  a: DefinitionContent,
  b: DefinitionContent,
  bpmnA: ParsedBpmn,
  bpmnB: ParsedBpmn,
): DefinitionDiff {
  const item = attrChanges(
    {
      name: a.name,
      category: a.category,
      description: a.description,
      startLevels: a.startLevels,
      computed: a.computed,
    },
    {
      name: b.name,
      category: b.category,
      description: b.description,
      startLevels: b.startLevels,
      computed: b.computed,
    },
  );
  const form = diffForms(
    { schema: a.formSchema, uiSchema: a.uiSchema },
    { schema: b.formSchema, uiSchema: b.uiSchema },
  );
  const taskForms: TaskFormDiff[] = [];
  const ta = a.taskForms ?? {};
  const tb = b.taskForms ?? {};
  for (const key of [...new Set([...Object.keys(ta), ...Object.keys(tb)])].sort()) {
    const x = ta[key];
    const y = tb[key];
    if (!y) taskForms.push({ key, change: 'removed', fields: [] });
    else if (!x) taskForms.push({ key, change: 'added', fields: [] });
    else {
      const fields = diffForms(x, y);
      if (fields.length) taskForms.push({ key, change: 'changed', fields });
    }
  }
  const flow = diffFlows(bpmnA, bpmnB);
  return {
    item,
    form,
    taskForms,
    flow,
    same: !item.length && !form.length && !taskForms.length && !flow.length,
  };
}
