import { APPROVAL_ACTIONS } from '../../runtime/index.js';

/** JSON Schemas of the cases and tasks API. Free-form JSON (form data) is an object without `properties`. */

const localized = {
  type: 'object',
  additionalProperties: false,
  required: ['zh'],
  properties: { zh: { type: 'string' }, en: { type: 'string' } },
} as const;

// Free-form JSON must say additionalProperties: true, or the response serializer drops every field.
const formData = {
  type: 'object',
  additionalProperties: true,
  description: 'Form data as the published JSON Schema defines it',
} as const;
const freeJson = { type: 'object', additionalProperties: true } as const;
const nullableString = { type: ['string', 'null'] } as const;

export const taskSchema = {
  $id: 'MinflowTask',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'caseId', 'elementId', 'name', 'assignee', 'dueAt'],
  properties: {
    id: { type: 'string' },
    caseId: { type: 'string' },
    itemKey: { type: 'string' },
    itemName: localized,
    elementId: { type: 'string' },
    name: nullableString,
    kind: { type: 'string' },
    candidateRoles: { type: 'array', items: { type: 'string' } },
    level: nullableString,
    assignee: nullableString,
    owner: nullableString,
    dueAt: nullableString,
    overdue: { type: 'boolean' },
    createdAt: { type: 'string' },
    status: { type: 'string', enum: ['open', 'closed'] },
    closedAt: nullableString,
    form: nullableString,
    editable: { type: 'array', items: { type: 'string' } },
    actions: { type: 'array', items: { type: 'string' } },
    applicantName: nullableString,
    suspended: { type: 'boolean' },
    delegation: nullableString,
  },
} as const;

const historySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['seq', 'at', 'type'],
  properties: {
    seq: { type: 'integer' },
    at: { type: 'string' },
    type: { type: 'string' },
    elementId: { type: 'string' },
    taskId: { type: 'string' },
    userId: { type: 'string' },
    action: { type: 'string' },
    comment: nullableString,
    to: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    data: freeJson,
    changes: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['field'],
        properties: { field: { type: 'string' }, from: {}, to: {} },
      },
    },
    message: { type: 'string' },
    status: { type: 'string' },
  },
} as const;

const incidentSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'elementId', 'message', 'createdAt'],
  properties: {
    id: { type: 'string' },
    kind: { type: 'string' },
    elementId: { type: 'string' },
    jobKey: nullableString,
    message: { type: 'string' },
    createdAt: { type: 'string' },
  },
} as const;

export const caseSchema = {
  $id: 'MinflowCase',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'itemKey', 'version', 'status', 'data', 'orgUnitId', 'openTasks'],
  properties: {
    id: { type: 'string' },
    itemKey: { type: 'string' },
    itemName: localized,
    /** The case document's version (optimistic concurrency). */
    version: { type: 'integer' },
    definitionVersion: { type: 'integer' },
    status: { type: 'string', enum: ['active', 'completed', 'rejected', 'withdrawn', 'terminated'] },
    data: formData,
    variables: freeJson,
    orgUnitId: { type: 'string' },
    orgPath: { type: 'array', items: { type: 'string' } },
    applicantName: nullableString,
    createdBy: { type: 'string' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    endedAt: nullableString,
    outcome: {
      type: ['object', 'null'],
      additionalProperties: false,
      properties: { reason: nullableString, userId: nullableString, elementId: nullableString },
    },
    openTasks: { type: 'array', items: { $ref: 'MinflowTask#' } },
    history: { type: 'array', items: historySchema },
    incidents: { type: 'array', items: incidentSchema },
  },
} as const;

export const casePage = {
  type: 'object',
  additionalProperties: false,
  required: ['items', 'nextCursor'],
  properties: { items: { type: 'array', items: { $ref: 'MinflowCase#' } }, nextCursor: nullableString },
} as const;

export const createCaseBody = {
  type: 'object',
  additionalProperties: false,
  required: ['itemKey', 'data'],
  properties: {
    itemKey: { type: 'string', pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$', maxLength: 64 },
    data: formData,
    orgUnitId: { type: 'string', maxLength: 200 },
  },
} as const;

export const idempotencyHeaders = {
  type: 'object',
  properties: { 'idempotency-key': { type: 'string', minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9_.:-]+$' } },
} as const;

export const idParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 200 } },
} as const;

export const messageParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name'],
  properties: {
    id: { type: 'string', maxLength: 200 },
    name: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_-]*$', maxLength: 64 },
  },
} as const;

export const messageBody = {
  type: 'object',
  additionalProperties: false,
  properties: { payload: { type: 'object' }, comment: { type: 'string', maxLength: 2000 } },
} as const;

export const listCasesQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    itemKey: { type: 'string', maxLength: 64 },
    status: { type: 'string', enum: ['active', 'completed', 'rejected', 'withdrawn', 'terminated'] },
    orgUnitId: { type: 'string', maxLength: 200 },
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    applicantName: { type: 'string', minLength: 1, maxLength: 50 },
    idNumber: { type: 'string', pattern: '^\\d{17}[\\dXx]$' },
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
    cursor: { type: 'string', maxLength: 2000 },
  },
} as const;

export const listTasksQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    box: { type: 'string', enum: ['todo', 'done', 'cc'], default: 'todo' },
    itemKey: { type: 'string', maxLength: 64 },
    overdue: { type: 'boolean' },
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
    cursor: { type: 'string', maxLength: 2000 },
  },
} as const;

const noticeSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'kind', 'caseId', 'taskId', 'at'],
  properties: {
    id: { type: 'string' },
    kind: { type: 'string' },
    caseId: { type: 'string' },
    taskId: { type: 'string' },
    elementId: { type: 'string' },
    by: nullableString,
    at: { type: 'string' },
    itemKey: { type: 'string' },
    itemName: localized,
  },
} as const;

export const taskPage = {
  type: 'object',
  additionalProperties: false,
  required: ['items', 'nextCursor'],
  properties: {
    items: { type: 'array', items: { anyOf: [{ $ref: 'MinflowTask#' }, noticeSchema] } },
    nextCursor: nullableString,
  },
} as const;

export const taskCounts = {
  type: 'object',
  additionalProperties: false,
  required: ['todo', 'overdue', 'done', 'cc'],
  properties: {
    todo: { type: 'integer' },
    overdue: { type: 'integer' },
    done: { type: 'integer' },
    cc: { type: 'integer' },
  },
} as const;

export const completeTaskBody = {
  type: 'object',
  additionalProperties: false,
  required: ['action'],
  properties: {
    action: { type: 'string', enum: [...APPROVAL_ACTIONS] },
    data: { type: 'object', description: "The task form's data" },
    changes: { type: 'object', description: 'New values of case fields this step may edit (minflow:editable)' },
    comment: { type: 'string', maxLength: 2000 },
    to: {
      anyOf: [
        { type: 'string', maxLength: 200 },
        { type: 'array', items: { type: 'string', maxLength: 200 }, maxItems: 50 },
      ],
    },
    target: { type: 'string', maxLength: 200, description: 'return: previous | applicant | <element id>' },
    position: { type: 'string', enum: ['before', 'after'] },
  },
} as const;

export const withdrawBody = {
  type: 'object',
  additionalProperties: false,
  properties: { comment: { type: 'string', maxLength: 2000 } },
} as const;

export const incidentPage = {
  type: 'object',
  additionalProperties: false,
  required: ['items', 'nextCursor'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['caseId', 'itemKey', 'incidents'],
        properties: {
          caseId: { type: 'string' },
          itemKey: { type: 'string' },
          orgUnitId: { type: 'string' },
          incidents: { type: 'array', items: incidentSchema },
        },
      },
    },
    nextCursor: nullableString,
  },
} as const;

export const messageResult = {
  type: 'object',
  additionalProperties: false,
  required: ['correlated', 'case'],
  properties: { correlated: { type: 'boolean' }, case: { $ref: 'MinflowCase#' } },
} as const;
