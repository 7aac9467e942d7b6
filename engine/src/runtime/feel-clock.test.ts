import { describe, expect, it } from 'vitest';
import { parseBpmn } from '../bpmn/parse.js';
import { ManualClock } from '../infra/clock.js';
import { compile } from './model.js';
import { Harness } from './testkit.js';

const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:minflow="http://minflow.dev/schema/bpmn/1.0" id="D" targetNamespace="x">
  <bpmn:process id="P" isExecutable="true">
    <bpmn:startEvent id="s"/>
    <bpmn:scriptTask id="age" scriptFormat="feel" minflow:resultVariable="ageInfo">
      <bpmn:script>= { day: string(today()), age: years and months duration(date("1946-03-03"), today()).years, at: string(now()) }</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:endEvent id="e"/>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="age"/>
    <bpmn:sequenceFlow id="f2" sourceRef="age" targetRef="e"/>
  </bpmn:process>
</bpmn:definitions>`;

describe('FEEL today() and now()', () => {
  it('read the injected clock, with the calendar day in Beijing time', async () => {
    const model = compile(await parseBpmn(xml));
    // 2026-03-02 20:30 UTC is already 2026-03-03 in Beijing: the applicant turns 80 that day.
    const h = new Harness(model, { clock: new ManualClock('2026-03-02T20:30:00.000Z') });
    h.start();
    expect(h.state.variables.ageInfo).toMatchObject({ day: '2026-03-03', age: 80 });
    expect(String((h.state.variables.ageInfo as { at: string }).at)).toContain('2026-03-02T20:30');
  });
});
