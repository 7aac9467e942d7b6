const KEY_PATTERN = '^[a-z][a-z0-9]*(-[a-z0-9]+)*$';

export const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    orgUnitId: {
      type: 'string',
      minLength: 1,
      maxLength: 200,
      description: 'A village, township or county: its notices and those below it',
    },
    itemKey: { type: 'string', pattern: KEY_PATTERN, maxLength: 64 },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 200 },
  },
} as const;

const entry = {
  type: 'object',
  additionalProperties: false,
  required: ['caseId', 'name', 'idNumber', 'householdSize', 'amount', 'from', 'until'],
  properties: {
    caseId: { type: 'string' },
    name: { type: ['string', 'null'], description: 'Masked: 张*明' },
    idNumber: { type: ['string', 'null'], description: 'Masked: 620422********1234' },
    householdSize: { type: ['integer', 'null'] },
    amount: { type: ['number', 'null'], description: 'Monthly (or yearly, per item) amount in yuan' },
    from: { type: ['string', 'null'], format: 'date-time' },
    until: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;

export const noticeList = {
  type: 'object',
  additionalProperties: false,
  required: ['generatedAt', 'groups'],
  properties: {
    generatedAt: { type: 'string', format: 'date-time' },
    groups: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['orgUnitId', 'orgUnitName', 'itemKey', 'itemName', 'publicity', 'publication'],
        properties: {
          orgUnitId: { type: 'string' },
          orgUnitName: { type: 'string' },
          itemKey: { type: 'string' },
          itemName: { type: 'string' },
          publicity: { type: 'array', items: entry, description: '公示: cases in their notice period' },
          publication: { type: 'array', items: entry, description: '公布: approved cases' },
        },
      },
    },
  },
} as const;

export const caseParams = {
  type: 'object',
  additionalProperties: false,
  required: ['caseId'],
  properties: { caseId: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' } },
} as const;

export const objectionBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'phone', 'reason'],
  properties: {
    name: { type: 'string', minLength: 2, maxLength: 30, description: '异议人姓名' },
    phone: { type: 'string', format: 'cn-mobile', description: '异议人联系电话' },
    reason: { type: 'string', minLength: 5, maxLength: 2000, description: '异议事实和理由' },
  },
} as const;

export const objectionResult = {
  type: 'object',
  additionalProperties: false,
  required: ['caseId', 'received', 'receivedAt'],
  properties: {
    caseId: { type: 'string' },
    received: { type: 'boolean' },
    receivedAt: { type: 'string', format: 'date-time' },
  },
} as const;
