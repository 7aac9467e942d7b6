import { LEVELS, ROLES } from '../../infra/auth/types.js';

/** JSON Schemas shared by the auth and org routes (responses are serialized through them). */
export const roleSchema = { type: 'string', enum: [...ROLES] } as const;
export const levelSchema = { type: 'string', enum: [...LEVELS] } as const;
export const idSchema = { type: 'string', minLength: 1, maxLength: 200 } as const;
const nullableTime = { type: ['string', 'null'], format: 'date-time' } as const;

export const publicUserSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'username',
    'displayName',
    'orgUnitId',
    'orgPath',
    'roles',
    'disabled',
    'lockedUntil',
    'lastLoginAt',
    'createdAt',
    'updatedAt',
    'version',
  ],
  properties: {
    id: { type: 'string' },
    username: { type: 'string' },
    displayName: { type: 'string' },
    orgUnitId: { type: 'string' },
    orgPath: { type: 'array', items: { type: 'string' } },
    roles: { type: 'array', items: roleSchema },
    disabled: { type: 'boolean' },
    lockedUntil: nullableTime,
    lastLoginAt: nullableTime,
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    version: { type: 'integer' },
  },
} as const;

export const orgUnitSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'level', 'parentId', 'path', 'code', 'version'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    level: levelSchema,
    parentId: { type: ['string', 'null'] },
    path: { type: 'array', items: { type: 'string' } },
    code: { type: 'string' },
    version: { type: 'integer' },
  },
} as const;

/** A node of the org tree response: the unit with its visible children. */
export const orgTreeNodeSchema = {
  $id: 'MinflowOrgTreeNode',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'level', 'parentId', 'path', 'code', 'version', 'children'],
  properties: {
    ...orgUnitSchema.properties,
    children: { type: 'array', items: { $ref: 'MinflowOrgTreeNode#' } },
  },
} as const;

export const pathEntrySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'level'],
  properties: { id: { type: 'string' }, name: { type: 'string' }, level: levelSchema },
} as const;

/** The signed-in user as /auth/login and /auth/me return it. */
export const sessionUserSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'username', 'displayName', 'orgUnitId', 'level', 'orgPath', 'roles'],
  properties: {
    id: { type: 'string' },
    username: { type: 'string' },
    displayName: { type: 'string' },
    orgUnitId: { type: 'string' },
    level: levelSchema,
    orgPath: { type: 'array', items: { type: 'string' } },
    roles: { type: 'array', items: roleSchema },
  },
} as const;

export const errorResponses = {
  400: { $ref: 'MinflowError#' },
  401: { $ref: 'MinflowError#' },
  403: { $ref: 'MinflowError#' },
  404: { $ref: 'MinflowError#' },
  409: { $ref: 'MinflowError#' },
} as const;

export const pageQuerySchema = {
  cursor: { type: 'string', maxLength: 2000 },
  limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
} as const;
