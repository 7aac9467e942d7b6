import type { Lang } from '../i18n/messages';

export type ComputedFormat = 'money' | 'number' | 'text' | 'boolean' | 'date';

/** One declared computed value of an item (item.json `computed`, on `GET /api/items/:key`). */
export interface ComputedDecl {
  path: string;
  title: { zh: string; en?: string };
  format?: ComputedFormat;
}

export interface ComputedRow {
  path: string;
  title: string;
  text: string;
}

/** The value at a dotted variable path, or undefined. */
export function valueAt(variables: Record<string, unknown> | undefined, path: string): unknown {
  let node: unknown = variables;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

const grouped = (n: number, digits: number) =>
  n.toLocaleString('zh-CN', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** How a computed value is shown: money ¥1,185.00, booleans 是/否 (Yes/No), dates YYYY-MM-DD. */
export function formatComputed(value: unknown, format: ComputedFormat | undefined, lang: Lang): string {
  const num =
    typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  switch (format) {
    case 'money':
      if (Number.isFinite(num)) return `¥${grouped(num, 2)}`;
      break;
    case 'number':
      if (Number.isFinite(num)) return num.toLocaleString('zh-CN', { maximumFractionDigits: 4 });
      break;
    case 'boolean':
      if (typeof value === 'boolean') return value ? (lang === 'en' ? 'Yes' : '是') : lang === 'en' ? 'No' : '否';
      break;
    case 'date':
      if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) return value.slice(0, 10);
      break;
    default:
      break;
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * The declared values present in the case's variables, in declaration order. A value the engine
 * masked for this person (income and health data come as null) or one not computed yet is left out.
 */
export function computedRows(
  decls: ComputedDecl[] | undefined,
  variables: Record<string, unknown> | undefined,
  lang: Lang,
): ComputedRow[] {
  const rows: ComputedRow[] = [];
  for (const d of decls ?? []) {
    const value = valueAt(variables, d.path);
    if (value === undefined || value === null) continue;
    const title = (lang === 'en' ? d.title.en : undefined) || d.title.zh;
    rows.push({ path: d.path, title, text: formatComputed(value, d.format, lang) });
  }
  return rows;
}
