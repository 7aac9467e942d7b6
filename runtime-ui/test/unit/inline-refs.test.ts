import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RJSFSchema } from '@rjsf/utils';
import { describe, expect, it } from 'vitest';
import { inlineLocalRefs } from '../../src/forms/inline-refs.ts';
import { formValidator } from '../../src/forms/validator.ts';

const definitions = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../definitions');
const items = fs
  .readdirSync(definitions)
  .filter((k) => fs.existsSync(path.join(definitions, k, 'form.schema.json')))
  .map((key) => ({
    key,
    schema: JSON.parse(fs.readFileSync(path.join(definitions, key, 'form.schema.json'), 'utf8')) as RJSFSchema,
  }));

/** What a person is told: each error's field and message. */
function errorsOf(schema: RJSFSchema, data: unknown) {
  return formValidator(schema, 'zh-CN')
    .validateFormData(data, schema)
    .errors.map((e) => `${e.property} ${e.message}`)
    .sort();
}

const attachment = { name: '身份证.pdf', url: '/api/attachments/abc', size: 1000, contentType: 'application/pdf' };
/** Data that meets the attachment lists and misses or breaks the rest: the errors say where the schemas differ. */
const samples = [
  {},
  { attachments: { idCards: [attachment], hukouBook: [] } },
  { attachments: { idCards: [{ ...attachment, size: -1 }], other: Array(30).fill(attachment) } },
  { applicant: { name: '', idNumber: '123' }, household: { members: [{ name: 'x' }] } },
];

describe('the form schema with its $refs inlined (what rjsf renders and the browser validates)', () => {
  it.each(items.map((i) => [i.key, i.schema] as const))(
    '%s: no local reference left, and the same errors for the same data',
    (_key, schema) => {
      const inlined = inlineLocalRefs(schema);
      expect(JSON.stringify(inlined)).not.toContain('"$ref"');
      for (const data of samples) expect(errorsOf(inlined, data)).toEqual(errorsOf(schema, data));
    },
  );

  it('keeps the keywords beside a $ref (a field’s own title and minItems) over the definition', () => {
    const schema = {
      definitions: { list: { type: 'array', title: '附件', maxItems: 3, items: { type: 'string' } } },
      type: 'object',
      properties: { idCards: { $ref: '#/definitions/list', title: '身份证', minItems: 1 } },
    } as RJSFSchema;
    expect(inlineLocalRefs(schema).properties?.idCards).toEqual({
      type: 'array',
      title: '身份证',
      maxItems: 3,
      minItems: 1,
      items: { type: 'string' },
    });
  });

  it('leaves a schema it cannot inline exactly as it is: recursive, remote, or contradicting its definition', () => {
    const recursive = {
      definitions: { node: { type: 'object', properties: { child: { $ref: '#/definitions/node' } } } },
      $ref: '#/definitions/node',
    } as RJSFSchema;
    expect(inlineLocalRefs(recursive)).toBe(recursive);
    const remote = { properties: { a: { $ref: 'https://example.org/a.json' } } } as RJSFSchema;
    expect(inlineLocalRefs(remote)).toBe(remote);
    const contradicting = {
      definitions: { short: { type: 'string', maxLength: 5 } },
      properties: { a: { $ref: '#/definitions/short', maxLength: 10 } },
    } as RJSFSchema;
    expect(inlineLocalRefs(contradicting)).toBe(contradicting);
  });
});
