import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, loginAs } from '../../../test/helpers.js';
import { residentId, simpleFormSchema } from '../definitions/fixtures.test-helpers.js';

const ns = `xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:minflow="http://minflow.dev/schema/bpmn/1.0" id="Defs" targetNamespace="http://minflow.dev/test"`;

/** The called item: its key (`household-check`) is not its BPMN process id (`HouseholdCheckFlow`). */
const childBpmn = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${ns}>
  <bpmn:process id="HouseholdCheckFlow" isExecutable="true">
    <bpmn:startEvent id="Start"/>
    <bpmn:userTask id="Verify" name="入户核实" minflow:roles="township-staff" minflow:level="township"/>
    <bpmn:endEvent id="End"/>
    <bpmn:sequenceFlow id="C1" sourceRef="Start" targetRef="Verify"/>
    <bpmn:sequenceFlow id="C2" sourceRef="Verify" targetRef="End"/>
  </bpmn:process>
</bpmn:definitions>`;

const parentBpmn = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${ns}>
  <bpmn:process id="AidWithCheck" isExecutable="true">
    <bpmn:startEvent id="Start"/>
    <bpmn:callActivity id="Check" name="家庭核实" calledElement="household-check"/>
    <bpmn:userTask id="Approve" name="县级审批" minflow:roles="county-approver" minflow:level="county"/>
    <bpmn:endEvent id="End"/>
    <bpmn:sequenceFlow id="P1" sourceRef="Start" targetRef="Check"/>
    <bpmn:sequenceFlow id="P2" sourceRef="Check" targetRef="Approve"/>
    <bpmn:sequenceFlow id="P3" sourceRef="Approve" targetRef="End"/>
  </bpmn:process>
</bpmn:definitions>`;

describe('call activity across requests', () => {
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await close?.();
    close = null;
  });

  it('a called item whose key differs from its process id is found again when the case is reloaded', async () => {
    const t = await createTestApp();
    close = () => t.close();
    const { app } = t;
    const admin = await loginAs(app, 'admin');
    for (const [key, bpmnXml] of [
      ['household-check', childBpmn],
      ['aid-with-check', parentBpmn],
    ] as const) {
      const created = await app.inject({
        method: 'POST',
        url: '/api/definitions',
        headers: admin,
        payload: {
          key,
          name: { zh: key },
          category: 'social-assistance',
          description: '测试：调用活动',
          startLevels: ['township'],
          formSchema: simpleFormSchema,
          uiSchema: {},
          bpmnXml,
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      const published = await app.inject({ method: 'POST', url: `/api/definitions/${key}/publish`, headers: admin });
      expect(published.statusCode, published.body).toBe(201);
    }

    const township = await loginAs(app, 'township');
    const filed = await app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { ...township, 'idempotency-key': 'call-activity-1' },
      payload: { itemKey: 'aid-with-check', data: { name: '王五', idNumber: residentId('620422', '19580302', '011') } },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const c = filed.json() as { id: string; openTasks: Array<{ id: string; elementId: string }> };
    expect(c.openTasks.map((x) => x.elementId)).toEqual(['Verify']);

    // A later request builds the case's context afresh: the child scope must resolve by the item key.
    const done = await app.inject({
      method: 'POST',
      url: `/api/tasks/${encodeURIComponent(c.openTasks[0].id)}/complete`,
      headers: township,
      payload: { action: 'approve' },
    });
    expect(done.statusCode, done.body).toBe(200);
    const detail = (await app.inject({ method: 'GET', url: `/api/cases/${c.id}`, headers: township })).json() as {
      status: string;
      openTasks: Array<{ elementId: string }>;
    };
    expect(detail.status).toBe('active');
    expect(detail.openTasks.map((x) => x.elementId)).toEqual(['Approve']);
  });
});
