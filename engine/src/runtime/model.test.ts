import { describe, expect, it } from 'vitest';
import { parseBpmn } from '../bpmn/parse.js';
import { compile } from './model.js';
import { loadFixture } from './testkit.js';

const wrap = (body: string, extra = '') => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:minflow="http://minflow.dev/schema/bpmn/1.0" id="d" targetNamespace="x">${extra}
  <bpmn:process id="p" isExecutable="true">${body}</bpmn:process>
</bpmn:definitions>`;

async function problems(xml: string): Promise<Array<{ path: string; message: string }>> {
  try {
    compile(await parseBpmn(xml));
  } catch (e) {
    expect((e as { code: string }).code).toBe('MINFLOW_ERR_RUNTIME_MODEL_INVALID');
    return (e as { details: Array<{ path: string; message: string }> }).details;
  }
  return [];
}

describe('compile', () => {
  it('produces a plain serialisable graph with minflow attributes parsed', async () => {
    const model = await loadFixture('sequence');
    expect(JSON.parse(JSON.stringify(model))).toEqual(model);
    expect(model.startNode).toBe('start');
    expect(model.nodes['accept']).toMatchObject({
      type: 'userTask',
      incoming: ['f1'],
      outgoing: ['f2'],
      userTask: {
        roles: ['township-staff'],
        level: 'township',
        editable: ['/income', '/members'],
        due: 'P3D',
        calendar: 'workdays',
      },
    });
    expect(model.nodes['approve']!.userTask!.actions).toEqual(['approve', 'reject', 'return']);
  });

  it('accepts the shared format spellings carbonCopy (= cc) and withdraw (a case operation) in minflow:actions', async () => {
    const model = compile(
      await parseBpmn(
        wrap(`<bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="t"/>
        <bpmn:userTask id="t" minflow:actions="approve,carbonCopy,withdraw,comment"/>`),
      ),
    );
    expect(model.nodes['t']!.userTask!.actions).toEqual(['approve', 'cc', 'comment']);
  });

  it('reads timers, messages, boundaries, multi-instance, service and call attributes', async () => {
    const timers = await loadFixture('timers');
    expect(timers.nodes['review']!.boundaries).toEqual(['remind', 'escalate']);
    expect(timers.nodes['remind']).toMatchObject({
      attachedTo: 'review',
      cancelActivity: false,
      timer: { kind: 'cycle', value: 'R3/PT10M' },
    });
    expect(timers.nodes['escalate']!.cancelActivity).toBe(true);
    expect((await loadFixture('event-gateway')).messageNames).toEqual(['objection']);
    expect((await loadFixture('mi-sequential-ratio')).nodes['vote']!.multiInstance).toEqual({
      sequential: true,
      collection: '= committee',
      cardinality: null,
      elementVariable: 'member',
      completionCondition: '= nrOfApproved / nrOfInstances >= 2/3',
    });
    expect((await loadFixture('script-service')).nodes['check']!.job).toEqual({
      handler: 'econ-check',
      retries: 3,
      backoff: 'PT1M',
    });
    const parent = await loadFixture('call-parent');
    expect(parent.calledElements).toEqual(['econCheck']);
    expect((await loadFixture('inclusive')).nodes['join']!.upstream).toEqual([
      'basic',
      'disability',
      'fork',
      'medical',
      'start',
    ]);
  });

  it('refuses what it cannot execute, naming each element', async () => {
    const found = await problems(
      wrap(`
      <bpmn:startEvent id="s"/>
      <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="g"/>
      <bpmn:exclusiveGateway id="g"/>
      <bpmn:sequenceFlow id="f2" sourceRef="g" targetRef="t"/>
      <bpmn:sequenceFlow id="f3" sourceRef="g" targetRef="t2"/>
      <bpmn:userTask id="t2"/>
      <bpmn:userTask id="t" minflow:due="ten days" minflow:actions="approve,shout"/>
      <bpmn:manualTask id="m"/>
      <bpmn:serviceTask id="svc"/>
      <bpmn:intermediateCatchEvent id="c"><bpmn:timerEventDefinition><bpmn:timeCycle>every day</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`),
    );
    const byId = (id: string) => found.filter((p) => p.path === id).map((p) => p.message);
    expect(byId('m').join()).toMatch(/ManualTask is not supported/);
    expect(byId('t').join()).toMatch(/not an ISO 8601 duration/);
    expect(byId('t').join()).toMatch(/unknown action "shout"/);
    expect(byId('svc').join()).toMatch(/without minflow:handler/);
    expect(byId('c').join()).toMatch(/repeating interval/);
    expect(byId('f2').join()).toMatch(/needs a condition or must be the default/);
  });

  it('needs exactly one none start event', async () => {
    const found = await problems(wrap('<bpmn:endEvent id="e"/>'));
    expect(found).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/exactly one none start event/) }),
    ]);
  });
});
