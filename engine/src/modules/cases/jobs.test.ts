import { definePlugin, PluginError } from '@minflow/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, loginAs } from '../../../test/helpers.js';
import { ManualClock } from '../../infra/clock.js';
import type { InlineQueue } from '../../infra/queue/inline.js';
import { residentId, simpleFormSchema } from '../definitions/fixtures.test-helpers.js';

/** start → economic check (service task) → township review (boundary timer PT2H escalates to the county) → end. */
const bpmn = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:minflow="http://minflow.dev/schema/bpmn/1.0" id="Defs" targetNamespace="http://minflow.dev/test">
  <bpmn:process id="CheckedAid" isExecutable="true">
    <bpmn:startEvent id="Start"/>
    <bpmn:serviceTask id="economicCheck" name="经济状况核对" minflow:handler="test-check" minflow:retries="2" minflow:backoff="PT1M"/>
    <bpmn:exclusiveGateway id="Passed" default="ToReview"/>
    <bpmn:userTask id="Review" name="乡镇审核" minflow:roles="township-staff" minflow:level="township"/>
    <bpmn:boundaryEvent id="Overdue" attachedToRef="Review" cancelActivity="true">
      <bpmn:timerEventDefinition><bpmn:timeDuration>PT2H</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:userTask id="Escalated" name="县级督办" minflow:roles="county-approver" minflow:level="county"/>
    <bpmn:endEvent id="Done"/>
    <bpmn:endEvent id="Refused"/>
    <bpmn:endEvent id="EscalationDone"/>
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="economicCheck"/>
    <bpmn:sequenceFlow id="F2" sourceRef="economicCheck" targetRef="Passed"/>
    <bpmn:sequenceFlow id="ToRefused" sourceRef="Passed" targetRef="Refused">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">= economicCheck.passed = false</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="ToReview" sourceRef="Passed" targetRef="Review"/>
    <bpmn:sequenceFlow id="F3" sourceRef="Review" targetRef="Done"/>
    <bpmn:sequenceFlow id="F4" sourceRef="Overdue" targetRef="Escalated"/>
    <bpmn:sequenceFlow id="F5" sourceRef="Escalated" targetRef="EscalationDone"/>
  </bpmn:process>
</bpmn:definitions>`;

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

describe('service tasks and timers through the queue', () => {
  let t: TestApp | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  async function setUp(run: (idNumber: string, attempt: number) => Promise<Record<string, unknown>>) {
    const clock = new ManualClock('2026-03-02T01:00:00Z');
    const calls: Array<{ jobKey: string; attempt: number }> = [];
    const plugin = definePlugin({
      name: 'test-check',
      version: '1.0.0',
      title: { zh: '测试核对' },
      handlers: {
        'test-check': {
          title: { zh: '测试核对' },
          async run(ctx) {
            calls.push({ jobKey: ctx.jobKey, attempt: ctx.attempt });
            return run(String(ctx.variables.idNumber), ctx.attempt);
          },
        },
      },
    });
    t = await createTestApp({ clock, plugins: [plugin] });
    const app = t.app;
    const admin = await loginAs(app, 'admin');
    const def = {
      key: 'checked-aid',
      name: { zh: '核对后救助' },
      category: 'social-assistance',
      description: '测试：经济状况核对与超时督办',
      startLevels: ['township'],
      formSchema: simpleFormSchema,
      uiSchema: {},
      bpmnXml: bpmn,
    };
    const created = await app.inject({ method: 'POST', url: '/api/definitions', headers: admin, payload: def });
    expect(created.statusCode, created.body).toBe(201);
    const published = await app.inject({ method: 'POST', url: '/api/definitions/checked-aid/publish', headers: admin });
    expect(published.statusCode, published.body).toBe(201);
    const township = await loginAs(app, 'township');
    const county = await loginAs(app, 'county');
    const queue = app.queue as InlineQueue;
    const file = async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/cases',
        headers: { ...township, 'idempotency-key': `file-${calls.length}-${Math.random()}` },
        payload: { itemKey: 'checked-aid', data: { name: '李四', idNumber: residentId('620422', '19600101', '001') } },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; openTasks: unknown[] };
    };
    // Sessions follow the same manual clock (30-minute idle timeout): sign in again after moving it.
    const read = async (id: string) =>
      (await app.inject({ method: 'GET', url: `/api/cases/${id}`, headers: await loginAs(app, 'township') })).json();
    const inbox = async (user: string) =>
      (await app.inject({ method: 'GET', url: '/api/tasks', headers: await loginAs(app, user) })).json();
    return { app, clock, queue, calls, township, county, file, read, inbox };
  }

  it('runs the handler once, stores its result for the gateway, and a boundary timer escalates an overdue review', async () => {
    const s = await setUp(async () => ({ passed: true, reportNo: 'HD-1' }));
    const c = await s.file();
    expect(c.openTasks).toEqual([]);
    await s.queue.runDue();
    let detail = await s.read(c.id);
    expect(s.calls).toHaveLength(1);
    expect(detail.variables.economicCheck).toEqual({ passed: true, reportNo: 'HD-1' });
    expect(detail.openTasks.map((x: { elementId: string }) => x.elementId)).toEqual(['Review']);

    // A second delivery of the same job (a worker died after the handler ran) must not advance the case again.
    await s.queue.enqueue({
      key: 'redelivery',
      name: 'service-task',
      payload: { caseId: c.id, jobKey: s.calls[0].jobKey },
    });
    await s.queue.runDue();
    expect(s.calls).toHaveLength(1);

    s.clock.advance(60 * 60 * 1000);
    await s.queue.runDue();
    detail = await s.read(c.id);
    expect(detail.openTasks.map((x: { elementId: string }) => x.elementId)).toEqual(['Review']);

    s.clock.advance(61 * 60 * 1000);
    await s.queue.runDue();
    detail = await s.read(c.id);
    expect(detail.openTasks.map((x: { elementId: string }) => x.elementId)).toEqual(['Escalated']);
    const countyInbox = await s.inbox('county');
    expect(countyInbox.items.map((x: { elementId: string }) => x.elementId)).toContain('Escalated');
    const townshipInbox = await s.inbox('township');
    expect(townshipInbox.items.filter((x: { caseId: string }) => x.caseId === c.id)).toEqual([]);
  });

  it('retries a failing handler with backoff, then raises an incident that a retry resolves once', async () => {
    let failing = true;
    const s = await setUp(async () => {
      if (failing) throw new PluginError('CHECK_DOWN', '核对平台暂不可用');
      return { passed: false };
    });
    const c = await s.file();
    await s.queue.runDue();
    expect(s.calls.map((x) => x.attempt)).toEqual([1]);
    s.clock.advance(61_000);
    await s.queue.runDue();
    expect(s.calls.map((x) => x.attempt)).toEqual([1, 2]);
    s.clock.advance(10 * 60_000);
    await s.queue.runDue();
    expect(s.calls).toHaveLength(2);

    const township = await loginAs(s.app, 'township');
    const incidents = (await s.app.inject({ method: 'GET', url: '/api/incidents', headers: township })).json();
    const mine = incidents.items.find((x: { caseId: string }) => x.caseId === c.id);
    expect(mine.incidents).toEqual([
      expect.objectContaining({ elementId: 'economicCheck', message: expect.stringContaining('核对平台暂不可用') }),
    ]);

    failing = false;
    const retried = await s.app.inject({
      method: 'POST',
      url: `/api/incidents/${mine.incidents[0].id}/retry`,
      headers: township,
    });
    expect(retried.statusCode, retried.body).toBe(200);
    await s.queue.runDue();
    const detail = await s.read(c.id);
    expect(detail.status).toBe('completed');
    expect(detail.incidents).toEqual([]);
    expect(s.calls).toHaveLength(3);
  });
});
