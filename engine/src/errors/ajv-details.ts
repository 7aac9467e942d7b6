import { createRequire } from 'node:module';
import { formatErrorMessage } from '@minflow/sdk/formats';
import { keywordErrorMessage } from '@minflow/sdk/keywords';
import type { ErrorObject } from 'ajv';
import type { Lang } from './registry.js';
import type { ErrorDetail } from './types.js';

// ajv-i18n is CommonJS whose typings claim an ES default export; load it as what it is.
const localizeZh = createRequire(import.meta.url)('ajv-i18n/localize/zh') as (errors: ErrorObject[]) => void;

/**
 * Turns ajv errors into `{ path, message }` details in the caller's language. `path` is a JSON
 * pointer to the offending value; for `required` and `additionalProperties` it names the
 * missing or unexpected property itself, so a form can put the message at that field.
 */
export function ajvErrorsToDetails(errors: ErrorObject[] | null | undefined, lang: Lang, prefix = ''): ErrorDetail[] {
  if (!errors?.length) return [];
  // ajv-i18n rewrites `message` in place: work on copies so the caller's errors stay in English.
  const copies = errors.map((e) => ({ ...e }));
  if (lang === 'zh-CN') localizeZh(copies);
  const seen = new Set<string>();
  const details: ErrorDetail[] = [];
  for (const e of copies) {
    let path = e.instancePath;
    const params = e.params as Record<string, unknown>;
    if (e.keyword === 'required' && typeof params.missingProperty === 'string') {
      path += `/${escapePointer(params.missingProperty)}`;
    } else if (e.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
      path += `/${escapePointer(params.additionalProperty)}`;
    }
    // `if/then` failures repeat the `then` branch's errors; keep the specific ones.
    if (e.keyword === 'if') continue;
    // Minflow's own formats say what is wrong (e.g. 身份证号码校验位不正确); with ajv's `verbose`
    // option `e.data` holds the value and the message names the precise reason.
    const formatMessage =
      e.keyword === 'format' && typeof params.format === 'string'
        ? formatErrorMessage(params.format, lang, e.data)
        : null;
    // Minflow's keywords carry their own message (ajv-i18n knows only the standard keywords).
    const message = formatMessage ?? keywordErrorMessage(e.keyword, lang, params) ?? e.message ?? e.keyword;
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    details.push({ path: prefix + (path || ''), message });
  }
  return details;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
