import { validateFormData } from '../modules/definitions/form-data.js';
import type { JsonObject } from '../modules/definitions/model.js';
import type { Rng } from './people.js';

/**
 * Task-form data for the demo cases, generated from the task form's JSON Schema the way a
 * reviewer fills it in: dates of the day, positive findings, opinions in Chinese, amounts taken
 * from what the flow computed (`monthlyAmount`, `amount`, ...). The result is validated against
 * the form; missing properties an if/then asks for are added until it passes (or give up: null).
 */
export interface TaskDataContext {
  rng: Rng;
  /** Beijing date of the action, YYYY-MM-DD. */
  today: string;
  /** The case data and variables: computed amounts are looked up here. */
  values: Record<string, unknown>;
}

const NEGATIVE_BOOLEAN = /conflict|requestsReview|objection|unlawful|already|dispute/i;
const POSITIVE_ENUM = [
  'meets',
  'approve',
  'approved',
  'eligible',
  'confirmed',
  'lawful',
  'satisfied',
  'verified',
  'agree',
  'grant',
  'resolved',
  'same',
  'upheld',
  'complete',
];
const TEXT: Array<[RegExp, string[]]> = [
  [/opinion/i, ['情况属实，同意。', '经审核，材料齐全，符合条件，同意。', '核查无误，予以同意。']],
  [/explanation|finding|findings|reason/i, ['经入户核实，情况属实。', '经核实，申报情况与实际相符。']],
  [/livingConditions/i, ['砖混平房三间，家中陈设简陋，主要收入来源为务农。', '土坯房两间，生活困难。']],
  [/instructions/i, ['请于规定时限内调查核实并答复。']],
  [/note|summary|consultationSummary/i, ['已按要求办理。', '无异议。']],
  [/reply|result|investigation/i, ['经调查核实，已协调解决并答复当事人。']],
  [/Number$|number$|No$/, ['']],
];

function text(name: string, rng: Rng): string {
  for (const [re, options] of TEXT) if (re.test(name)) return rng.pick(options);
  return '已核实';
}

/** The first number found under a key matching `re` anywhere in `values` (depth-first). */
function findNumber(values: unknown, re: RegExp, depth = 0): number | null {
  if (!values || typeof values !== 'object' || depth > 6) return null;
  for (const [k, v] of Object.entries(values)) {
    if (typeof v === 'number' && re.test(k)) return v;
  }
  for (const v of Object.values(values)) {
    const found = findNumber(v, re, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

function nextMonth(today: string): string {
  const [y, m] = today.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

function docNumber(prefix: string, today: string, rng: Rng): string {
  return `${prefix}〔${today.slice(0, 4)}〕${rng.int(1, 320)}号`;
}

/** The first value under the key `name` anywhere in `values` (what the flow computed, e.g. `eligibility.ageBand`). */
function findValue(values: unknown, name: string, depth = 0): unknown {
  if (!name || !values || typeof values !== 'object' || depth > 6) return undefined;
  if (name in (values as Record<string, unknown>)) return (values as Record<string, unknown>)[name];
  for (const v of Object.values(values)) {
    const found = findValue(v, name, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function generate(schema: JsonObject, name: string, ctx: TaskDataContext, all: boolean): unknown {
  const s = schema as Record<string, unknown>;
  if (s.const !== undefined) return s.const;
  const options = Array.isArray(s.enum)
    ? (s.enum as unknown[])
    : Array.isArray(s.oneOf) && (s.oneOf as JsonObject[]).every((o) => (o as { const?: unknown }).const !== undefined)
      ? (s.oneOf as Array<{ const: unknown }>).map((o) => o.const)
      : null;
  if (options) {
    // A choice the flow already computed (the age band from the ID number) is confirmed as computed.
    const computed = findValue(ctx.values, name);
    if (options.includes(computed)) return computed;
    return options.find((v) => POSITIVE_ENUM.includes(String(v))) ?? options[0];
  }
  const type = Array.isArray(s.type) ? (s.type as string[]).find((t) => t !== 'null') : (s.type as string);
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const props = (s.properties ?? {}) as Record<string, JsonObject>;
      const required = new Set((s.required as string[]) ?? []);
      for (const [key, sub] of Object.entries(props)) {
        if (required.has(key) || (all && (sub as { type?: string }).type !== 'array')) {
          out[key] = generate(sub, key, ctx, all);
        }
      }
      return out;
    }
    case 'array': {
      const items = (s.items ?? {}) as JsonObject;
      const min = Math.max(1, (s.minItems as number) ?? 1);
      const n = Math.min(min + (min < 2 ? 1 : 0), (s.maxItems as number) ?? 10);
      const oneOf = (items as { oneOf?: Array<{ const?: unknown }> }).oneOf;
      const itemEnum =
        (items as { enum?: unknown[] }).enum ??
        (oneOf?.every((o) => o.const !== undefined) ? oneOf.map((o) => o.const) : undefined);
      if (itemEnum) return itemEnum.slice(0, Math.min(n, itemEnum.length));
      return Array.from({ length: n }, () => generate(items, name.replace(/s$/, ''), ctx, all));
    }
    case 'boolean':
      return !NEGATIVE_BOOLEAN.test(name);
    case 'integer':
    case 'number': {
      const min = (s.minimum as number) ?? 0;
      const max = (s.maximum as number) ?? Number.MAX_SAFE_INTEGER;
      let value: number;
      if (/amount|Amount/.test(name)) value = findNumber(ctx.values, /^(monthlyAmount|amount|total|monthly)$/) ?? 500;
      else if (/attendees/.test(name)) value = ctx.rng.int(7, 15);
      else if (/objections|Received/.test(name)) value = 0;
      else if (/Grade|grade/.test(name)) value = findNumber(ctx.values, /grade|Grade/) ?? 6;
      else if (/income|Income|OutOfPocket|loss|Loss/.test(name))
        value =
          findNumber(ctx.values, new RegExp(`^${name}$`)) ?? findNumber(ctx.values, /income|Income|outOfPocket/) ?? 0;
      else if (/size|Size/.test(name)) value = 1_000;
      else value = min;
      return Math.min(max, Math.max(min, type === 'integer' ? Math.round(value) : value));
    }
    case 'string': {
      const format = s.format as string | undefined;
      const pattern = s.pattern as string | undefined;
      if (format === 'date') return ctx.today;
      if (format === 'date-time') return `${ctx.today}T02:00:00.000Z`;
      if (pattern?.includes('\\d{4}-') || /Month$/.test(name)) return nextMonth(ctx.today);
      if (/name$|Name$/.test(name) && !/bankName|handlerUnit/.test(name)) return '王建国';
      if (/url$/.test(name)) return '/files/demo.jpg';
      if (/contentType/.test(name)) return 'image/jpeg';
      if (/Number$|number$|No$/.test(name)) return docNumber('会民发', ctx.today, ctx.rng);
      if (/hospital|Hospital/.test(name)) return '白银市第一人民医院';
      if (/handlerUnit/.test(name)) return '会师镇民政所';
      if (/channels|location/i.test(name)) return '村务公开栏';
      if (/method/i.test(name)) return '入户核实';
      if (/field/.test(name)) return '地名学';
      const value = text(name, ctx.rng);
      const minLength = (s.minLength as number) ?? 0;
      return value.length >= minLength ? value : value.padEnd(minLength, '。');
    }
    default:
      return null;
  }
}

function setAt(target: Record<string, unknown>, pointer: string, value: unknown): void {
  const parts = pointer.split('/').filter(Boolean);
  let node: Record<string, unknown> = target;
  for (const part of parts.slice(0, -1)) node = node[part] as Record<string, unknown>;
  node[parts.at(-1) as string] = value;
}

function schemaAt(schema: JsonObject, pointer: string): JsonObject | null {
  let node = schema as Record<string, unknown>;
  for (const part of pointer.split('/').filter(Boolean)) {
    const next = /^\d+$/.test(part)
      ? (node.items as Record<string, unknown> | undefined)
      : ((node.properties as Record<string, unknown> | undefined)?.[part] as Record<string, unknown> | undefined);
    if (!next) return null;
    node = next;
  }
  return node as JsonObject;
}

/** Valid data for a task form, or null when the generator cannot satisfy it (the caller reports it). */
export function taskFormData(schema: JsonObject, ctx: TaskDataContext): Record<string, unknown> | null {
  let data = generate(schema, '', ctx, false) as Record<string, unknown>;
  for (let round = 0; round < 6; round++) {
    const problems = validateFormData(schema, data, 'en');
    if (!problems.length) return data;
    if (round === 2) data = generate(schema, '', ctx, true) as Record<string, unknown>;
    for (const p of problems) {
      const missing = /must have required property '([^']+)'/.exec(p.message);
      if (missing) {
        const pointer = p.path.endsWith(`/${missing[1]}`) ? p.path : `${p.path}/${missing[1]}`;
        const sub = schemaAt(schema, pointer);
        if (sub) setAt(data, pointer, generate(sub, missing[1], ctx, true));
      }
    }
  }
  return validateFormData(schema, data, 'en').length ? null : data;
}
