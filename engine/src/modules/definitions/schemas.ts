import { LEVELS } from '../../infra/auth/types.js';
import { CATEGORIES, KEY_PATTERN, TASK_FORM_KEY_PATTERN } from './model.js';

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
