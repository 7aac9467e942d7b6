import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ATTACHMENTS_FIELD,
  attachmentIdFromUrl,
  attachmentLimits,
  attachmentReferences,
  isAttachmentList,
  markAttachmentFields,
  schemaAtDataPath,
  uiOptionsAt,
} from './attachments.js';

const definitions = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../definitions');
const read = (item: string, file: string) => JSON.parse(fs.readFileSync(path.join(definitions, item, file), 'utf8'));

describe('attachment lists in the published forms', () => {
  const schema = read('dibao-rural', 'form.schema.json');
  const ui = read('dibao-rural', 'form.ui.json');

  it('finds the 低保 ID-card list through its $ref and reads its limits (10 MB, JPEG/PNG/PDF)', () => {
    const field = schemaAtDataPath(schema, '/attachments/idCards');
    expect(isAttachmentList(field, schema)).toBe(true);
    expect(isAttachmentList(schemaAtDataPath(schema, '/applicant/name'), schema)).toBe(false);
    const limits = attachmentLimits(field, schema, uiOptionsAt(ui, '/attachments/idCards'));
    expect(limits).toEqual({
      maxSize: 10 * 1024 * 1024,
      accept: ['image/jpeg', 'image/png', 'application/pdf'],
      maxItems: 20,
    });
  });

  it('ui:options.accept narrows the schema’s types', () => {
    const field = schemaAtDataPath(schema, '/attachments/idCards');
    expect(attachmentLimits(field, schema, { accept: 'application/pdf,.pdf' }).accept).toEqual(['application/pdf']);
  });

  it('marks every attachment list of every item with the one field key, keeping the rest of the uiSchema', () => {
    const marked = markAttachmentFields(schema, ui) as Record<string, Record<string, Record<string, unknown>>>;
    expect(marked.attachments.idCards['ui:field']).toBe(ATTACHMENTS_FIELD);
    expect(marked.attachments.idCards['ui:options']).toEqual(ui.attachments.idCards['ui:options']);
    expect(marked.attachments.other['ui:field']).toBe(ATTACHMENTS_FIELD);
    expect(marked.applicant).toBe(ui.applicant);
    expect(ui.attachments.idCards['ui:field']).toBeUndefined();
    let lists = 0;
    for (const item of fs.readdirSync(definitions)) {
      if (!fs.existsSync(path.join(definitions, item, 'form.schema.json'))) continue;
      const s = read(item, 'form.schema.json');
      lists += JSON.stringify(markAttachmentFields(s, {})).split(ATTACHMENTS_FIELD).length - 1;
    }
    expect(lists).toBeGreaterThan(18);
  });

  it('reads the ids referenced by a form value, and only engine urls', () => {
    expect(attachmentIdFromUrl('/api/attachments/abcDEF123_-x')).toBe('abcDEF123_-x');
    expect(attachmentIdFromUrl('/api/attachments/../../etc')).toBeNull();
    expect(attachmentIdFromUrl('https://example.com/a.pdf')).toBeNull();
    const refs = attachmentReferences({
      attachments: {
        idCards: [{ name: 'a.pdf', url: '/api/attachments/aaaaaaaaaa', size: 3, contentType: 'application/pdf' }],
        other: [{ name: 'b.png', url: 'https://elsewhere/b.png', size: 3, contentType: 'image/png' }],
      },
    });
    expect(refs).toEqual([{ id: 'aaaaaaaaaa', path: '/attachments/idCards/0' }]);
  });
});
