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
      const published = await t.app.inject({ method: 'POST', url: `/api/definitions/${key}/publish`, headers });
      expect(published.statusCode, published.body).toBe(201);

      // It runs: every user task approved, the dry run reaches an end event (公示's timer fires at once).
      const userTasks = [...flowTemplate(template.id, key).matchAll(/<bpmn:userTask id="(\w+)"/g)].map((m) => m[1]);
      const sim = await t.app.inject({
        method: 'POST',
        url: `/api/definitions/${key}/simulate?version=1`,
        headers,
        payload: { data: { amount: 3000 }, decisions: Object.fromEntries(userTasks.map((id) => [id, 'approve'])) },
      });
      expect(sim.statusCode, sim.body).toBe(200);
      expect(sim.json()).toMatchObject({ status: 'completed', incidents: [] });
      if (template.id === 'dibao') {
        expect(sim.json().visited).toContain('noticeOver');
        expect(sim.json().variables.notice).toEqual({ householdSize: null, amount: 3000 });
        const objected = await t.app.inject({
          method: 'POST',
          url: `/api/definitions/${key}/simulate?version=1`,
          headers,
          payload: {
            data: { amount: 3000 },
            decisions: Object.fromEntries(userTasks.map((id) => [id, 'approve'])),
            messages: [{ name: 'objection' }],
          },
        });
        expect(objected.json().visited).toEqual(
          expect.arrayContaining(['objection', 'objectionReview', 'countyApproval']),
        );
        expect(objected.json().visited).not.toContain('noticeOver');
      }

      // …and a real case starts on it, with the first step in an inbox.
      const township = await loginAs(t.app, 'township');
      const started = await t.app.inject({
        method: 'POST',
        url: '/api/cases',
        headers: township,
        payload: { itemKey: key, data: { amount: 3000 } },
      });
      expect(started.statusCode, started.body).toBe(201);
      expect(started.json().openTasks.map((x: { elementId: string }) => x.elementId)).toEqual([userTasks[0]]);
    });
  }

  it('offers the three kinds of flow the issue asks for', () => {
    expect(FLOW_TEMPLATES.map((x) => x.id)).toEqual(expect.arrayContaining(['simple', 'dibao', 'emergency']));
  });
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
