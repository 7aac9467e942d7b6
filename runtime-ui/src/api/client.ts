import { langStore } from '../i18n/lang-store';
import { translate } from '../i18n/messages';

export interface ErrorDetail {
  path: string;
  message: string;
}

/** An error answered by the engine (`{ code, message, details }`), or a network failure (`status` 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetail[];

  constructor(status: number, code: string, message: string, details: ErrorDetail[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** Nothing was created or changed: the request was refused outright and may be corrected and sent again. */
  get isDefinitiveRefusal(): boolean {
    return this.status >= 400 && this.status < 500 && ![408, 409, 425, 429].includes(this.status);
  }
}

export const NETWORK_ERROR = 'MINFLOW_UI_NETWORK';

type UnauthorizedHandler = () => void;
let onUnauthorized: UnauthorizedHandler | null = null;

/**
 * Called when any request answers 401 (session idle timeout, logout in another tab). The app sends the
 * person to the login page and back to where they were afterwards.
 */
export function setUnauthorizedHandler(handler: UnauthorizedHandler | null): void {
  onUnauthorized = handler;
}

/** For requests not sent through `request()` (an upload's XMLHttpRequest): the session has expired. */
export function notifyUnauthorized(): void {
  onUnauthorized?.();
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Do not treat a 401 as an expired session (the login call and the initial "who am I"). */
  allowAnonymous?: boolean;
}

function isErrorBody(v: unknown): v is { code: string; message: string; details?: ErrorDetail[] } {
  return typeof v === 'object' && v !== null && typeof (v as { code?: unknown }).code === 'string';
}

/** Fetches JSON from the engine with the session cookie and the interface language. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const lang = langStore.get();
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': lang === 'en' ? 'en' : 'zh-CN,zh;q=0.9',
    ...options.headers,
  };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let res: Response;
  try {
    res = await fetch(path, {
      method: options.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (err) {
    if ((err as Error)?.name === 'AbortError') throw err;
    throw new ApiError(0, NETWORK_ERROR, translate(lang, 'common.networkError'));
  }
  const text = await res.text();
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!res.ok) {
    if (res.status === 401 && !options.allowAnonymous) onUnauthorized?.();
    if (isErrorBody(json)) {
      throw new ApiError(res.status, json.code, json.message, Array.isArray(json.details) ? json.details : []);
    }
    const key = res.status >= 500 ? 'common.serverError' : 'common.error';
    throw new ApiError(res.status, `HTTP_${res.status}`, translate(lang, key));
  }
  return json as T;
}

export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>) => request<T>(path, options),
  post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'POST', body: body ?? {} }),
};
