import type { Level } from '../../infra/auth/types.js';
import type { StoredDoc } from '../../infra/store/port.js';
import type { InstanceState, TaskState } from '../../runtime/index.js';

export const CASES = 'cases';
export const TASKS = 'tasks';
export const USER_NOTICES = 'user_notices';

/**
 * A case: ONE document holding the application data and the whole process instance (tokens, open
 * tasks, timers, jobs, history), so each transition is one version-checked write. The fields
 * beside `state` are derived from it on every write, for indexes and jurisdiction filters.
 */
export interface CaseDoc extends StoredDoc {
  itemKey: string;
  itemName: { zh: string; en?: string };
  definitionVersion: number;
  orgUnitId: string;
  /** The case's unit and its ancestors, root first: what jurisdiction rules match on. */
  orgPath: string[];
  status: InstanceState['status'];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  endedAt: string | null;
  applicantName: string | null;
  applicantIdNumber: string | null;
  /** Every resident ID number in the application (applicant and household): person lookup, duplicate checks. */
  personIds: string[];
  /** Users given read access by carbon copy (抄送). */
  ccUserIds: string[];
  openTaskCount: number;
  incidentCount: number;
  /** Timers or jobs pending: the start-up reconciler re-enqueues them after a crash. */
  pendingWork: boolean;
  /** Set when the case was created with an Idempotency-Key. */
  idempotency: { userId: string; key: string; requestHash: string } | null;
  state: InstanceState;
}

/** The inbox projection of a user task (collection `tasks`), rebuilt from the case on every write. */
export interface TaskDoc extends StoredDoc {
  caseId: string;
  caseVersion: number;
  itemKey: string;
  itemName: { zh: string; en?: string };
  elementId: string;
  name: string | null;
  kind: TaskState['kind'];
  candidateRoles: string[];
  level: Level | null;
  /** The unit whose holders of `candidateRoles` may take the task: the case's ancestor at `level`. */
  unitId: string;
  orgPath: string[];
  assignee: string | null;
  owner: string | null;
  dueAt: string | null;
  createdAt: string;
  status: 'open' | 'closed';
  closedAt: string | null;
  closeReason: string | null;
  /** Who acted when the task closed through a user's action (已办). */
  completedBy: string | null;
  applicantName: string | null;
}

export interface UserNoticeDoc extends StoredDoc {
  userId: string;
  kind: string;
  caseId: string;
  taskId: string;
  elementId: string;
  by: string | null;
  at: string;
  orgPath: string[];
  itemKey: string;
  itemName: { zh: string; en?: string };
}

const LEVEL_DEPTH: Record<Level, number> = { city: 0, county: 1, township: 2, village: 3 };

/** The unit at `level` on the case's path; the case's own unit when the path is shorter (filed higher up). */
export function unitAtLevel(orgPath: string[], level: string | null): string {
  const depth = level && level in LEVEL_DEPTH ? LEVEL_DEPTH[level as Level] : orgPath.length - 1;
  return orgPath[Math.min(depth, orgPath.length - 1)];
}

const RESIDENT_ID = /^\d{17}[\dX]$/;

/** Resident ID numbers anywhere in the form data, under keys ending in `idNumber` (case-insensitive). */
export function collectPersonIds(data: unknown): string[] {
  const ids = new Set<string>();
  const visit = (value: unknown, key: string, depth: number) => {
    if (depth > 12) return;
    if (typeof value === 'string') {
      if (/idnumber$/i.test(key) && RESIDENT_ID.test(value.toUpperCase())) ids.add(value.toUpperCase());
    } else if (Array.isArray(value)) {
      for (const v of value) visit(v, key, depth + 1);
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, k, depth + 1);
    }
  };
  visit(data, '', 0);
  return [...ids].sort();
}

/** The applicant's name and ID number: `applicant.{name,idNumber}` by convention, else top-level `name`/`idNumber`. */
export function applicantOf(data: Record<string, unknown>): { name: string | null; idNumber: string | null } {
  const a = data.applicant && typeof data.applicant === 'object' ? (data.applicant as Record<string, unknown>) : data;
  const name = typeof a.name === 'string' ? a.name : null;
  const idNumber = typeof a.idNumber === 'string' ? a.idNumber.toUpperCase() : null;
  return { name, idNumber };
}
