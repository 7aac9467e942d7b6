import type { ComputedDecl } from '../cases/computed';
import type { Lang } from '../i18n/messages';

/** A text the engine may give in both languages (`{ zh, en? }`) or as one plain string. */
export type LocalizedText = string | { zh: string; en?: string };

export function localized(text: LocalizedText | null | undefined, lang: Lang): string {
  if (text == null) return '';
  if (typeof text === 'string') return text;
  return (lang === 'en' ? text.en : undefined) || text.zh || text.en || '';
}

export const CATEGORIES = [
  'social-assistance',
  'special-care',
  'grassroots-democracy',
  'social-welfare',
  'social-affairs',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** One row of `GET /api/items`: a published item the caller may start. */
export interface ItemSummary {
  key: string;
  name: { zh: string; en?: string };
  category: Category | string;
  description?: LocalizedText;
  version: number;
}

export interface TaskForm {
  schema: Record<string, unknown>;
  uiSchema?: Record<string, unknown>;
}

/** `GET /api/items/:key`: the published version's form. */
export interface ItemDetail extends ItemSummary {
  formSchema: Record<string, unknown>;
  uiSchema?: Record<string, unknown>;
  taskForms?: Record<string, TaskForm>;
  bpmnXml?: string;
  /** Values the flow computes that approvers see (「核算结果」), by variable path. */
  computed?: ComputedDecl[];
}

export interface OrgUnitRef {
  id: string;
  name: string;
  level?: string;
  /** Names from the city down to this unit (白银市 / 会宁县 / …), when the server gives them. */
  pathNames?: string[];
}

/** The signed-in person as the UI needs them (normalised from `GET /api/auth/me`). */
export interface CurrentUser {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  orgUnit: OrgUnitRef | null;
  /** CASL rules (packed or raw) for hiding what the person may not do; the server decides anyway. */
  rules: unknown[];
}

/** `POST /api/cases` answer (issue 3): the new case with its open tasks. */
export interface CaseCreated {
  id: string;
  itemKey: string;
  status: string;
  openTasks?: { id: string; name?: LocalizedText }[];
}

export type { NoticeEntry, NoticeGroup, NoticeList } from '@minflow/sdk/notices';

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function nameOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') return str((v as { zh?: unknown }).zh) ?? str((v as { en?: unknown }).en);
  return undefined;
}

/**
 * Accepts the `me` answer whether the user's fields sit at the top level or under `user`, and the unit
 * as `orgUnit` object or id + name, so a small change of shape on the server does not log everyone out.
 */
export function normaliseMe(raw: unknown): CurrentUser | null {
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as Record<string, unknown>;
  const u = (r.user && typeof r.user === 'object' ? r.user : r) as Record<string, unknown>;
  const id = str(u.id) ?? str(u._id) ?? str(u.username);
  const username = str(u.username) ?? id;
  if (!id || !username) return null;
  const unitRaw = (r.orgUnit ?? u.orgUnit ?? null) as Record<string, unknown> | null;
  let orgUnit: OrgUnitRef | null = null;
  if (unitRaw && typeof unitRaw === 'object') {
    orgUnit = {
      id: str(unitRaw.id) ?? str(u.orgUnitId) ?? '',
      name: nameOf(unitRaw.name) ?? str(unitRaw.id) ?? '',
      level: str(unitRaw.level),
      pathNames: Array.isArray(unitRaw.path)
        ? unitRaw.path.map((p) => nameOf((p as { name?: unknown })?.name)).filter((n): n is string => Boolean(n))
        : undefined,
    };
  } else if (str(u.orgUnitId)) {
    orgUnit = { id: str(u.orgUnitId)!, name: nameOf(u.orgUnitName) ?? str(u.orgUnitId)!, level: str(u.level) };
  }
  // `roles` may be plain names or `{ role, name }` entries.
  const roles = (Array.isArray(r.roles) ? r.roles : Array.isArray(u.roles) ? u.roles : [])
    .map((x) => (typeof x === 'string' ? x : str((x as { role?: unknown })?.role)))
    .filter((x): x is string => Boolean(x));
  return {
    id,
    username,
    displayName: nameOf(u.displayName) ?? nameOf(u.name) ?? username,
    roles,
    orgUnit,
    rules: Array.isArray(r.rules) ? r.rules : [],
  };
}

export type CaseStatus = 'active' | 'completed' | 'rejected' | 'withdrawn' | 'terminated';

export type ApprovalAction =
  | 'approve'
  | 'reject'
  | 'return'
  | 'transfer'
  | 'delegate'
  | 'resolve'
  | 'addSigner'
  | 'cc'
  | 'comment';

/** An open task of a case (`openTasks[]`) or an inbox row (`GET /api/tasks`; fewer fields). */
export interface TaskInfo {
  id: string;
  caseId: string;
  itemKey?: string;
  itemName?: LocalizedText;
  elementId: string;
  name: string | null;
  /** `task`, `correction` (补正 by the applicant), `signer-before` / `signer-after` (加签). */
  kind?: string;
  candidateRoles?: string[];
  level?: string | null;
  assignee: string | null;
  owner?: string | null;
  dueAt: string | null;
  overdue?: boolean;
  createdAt?: string;
  status?: 'open' | 'closed';
  closedAt?: string | null;
  form?: string | null;
  editable?: string[];
  actions?: ApprovalAction[];
  applicantName?: string | null;
  suspended?: boolean;
  delegation?: string | null;
}

/** A 抄送 (or other notice) row of the cc box. */
export interface NoticeRow {
  id: string;
  kind: string;
  caseId: string;
  taskId: string;
  elementId?: string;
  by?: string | null;
  at: string;
  itemKey?: string;
  itemName?: LocalizedText;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface HistoryEntry {
  seq: number;
  at: string;
  type: string;
  elementId?: string;
  taskId?: string;
  userId?: string;
  action?: string;
  comment?: string | null;
  to?: string | string[];
  data?: Record<string, unknown>;
  changes?: { field: string; from?: unknown; to?: unknown }[];
  message?: string;
  status?: string;
}

/** `GET /api/cases/:id` (history, incidents and variables only on the single-case read). */
export interface CaseDetail {
  id: string;
  itemKey: string;
  itemName?: LocalizedText;
  version: number;
  definitionVersion?: number;
  status: CaseStatus;
  data: Record<string, unknown>;
  variables?: Record<string, unknown>;
  orgUnitId: string;
  orgPath?: string[];
  applicantName?: string | null;
  createdBy?: string;
  createdAt?: string;
  updatedAt?: string;
  endedAt?: string | null;
  outcome?: { reason?: string | null; userId?: string | null; elementId?: string | null } | null;
  openTasks: TaskInfo[];
  history?: HistoryEntry[];
  incidents?: { id: string; elementId: string; message: string; createdAt: string }[];
}

/** `GET /api/users` row (only what the pickers need). */
export interface UserRow {
  id: string;
  username: string;
  displayName: string;
  orgUnitId: string;
  roles: string[];
  disabled: boolean;
}
