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

type Ui = Record<string, unknown> | undefined;
/** A uiSchema node as an object (undefined for anything else). */
export const uiObj = (v: unknown): Ui =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/**
 * A value as text; `ui` is the field's uiSchema node, whose option labels (`oneOf[i]['ui:title']`,
 * `ui:enumNames`, e.g. English ones from `localizeUiSchema`) win over the schema's.
 */
export function displayValue(schema: Schema | undefined, value: unknown, yesNo: [string, string], ui?: Ui): string {
  if (value === null || value === undefined || value === '') return '';
  const alt = schema?.oneOf ? 'oneOf' : schema?.anyOf ? 'anyOf' : null;
  const options = alt ? schema?.[alt] : undefined;
  if (alt && options?.some((o) => 'const' in o)) {
    const i = options.findIndex((o) => o.const === value);
    const uiTitle = Array.isArray(ui?.[alt]) ? uiObj((ui[alt] as unknown[])[i])?.['ui:title'] : undefined;
    if (i >= 0 && typeof uiTitle === 'string' && uiTitle) return uiTitle;
    if (options[i]?.title) return options[i].title as string;
  }
  const names = ui?.['ui:enumNames'];
  if (schema?.enum && Array.isArray(names)) {
    const label = names[schema.enum.indexOf(value)];
    if (typeof label === 'string' && label) return label;
  }
  if (typeof value === 'boolean') return value ? yesNo[0] : yesNo[1];
  if (Array.isArray(value))
    return value.map((v) => displayValue(schema?.items, v, yesNo, uiObj(ui?.items) ?? ui)).join('、');
  // An address (minflow-address) is its region and detail, one line.
  if (isAddressValue(value)) return addressText(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Every filled leaf of the data, in the schema's order (then any field the schema does not name),
 * with the titles of its parents. Arrays of objects are numbered (家庭成员 1 / 姓名). `order` is the
 * uiSchema: its `ui:order`, and its `ui:title`s and option labels (pass `localizeUiSchema(ui, schema,
 * lang)` for the English texts of `ui:i18n`).
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
        ...flattenForDisplay(schema?.items, d, yesNo, uiObj(order?.items) ?? order, [
          ...path.slice(0, -1),
          `${path.at(-1) ?? ''} ${i + 1}`,
        ]),
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
      const ui = uiObj(order?.[k]);
      const uiTitle = ui?.['ui:title'];
      const title = typeof uiTitle === 'string' && uiTitle ? uiTitle : (sub?.title ?? k);
      rows.push(...flattenForDisplay(sub, obj[k], yesNo, ui, [...path, title]));
    }
    return rows;
  }
  const value = displayValue(schema, data, yesNo, order);
  if (value !== '') rows.push({ path, value });
  return rows;
}

function isFileValue(v: unknown): v is { name: string } {
  const o = v as Record<string, unknown> | null;
  return !!o && typeof o === 'object' && typeof o.name === 'string' && typeof o.url === 'string' && 'contentType' in o;
}

/** The title of a top-level field (for "修改了 居住情况"); `ui`: the form's uiSchema (its `ui:title` wins). */
export function fieldTitle(schema: Schema | undefined, field: string, ui?: Record<string, unknown>): string {
  const uiTitle = uiObj(ui?.[field])?.['ui:title'];
  if (typeof uiTitle === 'string' && uiTitle) return uiTitle;
  return schema?.properties?.[field]?.title ?? field;
}
