import { describe, expect, it } from 'vitest';
import {
  addField,
  blankForm,
  fieldForPointer,
  fieldNames,
  listFields,
  locId,
  moveField,
  patchSchema,
  removeField,
  renameField,
  setCondition,
  setRequired,
} from '../src/form/model';

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
});
