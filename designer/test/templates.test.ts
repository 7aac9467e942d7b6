import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {} from '../../engine/src/fastify-augment.ts';
import { createTestApp, loginAs, type TestApp } from '../../engine/test/helpers.ts';
import { dueDays, joinList, normalizeFeel, splitList } from '../src/flow/attrs';
import { FLOW_TEMPLATES, flowTemplate, processIdFor } from '../src/flow/templates';
import { addField, blankForm, renameField } from '../src/form/model';

describe('flow templates pass the engine’s publish validation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  for (const template of FLOW_TEMPLATES) {
    it(`${template.id}: ${template.label}`, async () => {
      const key = `tpl-${template.id}`;
      const added = addField(blankForm('模板'), 'money');
      const named = renameField(added.form, added.loc, 'amount');
      if (typeof named === 'string') throw new Error(named);
      const headers = await loginAs(t.app, 'admin');
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/definitions',
        headers,
        payload: {
          key,
          name: { zh: '模板检查' },
          category: 'social-assistance',
          startLevels: ['village', 'township'],
          formSchema: named.form.schema,
          uiSchema: named.form.uiSchema,
          bpmnXml: flowTemplate(template.id, key),
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      const res = await t.app.inject({ method: 'POST', url: `/api/definitions/${key}/validate`, headers });
      expect(res.json()).toEqual({ valid: true, problems: [] });
    });
  }
});

describe('minflow attribute helpers', () => {
  it('lists, durations, FEEL and process ids', () => {
    expect(splitList(' township-staff, investigator ,')).toEqual(['township-staff', 'investigator']);
    expect(joinList([])).toBeUndefined();
    expect(joinList(['approve', 'reject'])).toBe('approve,reject');
    expect(dueDays('P10D')).toBe(10);
    expect(dueDays('PT4H')).toBeNull();
    expect(normalizeFeel(' amount > 2000 ')).toBe('= amount > 2000');
    expect(normalizeFeel('= a')).toBe('= a');
    expect(normalizeFeel('  ')).toBe('');
    expect(processIdFor('winter-heating')).toBe('winterHeating');
    expect(processIdFor('2x')).toBe('p_2x');
  });
});
