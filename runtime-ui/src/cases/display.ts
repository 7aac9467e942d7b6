/** Form data as a person reads it on screen and on paper: field titles instead of keys, 是/否, option titles. */
import { addressText, isAddressValue } from '@minflow/sdk/address';

type Schema = {
  type?: string | string[];
  title?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  oneOf?: { const?: unknown; title?: string }[];
  anyOf?: { const?: unknown; title?: string }[];
  enum?: unknown[];
  format?: string;
};

export interface DisplayRow {
  /** Field titles from the form's root down (申请人 / 姓名). */
  path: string[];
  value: string;
}

export function displayValue(schema: Schema | undefined, value: unknown, yesNo: [string, string]): string {
  if (value === null || value === undefined || value === '') return '';
  const options = schema?.oneOf ?? schema?.anyOf;
  if (options?.some((o) => 'const' in o)) {
    const hit = options.find((o) => o.const === value);
    if (hit?.title) return hit.title;
  }
  if (typeof value === 'boolean') return value ? yesNo[0] : yesNo[1];
  if (Array.isArray(value)) return value.map((v) => displayValue(schema?.items, v, yesNo)).join('、');
  // An address (minflow-address) is its region and detail, one line.
  if (isAddressValue(value)) return addressText(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Every filled leaf of the data, in the schema's order (then any field the schema does not name),
 * with the titles of its parents. Arrays of objects are numbered (家庭成员 1 / 姓名).
 */
export function flattenForDisplay(
  schema: Schema | undefined,
  data: unknown,
  yesNo: [string, string],
  order?: Record<string, unknown>,
  path: string[] = [],
): DisplayRow[] {
  const rows: DisplayRow[] = [];
  if (data === null || data === undefined) return rows;
  // A list of files (附件) is one line of file names, as on the paper form's 附件 line.
  if (Array.isArray(data) && data.length > 0 && data.every(isFileValue)) {
    rows.push({ path, value: data.map((f) => f.name).join('、') });
    return rows;
  }
  if (Array.isArray(data) && data.some((d) => d && typeof d === 'object')) {
    data.forEach((d, i) => {
      rows.push(
        ...flattenForDisplay(schema?.items, d, yesNo, order, [...path.slice(0, -1), `${path.at(-1) ?? ''} ${i + 1}`]),
      );
    });
    return rows;
  }
  if (isAddressValue(data)) {
    const value = addressText(data);
    if (value) rows.push({ path, value });
    return rows;
  }
  if (typeof data === 'object' && !Array.isArray(data)) {
    const obj = data as Record<string, unknown>;
    const props = schema?.properties ?? {};
    const uiOrder = Array.isArray(order?.['ui:order']) ? (order['ui:order'] as string[]) : [];
    const keys = [
      ...uiOrder.filter((k) => k in obj),
      ...Object.keys(props).filter((k) => !uiOrder.includes(k) && k in obj),
      ...Object.keys(obj).filter((k) => !(k in props) && !uiOrder.includes(k)),
    ];
    for (const k of keys) {
      const sub = props[k];
      rows.push(
        ...flattenForDisplay(sub, obj[k], yesNo, (order?.[k] as Record<string, unknown>) ?? undefined, [
          ...path,
          sub?.title ?? k,
        ]),
      );
    }
    return rows;
  }
  const value = displayValue(schema, data, yesNo);
  if (value !== '') rows.push({ path, value });
  return rows;
}

function isFileValue(v: unknown): v is { name: string } {
  const o = v as Record<string, unknown> | null;
  return !!o && typeof o === 'object' && typeof o.name === 'string' && typeof o.url === 'string' && 'contentType' in o;
}

/** The title of a top-level field (for "修改了 居住情况"). */
export function fieldTitle(schema: Schema | undefined, field: string): string {
  return schema?.properties?.[field]?.title ?? field;
}
