import type { FastifyRequest } from 'fastify';
import { presentForRequest } from '../../permissions/mask.js';
import type { TaskState } from '../../runtime/index.js';
import type { CaseDoc, TaskDoc, UserNoticeDoc } from './model.js';

function taskJson(doc: CaseDoc, t: TaskState, now: string) {
  return {
    id: t.id,
    caseId: doc._id,
    itemKey: doc.itemKey,
    itemName: doc.itemName,
    elementId: t.elementId,
    name: t.name,
    kind: t.kind,
    candidateRoles: t.roles,
    level: t.level,
    assignee: t.assignee,
    owner: t.owner,
    dueAt: t.dueAt,
    overdue: t.dueAt !== null && t.dueAt < now,
    createdAt: t.createdAt,
    status: 'open' as const,
    closedAt: null,
    form: t.form,
    editable: t.editable,
    actions: t.actions,
    applicantName: doc.applicantName,
    suspended: t.suspendedBy !== null,
    delegation: t.delegation,
  };
}

/** A case as the API shows it; personal data masked unless the caller may reveal it (and each reveal audited). */
export async function presentCase(request: FastifyRequest, doc: CaseDoc, detail: boolean) {
  const now = request.server.clock.now().toISOString();
  const s = doc.state;
  const json: Record<string, unknown> = {
    id: doc._id,
    itemKey: doc.itemKey,
    itemName: doc.itemName,
    version: doc._v,
    definitionVersion: doc.definitionVersion,
    status: doc.status,
    data: s.data,
    orgUnitId: doc.orgUnitId,
    orgPath: doc.orgPath,
    applicantName: doc.applicantName,
    createdBy: doc.createdBy,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    endedAt: doc.endedAt,
    outcome: s.outcome,
    openTasks: s.tasks.map((t) => taskJson(doc, t, now)),
  };
  if (detail) {
    json.history = s.history.map(({ tokenId: _t, scopeId: _s, ...entry }) => entry);
    json.incidents = s.incidents.map(({ tokenId: _t, ...incident }) => incident);
    json.variables = s.variables;
  }
  // presentForRequest decides on the case's jurisdiction (orgPath) and masks at any depth.
  return presentForRequest(request, 'Case', { _id: doc._id, ...json });
}

export function stripId<T extends { _id: string }>(value: T): Omit<T, '_id'> {
  const { _id: _ignored, ...rest } = value;
  return rest;
}

export function presentTaskRow(row: TaskDoc | UserNoticeDoc, now: string) {
  if ('userId' in row) {
    return {
      id: row._id,
      kind: row.kind,
      caseId: row.caseId,
      taskId: row.taskId,
      elementId: row.elementId,
      by: row.by,
      at: row.at,
      itemKey: row.itemKey,
      itemName: row.itemName,
    };
  }
  return {
    id: row._id,
    caseId: row.caseId,
    itemKey: row.itemKey,
    itemName: row.itemName,
    elementId: row.elementId,
    name: row.name,
    kind: row.kind,
    candidateRoles: row.candidateRoles,
    level: row.level,
    assignee: row.assignee,
    owner: row.owner,
    dueAt: row.dueAt,
    overdue: row.status === 'open' && row.dueAt !== null && row.dueAt < now,
    createdAt: row.createdAt,
    status: row.status,
    closedAt: row.closedAt,
    applicantName: row.applicantName,
  };
}
