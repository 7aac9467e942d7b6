import { attachmentsErrors } from './codes/attachments.js';
import { authErrors } from './codes/auth.js';
import { casesErrors } from './codes/cases.js';
import { commonErrors } from './codes/common.js';
import { definitionsErrors } from './codes/definitions.js';
import { noticesErrors } from './codes/notices.js';
import { runtimeErrors } from './codes/runtime.js';
import { storeErrors } from './codes/store.js';
import type { ErrorDetail, ErrorSpec } from './types.js';

/** The engine's one error registry, assembled from one table per area. `docs/errors.md` is generated from it. */
export const errorRegistry = {
  ...commonErrors,
  ...storeErrors,
  ...authErrors,
  ...definitionsErrors,
  ...runtimeErrors,
  ...casesErrors,
  ...noticesErrors,
  ...attachmentsErrors,
} as const;

export type ErrorCode = keyof typeof errorRegistry;
export type Lang = 'zh-CN' | 'en';

export function formatMessage(template: string, params: Record<string, unknown> = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export function errorMessage(code: ErrorCode, lang: Lang, params?: Record<string, unknown>): string {
  const spec: ErrorSpec = errorRegistry[code];
  return formatMessage(lang === 'en' ? spec.en : spec.zh, params);
}

/**
 * The only error type thrown across package and module boundaries. The HTTP layer turns it into
 * `{ code, message, details }` in the caller's language.
 */
export class MinflowError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: ErrorDetail[];
  readonly params: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    opts: { details?: ErrorDetail[]; params?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(errorMessage(code, 'en', opts.params), { cause: opts.cause });
    this.name = 'MinflowError';
    this.code = code;
    this.status = errorRegistry[code].status;
    this.details = opts.details ?? [];
    this.params = opts.params ?? {};
  }
}

export function isMinflowError(err: unknown): err is MinflowError {
  return err instanceof MinflowError;
}

/** Picks the response language from Accept-Language; zh-CN unless the client prefers English. */
export function langFromHeader(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'zh-CN';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}
