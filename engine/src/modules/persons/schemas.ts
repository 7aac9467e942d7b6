/** JSON Schemas of the person lookup API. */

const nullableString = { type: ['string', 'null'] } as const;

export const personQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    idNumber: { type: 'string', pattern: '^\\d{17}[\\dXx]$', description: 'resident ID number (exact)' },
    name: { type: 'string', minLength: 1, maxLength: 50, description: 'applicant name (prefix)' },
  },
  oneOf: [{ required: ['idNumber'] }, { required: ['name'] }],
} as const;

export const personResult = {
  type: 'object',
  additionalProperties: false,
  required: ['persons', 'cases', 'truncated'],
  properties: {
    persons: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'idNumber', 'matched', 'relation', 'caseIds', 'masked'],
        properties: {
          name: nullableString,
          idNumber: { type: 'string', description: 'masked (620422********1234) unless the caller may reveal it' },
          matched: { type: 'boolean' },
          relation: { type: 'string', enum: ['applicant', 'member'] },
          caseIds: { type: 'array', items: { type: 'string' } },
          masked: { type: 'boolean' },
        },
      },
    },
    cases: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'itemKey', 'itemName', 'status', 'orgUnitId', 'createdAt'],
        properties: {
          id: { type: 'string' },
          itemKey: { type: 'string' },
          itemName: {
            type: 'object',
            additionalProperties: false,
            required: ['zh'],
            properties: { zh: { type: 'string' }, en: { type: 'string' } },
          },
          status: { type: 'string' },
          applicantName: nullableString,
          orgUnitId: { type: 'string' },
          createdAt: { type: 'string' },
          endedAt: nullableString,
          benefit: {
            type: ['object', 'null'],
            additionalProperties: false,
            properties: {
              granted: { type: 'boolean' },
              monthlyAmount: { type: ['number', 'null'] },
              startMonth: nullableString,
            },
          },
        },
      },
    },
    truncated: { type: 'boolean', description: 'more cases matched than one answer holds; narrow the search' },
  },
} as const;
