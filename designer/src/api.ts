import { langStore } from './i18n';

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
}

let onUnauthorized: (() => void) | null = null;
export function setUnauthorizedHandler(fn: (() => void) | null): void {
  onUnauthorized = fn;
}

/** JSON over fetch with the session cookie; errors become ApiError with the engine's details. */
export async function request<T>(
  path: string,
  options: { method?: string; body?: unknown; allowAnonymous?: boolean } = {},
): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': langStore.get() === 'en' ? 'en' : 'zh-CN,zh;q=0.9',
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
    });
  } catch {
    throw new ApiError(
      0,
      'MINFLOW_UI_NETWORK',
      langStore.get() === 'en' ? 'Network error; check the connection and retry' : '网络连接失败，请检查网络后重试',
    );
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    if (res.status === 401 && !options.allowAnonymous) onUnauthorized?.();
    const e = (json ?? {}) as { code?: string; message?: string; details?: ErrorDetail[] };
    throw new ApiError(res.status, e.code ?? `HTTP_${res.status}`, e.message ?? res.statusText, e.details ?? []);
  }
  return json as T;
}

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  level: string;
}

export interface LocalizedName {
  zh: string;
  en?: string;
}

export interface DraftSummary {
  key: string;
  name: LocalizedName;
  category: string;
  description: string;
  startLevels: string[];
  version: number;
  publishedVersion: number | null;
  hasUnpublishedChanges: boolean;
  /** Retired: hidden from the catalog, no new cases. */
  retired: boolean;
  updatedAt: string;
  updatedBy: string;
}

export type JsonObject = Record<string, unknown>;

export interface DefinitionContent {
  name: LocalizedName;
  category: string;
  description: string;
  startLevels: string[];
  formSchema: JsonObject;
  uiSchema: JsonObject;
  bpmnXml: string;
  taskForms: Record<string, { schema: JsonObject; uiSchema?: JsonObject }>;
  /** Values the flow computes shown to approvers (「核算结果」); not edited here, kept on save. */
  computed?: Array<{ path: string; title: LocalizedName; format?: string }>;
}

export interface Draft extends DraftSummary, DefinitionContent {}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export async function listAllDrafts(): Promise<DraftSummary[]> {
  const all: DraftSummary[] = [];
  let cursor: string | null = null;
  do {
    const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const page: Page<DraftSummary> = await request(`/api/definitions?limit=100${q}`);
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

export interface VersionSummary {
  key: string;
  version: number;
  name: LocalizedName;
  hash: string;
  publishedAt: string;
  publishedBy: string;
}

export interface Change {
  attribute: string;
  from: unknown;
  to: unknown;
}
export type ChangeKind = 'added' | 'removed' | 'changed';
export interface FieldDiff {
  path: string;
  label: string | null;
  change: ChangeKind;
  changes: Change[];
}
export interface DefinitionDiff {
  from: number | 'draft';
  to: number | 'draft';
  item: Change[];
  form: FieldDiff[];
  taskForms: Array<{ key: string; change: ChangeKind; fields: FieldDiff[] }>;
  flow: Array<{ id: string; name: string | null; type: string; change: ChangeKind; changes: Change[] }>;
  same: boolean;
}

/** The dry run (POST /api/definitions/:key/simulate): the types the engine answers with. */
export type {
  SimulateDecision,
  SimulatedStep,
  SimulateMessage,
  SimulateMessageOffer,
  SimulateOpenTask,
  SimulateRequest,
  SimulateResult,
} from '@minflow/sdk/simulate';

/** An exported item file (format minflow.item/1). */
export interface ItemFile {
  format: string;
  key: string;
  version: number | null;
  [k: string]: unknown;
}

/** Saves JSON as a file download in the browser. */
export function downloadJson(filename: string, value: unknown): void {
  const blob = new Blob([`${JSON.stringify(value, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
