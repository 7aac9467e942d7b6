import type { ApprovalAction, CaseDetail, HistoryEntry, TaskInfo } from '../api/types';

/**
 * What the person may do on a task, as the engine decides it (runtime/operations.ts `allowedActions`):
 * a correction (补正) is resubmitted or commented; a delegated task is resolved; an added signer approves
 * or rejects; a task suspended by a signer only takes comments. The server checks again anyway.
 */
export function allowedActions(task: TaskInfo): ApprovalAction[] {
  if (task.kind === 'correction') return ['approve', 'comment'];
  if (task.delegation === 'pending') return ['resolve', 'comment'];
  if (task.suspended) return ['comment'];
  if (task.kind === 'signer-before' || task.kind === 'signer-after') return ['approve', 'reject', 'cc', 'comment'];
  const set = new Set<ApprovalAction>(task.actions ?? []);
  set.add('approve');
  set.add('comment');
  set.delete('resolve');
  const order: ApprovalAction[] = ['approve', 'reject', 'return', 'transfer', 'delegate', 'addSigner', 'cc', 'comment'];
  return order.filter((a) => set.has(a));
}

/** Actions that need a written reason (the engine refuses them without one). */
export function reasonRequired(action: ApprovalAction): boolean {
  return action === 'reject' || action === 'return' || action === 'comment';
}

/** Actions whose dialog picks a person. */
export function needsUser(action: ApprovalAction): 'one' | 'many' | null {
  if (action === 'transfer' || action === 'delegate' || action === 'addSigner') return 'one';
  if (action === 'cc') return 'many';
  return null;
}

/** Actions that send the task form (and the editable case fields) along. */
export function sendsForm(action: ApprovalAction): boolean {
  return action === 'approve' || action === 'reject' || action === 'return' || action === 'resolve';
}

export type DueState = 'overdue' | 'soon' | 'ok' | 'none';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Red when past due, orange within one day of it. */
export function dueState(dueAt: string | null | undefined, now: number = Date.now()): DueState {
  if (!dueAt) return 'none';
  const due = Date.parse(dueAt);
  if (Number.isNaN(due)) return 'none';
  if (due < now) return 'overdue';
  if (due - now <= DAY_MS) return 'soon';
  return 'ok';
}

export interface ReturnTarget {
  /** `previous`, `applicant`, or an element id. */
  value: string;
  elementId?: string;
}

/**
 * Earlier steps this task may be sent back to: those approved before it (in the order they were first
 * done, each once), never the task's own step. The engine checks scope rules (parallel branches) itself.
 */
export function earlierSteps(history: HistoryEntry[] | undefined, task: TaskInfo): string[] {
  const seen: string[] = [];
  for (const h of history ?? []) {
    if (h.type !== 'task.completed' || h.action !== 'approve' || !h.elementId) continue;
    if (h.message !== undefined && h.message !== 'task' && h.message !== 'signer-after') continue;
    if (h.elementId === task.elementId || seen.includes(h.elementId)) continue;
    seen.push(h.elementId);
  }
  return seen;
}

/** Top-level case fields whose value differs between what was shown and what was edited. */
export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  fields: string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (JSON.stringify(before[f] ?? null) !== JSON.stringify(after[f] ?? null)) out[f] = after[f];
  }
  return out;
}

/** `minflow:editable` paths (`/residence`, `residence/x`) → the top-level fields they let the step change. */
export function editableFields(task: TaskInfo, allFields: string[]): string[] {
  if (task.kind === 'correction') return allFields;
  const set = new Set((task.editable ?? []).map((p) => p.replace(/^\//, '').split('/')[0]!).filter(Boolean));
  return allFields.filter((f) => set.has(f));
}

/** Whether a shown value was masked by the server (an ID or phone with `*`, or a hidden `null`). */
export function containsMasked(value: unknown): boolean {
  if (typeof value === 'string') return /\*{3,}/.test(value);
  if (Array.isArray(value)) return value.some(containsMasked);
  if (value && typeof value === 'object') return Object.values(value).some(containsMasked);
  return false;
}

export interface DiagramMarkers {
  /** Elements with an open task (the current position). */
  active: string[];
  /** Elements already passed (completed tasks, jobs, reached end events, joined gateways). */
  done: string[];
}

const DONE_TYPES = new Set(['task.completed', 'job.completed', 'element.ended', 'gateway.joined', 'call.completed']);

export function diagramMarkers(c: Pick<CaseDetail, 'openTasks' | 'history'>): DiagramMarkers {
  const active = [...new Set(c.openTasks.map((t) => t.elementId))];
  const done = new Set<string>();
  for (const h of c.history ?? []) {
    if (h.elementId && DONE_TYPES.has(h.type)) done.add(h.elementId);
  }
  for (const a of active) done.delete(a);
  return { active, done: [...done] };
}

export interface FlowInfo {
  /** Element id → its name (userTask 乡镇民政审批, end event 准予发放…). */
  names: Record<string, string>;
  /** User task id → its task form key (`minflow:form`). */
  forms: Record<string, string>;
  /** User task ids in document order (the approval form's opinion rows on paper). */
  userTasks: string[];
}

/** What the UI needs from the flow's BPMN XML, read without loading bpmn-js (that chunk is for the diagram). */
export function flowInfo(bpmnXml: string | undefined): FlowInfo {
  const info: FlowInfo = { names: {}, forms: {}, userTasks: [] };
  if (!bpmnXml) return info;
  const tag = /<(?:[\w-]+:)?(\w+)\s([^>]*)>/g;
  for (let m = tag.exec(bpmnXml); m; m = tag.exec(bpmnXml)) {
    const kind = m[1]!;
    if (kind === 'sequenceFlow' || kind === 'definitions' || kind.endsWith('Shape') || kind.endsWith('Edge')) continue;
    const attrs = m[2]!;
    const id = /(?:^|\s)id="([^"]+)"/.exec(attrs)?.[1];
    if (!id) continue;
    const name = /(?:^|\s)name="([^"]*)"/.exec(attrs)?.[1];
    if (name) info.names[id] = decodeXml(name);
    if (kind === 'userTask') {
      info.userTasks.push(id);
      const form = /(?:^|\s)[\w-]+:form="([^"]*)"/.exec(attrs)?.[1];
      if (form) info.forms[id] = decodeXml(form);
    }
  }
  return info;
}

function decodeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
