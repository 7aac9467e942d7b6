/** JSON Schemas of the attachments API. */

export const uploadQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['itemKey', 'field'],
  properties: {
    itemKey: { type: 'string', pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$', maxLength: 64 },
    field: {
      type: 'string',
      pattern: '^(/[A-Za-z0-9_-]+)+$',
      maxLength: 300,
      description: 'JSON pointer of the attachment list in the form data, e.g. /attachments/idCards',
    },
    taskForm: {
      type: 'string',
      pattern: '^[a-z][a-zA-Z0-9-]*$',
      maxLength: 64,
      description: 'a task form instead of the application form',
    },
  },
} as const;

export const attachmentSchema = {
  $id: 'MinflowAttachment',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'url', 'size', 'contentType'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    url: { type: 'string', description: 'what the form value stores: /api/attachments/<id>' },
    size: { type: 'integer' },
    contentType: { type: 'string', description: 'sniffed from the content' },
    sha256: { type: 'string' },
    uploadedAt: { type: 'string' },
    caseId: { type: ['string', 'null'] },
  },
} as const;

export const idParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_-]{8,64}$' } },
} as const;

export const deleted = {
  type: 'object',
  additionalProperties: false,
  required: ['deleted'],
  properties: { deleted: { type: 'boolean' } },
} as const;
