import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADDRESS_FIELD, findAddresses, isAddressField } from '@minflow/sdk/address';
import { attachmentLimits, isAttachmentList, markAttachmentFields } from '@minflow/sdk/attachments';
import { localizeUiSchema } from '@minflow/sdk/form-i18n';
import type { RJSFSchema } from '@rjsf/utils';
import { describe, expect, it } from 'vitest';
import {
  addField,
  applyDrop,
  blankForm,
  fieldForPointer,
  fieldNames,
  insertField,
  LIST_END,
  listFields,
  locId,
  moveField,
  moveFieldTo,
  PALETTE,
  patchSchema,
  patchUi,
  readAddressLevel,
  readEnglish,
  readFileSettings,
  removeField,
  renameField,
  setAddressLevel,
  setCondition,
  setEnglish,
  setFileSettings,
  setRequired,
} from '../src/form/model';
import { previewValidator } from '../src/form/validator';

function build() {
  let form = blankForm('冬季取暖补贴');
  let r = addField(form, 'text');
  form = setRequired(r.form, r.loc, true);
  r = addField(form, 'select');
  form = r.form;
  r = addField(form, 'number');
  form = r.form;
  return { form, numberLoc: r.loc };
}

describe('form builder model', () => {
  it('adds fields with fresh names, ui:order and the palette defaults', () => {
    const { form } = build();
    expect(Object.keys(form.schema.properties as object)).toEqual(['text', 'choice', 'number']);
    expect(form.uiSchema['ui:order']).toEqual(['text', 'choice', 'number']);
    expect(form.schema.required).toEqual(['text']);
    const again = addField(form, 'text');
    expect(again.loc.path).toEqual(['text2']);
    const id = addField(form, 'idNumber').form;
    expect((id.schema.properties as Record<string, { format?: string }>).idNumber.format).toBe('cn-resident-id');
    const phone = addField(form, 'phone').form;
    expect((phone.schema.properties as Record<string, { format?: string }>).phone.format).toBe('cn-mobile');
  });

  it('reorders, renames (required, ui, conditions follow) and removes', () => {
    const { form } = build();
    const moved = moveField(form, { path: ['number'] }, -1);
    expect(moved.uiSchema['ui:order']).toEqual(['text', 'number', 'choice']);
    expect(Object.keys(moved.schema.properties as object)).toEqual(['text', 'number', 'choice']);
    const renamed = renameField(moved, { path: ['text'] }, 'applicantName');
    if (typeof renamed === 'string') throw new Error(renamed);
    expect(renamed.form.schema.required).toEqual(['applicantName']);
    expect(renamed.form.uiSchema['ui:order']).toEqual(['applicantName', 'number', 'choice']);
    expect(renameField(moved, { path: ['text'] }, '姓名')).toMatch(/英文字母/);
    expect(renameField(moved, { path: ['text'] }, 'choice')).toMatch(/已被使用/);
    const removed = removeField(renamed.form, { path: ['applicantName'] });
    expect(removed.schema.required).toEqual([]);
    expect(listFields(removed).map((f) => f.name)).toEqual(['number', 'choice']);
  });

  it('conditional visibility writes allOf if/then, keeps required inside then, and is undone', () => {
    const { form, numberLoc } = build();
    const required = setRequired(form, numberLoc, true);
    const c = setCondition(required, numberLoc, { field: 'choice', op: 'eq', value: 'option1' });
    expect(c.loc).toEqual({ path: ['number'], cond: 0 });
    expect(c.form.schema.allOf).toEqual([
      {
        if: { properties: { choice: { const: 'option1' } }, required: ['choice'] },
        // biome-ignore lint/suspicious/noThenProperty: JSON Schema's then keyword
        then: { properties: { number: { type: 'number', title: '数字' } }, required: ['number'] },
      },
    ]);
    expect((c.form.schema.properties as object & Record<string, unknown>).number).toBeUndefined();
    expect(c.form.uiSchema['ui:order']).toEqual(['text', 'choice', '*']);
    const entry = listFields(c.form).find((f) => f.id === locId(c.loc));
    expect(entry?.condition).toEqual({ field: 'choice', op: 'eq', value: 'option1' });
    expect(entry?.required).toBe(true);
    // edits reach the field inside then
    const edited = patchSchema(c.form, c.loc, { minimum: 1 });
    expect(
      (edited.schema.allOf as Array<{ then: { properties: { number: { minimum: number } } } }>)[0].then.properties
        .number.minimum,
    ).toBe(1);
    // a rename follows into the if
    const renamed = renameField(c.form, { path: ['choice'] }, 'heatingType');
    if (typeof renamed === 'string') throw new Error(renamed);
    expect((renamed.form.schema.allOf as Array<{ if: unknown }>)[0].if).toEqual({
      properties: { heatingType: { const: 'option1' } },
      required: ['heatingType'],
    });
    const back = setCondition(c.form, c.loc, null);
    expect(back.form.schema.allOf).toBeUndefined();
    expect(back.form.schema.required).toEqual(['text', 'number']);
    expect(back.form.uiSchema['ui:order']).toEqual(['text', 'choice', 'number']);
    const gt = setCondition(form, numberLoc, { field: 'choice', op: 'gt', value: 2000 });
    expect((gt.form.schema.allOf as Array<{ if: unknown }>)[0].if).toEqual({
      properties: { choice: { exclusiveMinimum: 2000 } },
      required: ['choice'],
    });
  });

  it('drag and drop: a palette entry lands at the dropped position, a field moves to another position', () => {
    const { form } = build();
    const order = (f: typeof form, parent: string[] = []) =>
      listFields(f)
        .filter((x) => x.loc.path.length === parent.length + 1 && x.loc.path.join('/').startsWith(parent.join('/')))
        .map((x) => x.name);
    const inserted = insertField(form, 'date', [], 1);
    expect(inserted.loc).toEqual({ path: ['date'] });
    expect(order(inserted.form)).toEqual(['text', 'date', 'choice', 'number']);
    expect(inserted.form.uiSchema['ui:order']).toEqual(['text', 'date', 'choice', 'number']);
    expect(order(moveFieldTo(inserted.form, { path: ['number'] }, 0))).toEqual(['number', 'text', 'date', 'choice']);
    expect(order(moveFieldTo(inserted.form, { path: ['text'] }, 3))).toEqual(['date', 'choice', 'number', 'text']);
    expect(order(moveFieldTo(inserted.form, { path: ['text'] }, 99))).toEqual(['date', 'choice', 'number', 'text']);
    expect(moveFieldTo(inserted.form, { path: ['text'] }, 0)).toBe(inserted.form);
    // inside a section: the section's own order, the root untouched
    const sec = addField(blankForm(), 'section');
    let f = addField(sec.form, 'text', sec.loc.path).form;
    f = addField(f, 'phone', sec.loc.path).form;
    const dropped = insertField(f, 'idNumber', ['section'], 0);
    expect(listFields(dropped.form).map((x) => x.id)).toEqual([
      'section',
      'section/idNumber',
      'section/text',
      'section/phone',
    ]);
    expect((dropped.form.uiSchema.section as Record<string, unknown>)['ui:order']).toEqual([
      'idNumber',
      'text',
      'phone',
    ]);
    expect(order(moveFieldTo(dropped.form, { path: ['section', 'phone'] }, 1), ['section'])).toEqual([
      'idNumber',
      'phone',
      'text',
    ]);
    // conditional fields keep their place (they are shown where their rule puts them)
    const c = setCondition(form, { path: ['number'] }, { field: 'choice', op: 'eq', value: 'option1' });
    expect(moveFieldTo(c.form, c.loc, 0)).toBe(c.form);
  });

  it('drops in the field list: palette entries before a row, into a section, at the end; fields among siblings', () => {
    let form = build().form;
    const sec = addField(form, 'section');
    form = addField(sec.form, 'text', sec.loc.path).form;
    const ids = (r: { form: typeof form } | null) => (r ? listFields(r.form).map((f) => f.id) : null);
    expect(ids(applyDrop(form, { kind: 'date' }, 'choice'))).toEqual([
      'text',
      'date',
      'choice',
      'number',
      'section',
      'section/text',
    ]);
    expect(applyDrop(form, { kind: 'date' }, 'choice')?.loc).toEqual({ path: ['date'] });
    expect(ids(applyDrop(form, { kind: 'phone' }, 'section'))).toEqual([
      'text',
      'choice',
      'number',
      'section',
      'section/text',
      'section/phone',
    ]);
    expect(ids(applyDrop(form, { kind: 'phone' }, 'section/text'))?.slice(3)).toEqual([
      'section',
      'section/phone',
      'section/text',
    ]);
    expect(ids(applyDrop(form, { kind: 'file' }, LIST_END))?.at(-1)).toBe('files');
    // a field dragged down onto a row takes that row's place
    expect(ids(applyDrop(form, { field: 'text' }, 'number'))?.slice(0, 3)).toEqual(['choice', 'number', 'text']);
    expect(ids(applyDrop(form, { field: 'number' }, 'text'))?.slice(0, 3)).toEqual(['number', 'text', 'choice']);
    expect(ids(applyDrop(form, { field: 'text' }, LIST_END))).toEqual([
      'choice',
      'number',
      'section',
      'section/text',
      'text',
    ]);
    // not into another section, not onto itself, not off the list
    expect(applyDrop(form, { field: 'text' }, 'section/text')).toBeNull();
    expect(applyDrop(form, { field: 'text' }, 'text')).toBeNull();
    expect(applyDrop(form, { field: 'text' }, null)).toBeNull();
  });

  it('sections and repeating groups hold their own fields', () => {
    let form = blankForm();
    const sec = addField(form, 'section');
    const child = addField(sec.form, 'text', sec.loc.path);
    const grp = addField(child.form, 'group');
    const row = addField(grp.form, 'money', grp.loc.path);
    form = setRequired(row.form, row.loc, true);
    expect(listFields(form).map((f) => [f.id, f.depth, f.kind])).toEqual([
      ['section', 0, 'section'],
      ['section/text', 1, 'text'],
      ['rows', 0, 'group'],
      ['rows/amount', 1, 'money'],
    ]);
    expect((form.schema.properties as Record<string, { items: { required: string[] } }>).rows.items.required).toEqual([
      'amount',
    ]);
    expect((form.uiSchema.rows as { items: Record<string, unknown> }).items['ui:order']).toEqual(['amount']);
    expect(fieldNames(form).map((f) => f.feel)).toEqual(['section', 'section.text', 'rows', 'rows.amount']);
  });

  it('maps the engine’s JSON pointers to fields', () => {
    let form = blankForm();
    const sec = addField(form, 'section');
    const child = addField(sec.form, 'idNumber', sec.loc.path);
    const n = addField(child.form, 'number');
    form = setCondition(n.form, n.loc, { field: 'section', op: 'eq', value: 'x' }).form;
    expect(fieldForPointer(form, '/formSchema/properties/section/properties/idNumber/format')).toEqual({
      path: ['section', 'idNumber'],
    });
    expect(fieldForPointer(form, '/properties/section/pattern')).toEqual({ path: ['section'] });
    expect(fieldForPointer(form, '/formSchema/allOf/0/then/properties/number/minimum')).toEqual({
      path: ['number'],
      cond: 0,
    });
    expect(fieldForPointer(form, '/section/idNumber')).toEqual({ path: ['section', 'idNumber'] });
    expect(fieldForPointer(form, '/formSchema/properties/nope')).toBeNull();
  });

  it('a file upload field is the attachment list the runtime UI and the engine recognise, with its limits', () => {
    const added = addField(blankForm(), 'file');
    const loc = added.loc;
    let form = setFileSettings(added.form, loc, { types: ['application/pdf', 'image/jpeg'], maxMB: 5, maxItems: 3 });
    form = setRequired(form, loc, true);
    const list = (form.schema.properties as Record<string, unknown>).files;
    expect(isAttachmentList(list, form.schema)).toBe(true);
    expect(markAttachmentFields(form.schema, form.uiSchema)).toMatchObject({
      files: { 'ui:field': 'minflow-attachments' },
    });
    const ui = (form.uiSchema.files as { 'ui:options': Record<string, unknown> })['ui:options'];
    expect(ui.accept).toBe('application/pdf,image/jpeg');
    expect(attachmentLimits(list, form.schema, ui)).toEqual({
      maxSize: 5 * 1024 * 1024,
      accept: ['application/pdf', 'image/jpeg'],
      maxItems: 3,
    });
    const entry = listFields(form)[0];
    expect([entry.kind, entry.required]).toEqual(['file', true]);
    expect(readFileSettings(form, entry)).toEqual({ types: ['application/pdf', 'image/jpeg'], maxMB: 5, maxItems: 3 });
    // what the applicant meets: a PDF of 1 MB passes; a PNG, a 6 MB file, no file or 4 files are refused
    const check = (files: unknown[]) =>
      previewValidator().validateFormData({ files }, form.schema as RJSFSchema).errors.length;
    const file = (contentType: string, size: number) => ({
      name: 'a',
      url: '/api/attachments/abcdefgh12',
      size,
      contentType,
    });
    expect(check([file('application/pdf', 1024 * 1024)])).toBe(0);
    expect(check([file('image/png', 1024)])).toBeGreaterThan(0);
    expect(check([file('application/pdf', 6 * 1024 * 1024)])).toBeGreaterThan(0);
    expect(check([])).toBeGreaterThan(0);
    expect(check(Array.from({ length: 4 }, () => file('image/jpeg', 10)))).toBeGreaterThan(0);
    // not required: an empty list is fine again
    expect(
      previewValidator().validateFormData({ files: [] }, setRequired(form, loc, false).schema as RJSFSchema).errors,
    ).toEqual([]);
  });
});

describe('the address palette entry (地址, minflow-address)', () => {
  it('adds an address the runtime UI and the engine recognise, down to a village unless set otherwise', () => {
    expect(PALETTE.find((p) => p.kind === 'address')).toMatchObject({ label: '地址', en: 'Address' });
    const added = addField(blankForm(), 'address');
    expect(added.loc.path).toEqual(['address']);
    let form = setRequired(added.form, added.loc, true);
    const schema = (form.schema.properties as Record<string, Record<string, unknown>>).address;
    expect(schema.title).toBe('地址');
    expect(form.uiSchema.address).toEqual({ 'ui:field': ADDRESS_FIELD, 'ui:options': { level: 'village' } });
    expect(isAddressField(schema, form.uiSchema.address)).toBe(true);
    let entry = listFields(form)[0];
    expect([entry.kind, entry.required, readAddressLevel(entry)]).toEqual(['address', true, 'village']);
    // its parts are not listed as fields of their own (it is not a section)
    expect(listFields(form).map((f) => f.id)).toEqual(['address']);

    form = setAddressLevel(form, added.loc, 'township');
    entry = listFields(form)[0];
    expect(readAddressLevel(entry)).toBe('township');
    expect(form.uiSchema.address).toEqual({ 'ui:field': ADDRESS_FIELD, 'ui:options': { level: 'township' } });
    // the engine finds it in case data at the level chosen here
    expect(findAddresses(form.schema, form.uiSchema, { address: { unitId: 'baiyin/huining/huishi' } })).toEqual([
      { path: '/address', value: { unitId: 'baiyin/huining/huishi' }, level: 'township' },
    ]);

    // what the applicant meets: a picked unit passes; none, or a 101-character detail, is refused
    const errors = (address: unknown) =>
      previewValidator().validateFormData({ address }, form.schema as RJSFSchema).errors.length;
    expect(errors({ unitId: 'baiyin/huining/huishi', detail: '三组12号' })).toBe(0);
    expect(errors(undefined)).toBeGreaterThan(0);
    expect(errors({ detail: '三组' })).toBeGreaterThan(0);
    expect(errors({ unitId: 'baiyin/huining/huishi', detail: '号'.repeat(101) })).toBeGreaterThan(0);
  });
});

describe('English texts of a field (ui:i18n.en)', () => {
  it('stores them in the uiSchema, shows them in English only, and removes them when cleared', () => {
    const start = addField(blankForm('冬季取暖补贴'), 'text');
    let form = start.form;
    const schemaBefore = JSON.stringify(form.schema);
    form = setEnglish(form, start.loc, { title: 'Full name' });
    form = setEnglish(form, start.loc, { help: 'As on the ID card' });
    expect(JSON.stringify(form.schema)).toBe(schemaBefore); // the server's contract is untouched
    expect(form.uiSchema.text).toEqual({ 'ui:i18n': { en: { title: 'Full name', help: 'As on the ID card' } } });
    const field = listFields(form).find((f) => f.name === 'text');
    expect(field && readEnglish(field)).toEqual({ title: 'Full name', help: 'As on the ID card' });
    const en = localizeUiSchema(form.uiSchema, form.schema, 'en') as Record<string, Record<string, unknown>>;
    expect(en.text['ui:title']).toBe('Full name');
    expect(en.text['ui:help']).toBe('As on the ID card');
    expect(localizeUiSchema(form.uiSchema, form.schema, 'zh-CN')).toBe(form.uiSchema);
    // clearing one keeps the other; clearing both leaves no trace
    form = setEnglish(form, start.loc, { title: '' });
    expect(form.uiSchema.text).toEqual({ 'ui:i18n': { en: { help: 'As on the ID card' } } });
    form = setEnglish(form, start.loc, { help: '' });
    expect(JSON.stringify(form)).toBe(JSON.stringify(start.form));
  });

  it('works for a field inside a repeating group and keeps its other display settings', () => {
    const group = addField(blankForm(), 'group');
    const child = addField(group.form, 'text', group.loc.path);
    let form = patchUi(child.form, child.loc, { 'ui:help': '称谓' });
    const withHelp = JSON.stringify(form);
    form = setEnglish(form, child.loc, { title: 'Relation' });
    const items = (form.uiSchema.rows as Record<string, Record<string, unknown>>).items;
    expect(items.text).toEqual({ 'ui:help': '称谓', 'ui:i18n': { en: { title: 'Relation' } } });
    const en = localizeUiSchema(form.uiSchema, form.schema, 'en') as Record<string, Record<string, unknown>>;
    expect(((en.rows.items as Record<string, unknown>).text as Record<string, unknown>)['ui:title']).toBe('Relation');
    form = setEnglish(form, child.loc, { title: '' });
    expect(JSON.stringify(form)).toBe(withHelp);
  });
});

/** Every item's application form, opened in the builder. */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const definitionForms = fs
  .readdirSync(path.join(root, 'definitions'))
  .filter((k) => fs.existsSync(path.join(root, 'definitions', k, 'form.schema.json')))
  .map((key) => {
    const read = (f: string) => JSON.parse(fs.readFileSync(path.join(root, 'definitions', key, f), 'utf8'));
    const ui = fs.existsSync(path.join(root, 'definitions', key, 'form.ui.json')) ? read('form.ui.json') : {};
    return { key, form: { schema: read('form.schema.json'), uiSchema: ui } };
  });

describe('the 19 items’ forms in the builder', () => {
  it('finds them', () => expect(definitionForms.length).toBe(19));
  for (const { key, form } of definitionForms) {
    it(`${key}: attachment lists open as file fields with their limits; editing one leaves the others`, () => {
      const before = structuredClone(form);
      const fields = listFields(form);
      expect(form).toEqual(before); // opening changes nothing
      const files = fields.filter((f) => f.kind === 'file');
      const byShape = fields.filter((f) => isAttachmentList(f.schema, form.schema));
      expect(files.map((f) => f.id)).toEqual(byShape.map((f) => f.id));
      // an untouched edit (same title) keeps the schema as it was
      for (const f of fields) expect(patchSchema(form, f.loc, { title: f.schema.title })).toEqual(form);
      // an English title typed and cleared again leaves the form byte for byte as it was
      const text = JSON.stringify(form);
      for (const f of fields) {
        const typed = setEnglish(form, f.loc, { title: 'Title' });
        expect(JSON.stringify(typed.schema)).toBe(JSON.stringify(form.schema));
        expect(JSON.stringify(setEnglish(typed, f.loc, { title: '' }))).toBe(text);
      }
      if (files.length === 0) return;
      const [first, second] = files;
      const opts = (f: { ui: Record<string, unknown> }) => (f.ui['ui:options'] ?? {}) as Record<string, unknown>;
      const limits = attachmentLimits(first.schema, form.schema, opts(first));
      expect(readFileSettings(form, first).types).toEqual(limits.accept);
      const edited = setFileSettings(form, first.loc, { maxMB: 2 });
      const after = listFields(edited).find((f) => f.id === first.id);
      expect(after?.kind).toBe('file');
      expect(after && attachmentLimits(after.schema, edited.schema, opts(after))).toEqual({
        ...limits,
        maxSize: 2 * 1024 * 1024,
      });
      if (second) {
        const other = listFields(edited).find((f) => f.id === second.id);
        expect(attachmentLimits(other?.schema, edited.schema, {})).toEqual(
          attachmentLimits(second.schema, form.schema, {}),
        );
      }
    });
  }
});
