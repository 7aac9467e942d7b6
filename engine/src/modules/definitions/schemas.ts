import { LEVELS } from '../../infra/auth/types.js';
import { CATEGORIES, COMPUTED_FORMATS, KEY_PATTERN, TASK_FORM_KEY_PATTERN, VARIABLE_PATH_PATTERN } from './model.js';

/** Largest BPMN text accepted on a draft (parseBpmn refuses more at publish too). */
export const MAX_BPMN_CHARS = 2 * 1024 * 1024;

const anyObject = { type: 'object', additionalProperties: true } as const;

export const keySchema = {
  type: 'string',
  minLength: 2,
  maxLength: 64,
  pattern: KEY_PATTERN,
  description: 'kebab-case item key, e.g. elderly-allowance',
} as const;

const nameSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['zh'],
  properties: {
    zh: { type: 'string', minLength: 1, maxLength: 100 },
    en: { type: 'string', minLength: 1, maxLength: 200 },
  },
} as const;

const taskFormsSchema = {
  type: 'object',
  maxProperties: 100,
  propertyNames: { pattern: TASK_FORM_KEY_PATTERN, maxLength: 64 },
  additionalProperties: {
    type: 'object',
    additionalProperties: false,
    required: ['schema'],
    properties: { schema: anyObject, uiSchema: { ...anyObject, default: {} } },
  },
} as const;

/** Values the flow computes that approvers see (「核算结果」): a variable path, a title and how to show it. */
export const computedSchema = {
  type: 'array',
  maxItems: 50,
  description: 'Computed values shown to approvers on the task and case pages (「核算结果」)',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['path', 'title'],
    properties: {
      path: {
        type: 'string',
        minLength: 1,
        maxLength: 200,
        pattern: VARIABLE_PATH_PATTERN,
        description: 'A case variable path, e.g. assessment.monthlyAmount',
      },
      title: nameSchema,
      format: { type: 'string', enum: [...COMPUTED_FORMATS], description: 'How the value is shown (default text)' },
    },
  },
} as const;

const contentProperties = {
  name: nameSchema,
  category: { type: 'string', enum: [...CATEGORIES] },
  description: { type: 'string', maxLength: 2000, default: '' },
  startLevels: {
    type: 'array',
    items: { type: 'string', enum: [...LEVELS] },
    uniqueItems: true,
    maxItems: LEVELS.length,
    default: [],
  },
  formSchema: { ...anyObject, description: 'JSON Schema (draft-07, or 2020-12 by $schema) of the application form' },
  uiSchema: { ...anyObject, default: {}, description: 'react-jsonschema-form UI schema' },
  bpmnXml: { type: 'string', minLength: 1, maxLength: MAX_BPMN_CHARS },
  taskForms: { ...taskFormsSchema, default: {} },
  computed: computedSchema,
} as const;

const contentRequired = ['name', 'category', 'formSchema', 'bpmnXml'] as const;

/** POST /api/definitions and the item.json + files of a definitions/ folder. */
export const createDefinitionBody = {
  $id: 'DefinitionCreate',
  type: 'object',
  additionalProperties: false,
  required: ['key', ...contentRequired],
  properties: { key: keySchema, ...contentProperties },
} as const;

/** PUT /api/definitions/:key: the whole draft plus the draft version it was edited from. */
export const updateDefinitionBody = {
  $id: 'DefinitionUpdate',
  type: 'object',
  additionalProperties: false,
  required: ['version', ...contentRequired],
  properties: {
    version: { type: 'integer', minimum: 1, description: 'The draft version this edit started from (409 when stale)' },
    ...contentProperties,
  },
} as const;

const timestamps = {
  createdAt: { type: 'string', format: 'date-time' },
  createdBy: { type: 'string' },
  updatedAt: { type: 'string', format: 'date-time' },
  updatedBy: { type: 'string' },
} as const;

const draftSummaryProperties = {
  key: { type: 'string' },
  name: nameSchema,
  category: { type: 'string' },
  description: { type: 'string' },
  startLevels: { type: 'array', items: { type: 'string' } },
  version: { type: 'integer' },
  hash: { type: 'string' },
  publishedVersion: { type: ['integer', 'null'] },
  hasUnpublishedChanges: { type: 'boolean' },
  retired: { type: 'boolean', description: 'Retired: no new cases, hidden from the catalog' },
  ...timestamps,
} as const;

export const draftSummarySchema = {
  type: 'object',
  additionalProperties: false,
  required: Object.keys(draftSummaryProperties),
  properties: draftSummaryProperties,
} as const;

export const draftSchema = {
  type: 'object',
  additionalProperties: false,
  required: [...Object.keys(draftSummaryProperties), 'formSchema', 'uiSchema', 'bpmnXml', 'taskForms'],
  properties: {
    ...draftSummaryProperties,
    formSchema: anyObject,
    uiSchema: anyObject,
    bpmnXml: { type: 'string' },
    taskForms: anyObject,
    computed: computedSchema,
  },
} as const;

const versionSummaryProperties = {
  key: { type: 'string' },
  version: { type: 'integer' },
  name: nameSchema,
  category: { type: 'string' },
  description: { type: 'string' },
  startLevels: { type: 'array', items: { type: 'string' } },
  hash: { type: 'string' },
  publishedAt: { type: 'string', format: 'date-time' },
  publishedBy: { type: 'string' },
} as const;

export const versionSummarySchema = {
  type: 'object',
  additionalProperties: false,
  required: Object.keys(versionSummaryProperties),
  properties: versionSummaryProperties,
} as const;

export const publishResponseSchema = {
  type: 'object',
  additionalProperties: false,
  required: [...Object.keys(versionSummaryProperties), 'created'],
  properties: {
    ...versionSummaryProperties,
    created: { type: 'boolean', description: 'false when the draft equals the latest version, which is returned' },
  },
} as const;

export const catalogEntrySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['key', 'name', 'category', 'description', 'startLevels', 'version', 'publishedAt'],
  properties: {
    key: { type: 'string' },
    name: nameSchema,
    category: { type: 'string' },
    description: { type: 'string' },
    startLevels: { type: 'array', items: { type: 'string' } },
    version: { type: 'integer' },
    publishedAt: { type: 'string', format: 'date-time' },
  },
} as const;

export const itemSchema = {
  type: 'object',
  additionalProperties: false,
  required: [...catalogEntrySchema.required, 'formSchema', 'uiSchema', 'taskForms', 'bpmnXml'],
  properties: {
    ...catalogEntrySchema.properties,
    formSchema: anyObject,
    uiSchema: anyObject,
    taskForms: anyObject,
    bpmnXml: { type: 'string' },
    computed: computedSchema,
  },
} as const;

export const problemListSchema = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['path', 'message'],
    properties: { path: { type: 'string' }, message: { type: 'string' } },
  },
} as const;

export const validationResultSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['valid', 'problems'],
  properties: { valid: { type: 'boolean' }, problems: problemListSchema },
} as const;

export const pageQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
    cursor: { type: 'string', maxLength: 2000 },
    category: { type: 'string', enum: [...CATEGORIES] },
  },
} as const;

export const keyParams = {
  type: 'object',
  additionalProperties: false,
  required: ['key'],
  properties: { key: keySchema },
} as const;

export const itemQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { version: { type: 'integer', minimum: 1, description: 'A published version; the latest when omitted' } },
} as const;

export function pageOf(item: object) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['items', 'nextCursor'],
    properties: { items: { type: 'array', items: item }, nextCursor: { type: ['string', 'null'] } },
  } as const;
}

/** A version reference: a published version number, or `draft`. */
const versionRef = {
  anyOf: [
    { type: 'integer', minimum: 1 },
    { type: 'string', const: 'draft' },
  ],
} as const;

export const diffQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to'],
  properties: {
    from: { ...versionRef, description: 'A published version number or `draft`' },
    to: { ...versionRef, description: 'A published version number or `draft`' },
  },
} as const;

export const exportQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { version: { ...versionRef, default: 'draft', description: 'A published version or `draft` (default)' } },
} as const;

export const importQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { key: { ...keySchema, description: 'Import under this key instead of the file’s own' } },
} as const;

const change = {
  type: 'object',
  additionalProperties: false,
  required: ['attribute', 'from', 'to'],
  properties: { attribute: { type: 'string' }, from: {}, to: {} },
} as const;
const changeKind = { type: 'string', enum: ['added', 'removed', 'changed'] } as const;
const fieldDiff = {
  type: 'object',
  additionalProperties: false,
  required: ['path', 'label', 'change', 'changes'],
  properties: {
    path: { type: 'string', description: 'Field path, e.g. /household/size ("" = the form itself)' },
    label: { type: ['string', 'null'] },
    change: changeKind,
    changes: { type: 'array', items: change },
  },
} as const;

export const diffSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to', 'item', 'form', 'taskForms', 'flow', 'same'],
  properties: {
    from: { type: ['integer', 'string'] },
    to: { type: ['integer', 'string'] },
    item: { type: 'array', items: change },
    form: { type: 'array', items: fieldDiff },
    taskForms: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['key', 'change', 'fields'],
        properties: { key: { type: 'string' }, change: changeKind, fields: { type: 'array', items: fieldDiff } },
      },
    },
    flow: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'name', 'type', 'change', 'changes'],
        properties: {
          id: { type: 'string' },
          name: { type: ['string', 'null'] },
          type: { type: 'string' },
          change: changeKind,
          changes: { type: 'array', items: change },
        },
      },
    },
    same: { type: 'boolean' },
  },
} as const;

export const retireResponseSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['key', 'retired', 'changed'],
  properties: { key: { type: 'string' }, retired: { type: 'boolean' }, changed: { type: 'boolean' } },
} as const;

const actionName = { type: 'string', minLength: 1, maxLength: 32 } as const;
/** As the real task route takes them (`completeTaskBody` in modules/cases/schemas.ts). */
const decision = {
  anyOf: [
    actionName,
    {
      type: 'object',
      additionalProperties: false,
      required: ['action'],
      properties: {
        action: actionName,
        target: {
          type: 'string',
          minLength: 1,
          maxLength: 200,
          description: 'return: previous | applicant | <element id>',
        },
        comment: { type: 'string', maxLength: 2000 },
      },
    },
  ],
} as const;

export const simulateBody = {
  type: 'object',
  additionalProperties: false,
  required: ['data'],
  properties: {
    data: { ...anyObject, description: 'Sample form data' },
    decisions: {
      type: 'object',
      description:
        'User task id → the decision taken there (every visit), or a list (one per visit): an action, or { action, target, comment } (return target: previous | applicant | an earlier user task id). A list of one bare action name is coerced to that name (every visit): write one visit as [{ "action": … }]',
      maxProperties: 500,
      additionalProperties: { anyOf: [decision, { type: 'array', maxItems: 50, items: decision }] },
    },
    jobResults: {
      type: 'object',
      description: 'Service task id → the result its handler answers (default {})',
      maxProperties: 500,
      additionalProperties: anyObject,
    },
    messages: {
      type: 'array',
      maxItems: 50,
      description:
        'Messages sent once each as soon as the flow waits for them (e.g. an objection during 公示), with the body of POST /api/cases/:id/messages/:name',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          // as the real route's name parameter (modules/cases/schemas.ts messageParams)
          name: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_-]*$', maxLength: 64 },
          payload: { type: 'object', description: 'Stored under the catching event’s id (e.g. objection.reason)' },
          comment: { type: 'string', maxLength: 2000 },
          afterDecisions: {
            type: 'integer',
            minimum: 0,
            maximum: 2000,
            description: 'Not before this many decisions were taken in the run (default 0)',
          },
        },
      },
    },
    maxSteps: { type: 'integer', minimum: 1, maximum: 2000, default: 200 },
  },
} as const;

export const simulateQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    version: { ...versionRef, default: 'draft', description: 'Simulate a published version or the draft' },
  },
} as const;

export const simulateResponseSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'status',
    'stoppedBecause',
    'steps',
    'visited',
    'flows',
    'openTasks',
    'waitingFor',
    'messageOffers',
    'incidents',
    'data',
    'variables',
    'dataProblems',
  ],
  properties: {
    status: { type: 'string' },
    stoppedBecause: {
      type: 'string',
      enum: ['completed', 'ended', 'waiting-task', 'waiting', 'incident', 'max-steps'],
    },
    steps: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['seq', 'kind', 'elementId', 'name', 'type'],
        properties: {
          seq: { type: 'integer' },
          kind: { type: 'string', enum: ['enter', 'decide', 'job', 'timer', 'message'] },
          elementId: { type: 'string' },
          name: { type: ['string', 'null'] },
          type: { type: 'string' },
          action: { type: 'string' },
          target: { type: 'string' },
          message: { type: 'string' },
          flowId: { type: 'string' },
        },
      },
    },
    visited: { type: 'array', items: { type: 'string' } },
    flows: { type: 'array', items: { type: 'string' } },
    openTasks: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['elementId', 'name', 'kind', 'roles', 'level', 'actions', 'returnTargets'],
        properties: {
          elementId: { type: 'string' },
          name: { type: ['string', 'null'] },
          kind: { type: 'string' },
          roles: { type: 'array', items: { type: 'string' } },
          level: { type: ['string', 'null'] },
          actions: { type: 'array', items: { type: 'string' } },
          returnTargets: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['elementId', 'name'],
              properties: { elementId: { type: 'string' }, name: { type: ['string', 'null'] } },
            },
          },
        },
      },
    },
    waitingFor: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['elementId', 'message'],
        properties: { elementId: { type: 'string' }, message: { type: 'string' } },
      },
    },
    messageOffers: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['elementId', 'name', 'message', 'afterDecisions', 'waiting'],
        properties: {
          elementId: { type: 'string' },
          name: { type: ['string', 'null'] },
          message: { type: 'string' },
          afterDecisions: { type: 'integer' },
          waiting: { type: 'boolean' },
        },
      },
    },
    incidents: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['elementId', 'kind', 'message'],
        properties: { elementId: { type: 'string' }, kind: { type: 'string' }, message: { type: 'string' } },
      },
    },
    data: anyObject,
    variables: anyObject,
    dataProblems: problemListSchema,
  },
} as const;
