import { describe, expect, it } from 'vitest';
import {
  feelSyntaxProblem,
  isIsoCycle,
  isIsoDateTime,
  isIsoDuration,
  type LintProblem,
  lintBpmn,
  lintMessage,
  schemaHasPointer,
} from './lint.js';
import { parseBpmn } from './parse.js';

const formSchema = {
  type: 'object',
  properties: {
    applicant: { type: 'object', properties: { name: { type: 'string' } } },
    members: { type: 'array', items: { type: 'object', properties: { income: { type: 'number' } } } },
    hasBank: { type: 'boolean' },
  },
  if: { properties: { hasBank: { const: true } } },
  // biome-ignore lint/suspicious/noThenProperty: `then` is a JSON Schema keyword here.
  then: { properties: { bank: { $ref: '#/$defs/bank' } } },
  $defs: { bank: { type: 'object', properties: { account: { type: 'string' } } } },
};
const context = { formSchema, taskFormKeys: ['review'] };

function doc(processBody: string, processAttrs = 'isExecutable="true"', extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:minflow="http://minflow.dev/schema/bpmn/1.0" id="Defs" targetNamespace="http://minflow.dev/test">
  ${extra}
  <bpmn:process id="Process_1" ${processAttrs}>${processBody}</bpmn:process>
</bpmn:definitions>`;
}

const task = (id: string, attrs = '') =>
  `<bpmn:userTask id="${id}" minflow:roles="township-staff" minflow:level="township" ${attrs}/>`;
const flow = (id: string, from: string, to: string, condition?: string) =>
  condition === undefined
    ? `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"/>`
    : `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${condition}</bpmn:conditionExpression></bpmn:sequenceFlow>`;

/** start → Task_1 → end, with `middle` replacing the task when given. */
function linear(taskXml = task('Task_1')): string {
  return doc(`<bpmn:startEvent id="Start"/>${taskXml}<bpmn:endEvent id="End"/>
    ${flow('F1', 'Start', 'Task_1')}${flow('F2', 'Task_1', 'End')}`);
}

async function lint(xml: string): Promise<LintProblem[]> {
  return lintBpmn(await parseBpmn(xml), context);
}

function rules(problems: LintProblem[]): Array<[string, string]> {
  return problems.map((p) => [p.elementId, p.rule]);
}

describe('lintBpmn: a valid flow', () => {
  it('accepts every supported element together', async () => {
    const xml = doc(
      `<bpmn:startEvent id="Start"/>
      ${task('Intake', 'minflow:form="review" minflow:editable="/applicant/name,/members/0/income,/bank/account" minflow:due="P3D" minflow:calendar="workdays" minflow:actions="approve,reject,return"')}
      <bpmn:exclusiveGateway id="Decide" default="ToReject"/>
      <bpmn:parallelGateway id="Fork"/>
      <bpmn:serviceTask id="Check" minflow:handler="economic-check" minflow:retries="3" minflow:backoff="PT1M"/>
      <bpmn:scriptTask id="Amount" scriptFormat="feel" minflow:resultVariable="amount"><bpmn:script>= count(members) * 100</bpmn:script></bpmn:scriptTask>
      <bpmn:parallelGateway id="Join"/>
      <bpmn:userTask id="Vote" minflow:roles="village-assistant" minflow:level="village">
        <bpmn:multiInstanceLoopCharacteristics minflow:collection="= committee" minflow:elementVariable="member">
          <bpmn:completionCondition xsi:type="bpmn:tFormalExpression">= nrOfApproved / nrOfInstances &gt;= 0.5</bpmn:completionCondition>
        </bpmn:multiInstanceLoopCharacteristics>
      </bpmn:userTask>
      <bpmn:boundaryEvent id="VoteTimeout" attachedToRef="Vote" cancelActivity="false">
        <bpmn:timerEventDefinition><bpmn:timeDuration>P7D</bpmn:timeDuration></bpmn:timerEventDefinition>
      </bpmn:boundaryEvent>
      <bpmn:endEvent id="Reminded"/>
      <bpmn:eventBasedGateway id="Notice"/>
      <bpmn:intermediateCatchEvent id="NoticeOver"><bpmn:timerEventDefinition><bpmn:timeDuration>P7D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:intermediateCatchEvent id="Objection"><bpmn:messageEventDefinition messageRef="Msg_Objection"/></bpmn:intermediateCatchEvent>
      <bpmn:subProcess id="Pay">
        <bpmn:startEvent id="PayStart"/>
        ${task('PayTask')}
        <bpmn:endEvent id="PayEnd"/>
        ${flow('P1', 'PayStart', 'PayTask')}${flow('P2', 'PayTask', 'PayEnd')}
      </bpmn:subProcess>
      <bpmn:callActivity id="Medical" calledElement="medical-aid"/>
      <bpmn:inclusiveGateway id="Notify"/>
      <bpmn:endEvent id="Done"/>
      <bpmn:endEvent id="Rejected"><bpmn:terminateEventDefinition/></bpmn:endEvent>
      <bpmn:textAnnotation id="Note"><bpmn:text>说明</bpmn:text></bpmn:textAnnotation>
      <bpmn:association id="Assoc" sourceRef="Intake" targetRef="Note"/>
      ${flow('F1', 'Start', 'Intake')}
      ${flow('F2', 'Intake', 'Decide')}
      ${flow('ToFork', 'Decide', 'Fork', '= action = "approve"')}
      ${flow('ToReject', 'Decide', 'Rejected')}
      ${flow('F3', 'Fork', 'Check')}${flow('F4', 'Fork', 'Amount')}
      ${flow('F5', 'Check', 'Join')}${flow('F6', 'Amount', 'Join')}
      ${flow('F7', 'Join', 'Vote')}${flow('F8', 'Vote', 'Notice')}
      ${flow('F9', 'VoteTimeout', 'Reminded')}
      ${flow('F10', 'Notice', 'NoticeOver')}${flow('F11', 'Notice', 'Objection')}
      ${flow('F12', 'Objection', 'Intake')}${flow('F13', 'NoticeOver', 'Pay')}
      ${flow('F14', 'Pay', 'Notify')}
      ${flow('F15', 'Notify', 'Medical', 'amount &gt; 1000')}${flow('F16', 'Notify', 'Done', 'amount &lt;= 1000')}
      ${flow('F17', 'Medical', 'Done')}`,
      'isExecutable="true"',
      '<bpmn:message id="Msg_Objection" name="objection"/>',
    );
    expect(await lint(xml)).toEqual([]);
  });
});

describe('lintBpmn: each rule with a small bad flow', () => {
  it('refuses a document without an executable process', async () => {
    expect(rules(await lint(doc(`<bpmn:startEvent id="S"/>`, 'isExecutable="false"')))).toEqual([['', 'process.none']]);
  });

  it('refuses two executable processes', async () => {
    const xml = doc(
      '<bpmn:startEvent id="S"/><bpmn:endEvent id="E"/>' + flow('F', 'S', 'E'),
      'isExecutable="true"',
      '<bpmn:process id="Other" isExecutable="true"/>',
    );
    expect(rules(await lint(xml)).map(([, r]) => r)).toEqual(['process.multiple', 'process.multiple']);
  });

  it('refuses unsupported elements and event definitions by element id', async () => {
    const manual = linear('<bpmn:manualTask id="Task_1"/>');
    expect(rules(await lint(manual))).toEqual([['Task_1', 'element.unsupported']]);
    const signal =
      doc(`<bpmn:startEvent id="Start"/><bpmn:intermediateCatchEvent id="Wait"><bpmn:signalEventDefinition/></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="End"/>${flow('F1', 'Start', 'Wait')}${flow('F2', 'Wait', 'End')}`);
    expect(rules(await lint(signal))).toEqual([['Wait', 'event.unsupported']]);
    const timerStart =
      doc(`<bpmn:startEvent id="Start"><bpmn:timerEventDefinition><bpmn:timeCycle>R/P1D</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
      <bpmn:endEvent id="End"/>${flow('F1', 'Start', 'End')}`);
    expect(rules(await lint(timerStart))).toEqual([['Start', 'event.unsupported']]);
    const throwing = linear('<bpmn:intermediateThrowEvent id="Task_1"/>');
    expect(rules(await lint(throwing))).toEqual([['Task_1', 'element.unsupported']]);
  });

  it('refuses event sub-processes and standard loops', async () => {
    const eventSub = doc(`<bpmn:startEvent id="Start"/><bpmn:endEvent id="End"/>${flow('F1', 'Start', 'End')}
      <bpmn:subProcess id="OnError" triggeredByEvent="true"><bpmn:startEvent id="ES"/></bpmn:subProcess>`);
    expect(rules(await lint(eventSub))).toContainEqual(['OnError', 'subProcess.event']);
    const loop = linear(
      `<bpmn:userTask id="Task_1" minflow:roles="township-staff" minflow:level="township"><bpmn:standardLoopCharacteristics/></bpmn:userTask>`,
    );
    expect(rules(await lint(loop))).toEqual([['Task_1', 'loop.standard']]);
    const miService = linear(
      `<bpmn:serviceTask id="Task_1" minflow:handler="x"><bpmn:multiInstanceLoopCharacteristics minflow:collection="= xs"/></bpmn:serviceTask>`,
    );
    expect(rules(await lint(miService))).toEqual([['Task_1', 'loop.multiInstanceType']]);
    const miNoCollection = linear(
      `<bpmn:userTask id="Task_1" minflow:roles="township-staff" minflow:level="township"><bpmn:multiInstanceLoopCharacteristics/></bpmn:userTask>`,
    );
    expect(rules(await lint(miNoCollection))).toEqual([['Task_1', 'loop.collection']]);
  });

  it('checks user task roles, level, due, calendar, form, editable fields and actions', async () => {
    expect(rules(await lint(linear('<bpmn:userTask id="Task_1" minflow:level="township"/>')))).toEqual([
      ['Task_1', 'userTask.roles'],
    ]);
    const bad = await lint(
      linear(
        `<bpmn:userTask id="Task_1" minflow:roles="township-staff,mayor" minflow:level="province" minflow:due="10 days"
          minflow:calendar="weekdays" minflow:form="missing" minflow:editable="/applicant/name,/applicant/age,/bank/iban"
          minflow:actions="approve,escalate"/>`,
      ),
    );
    expect(bad.map((p) => [p.rule, p.params])).toEqual([
      ['userTask.role', { role: 'mayor', known: expect.stringContaining('township-staff') }],
      ['userTask.level', { value: 'province', known: 'city | county | township | village' }],
      ['userTask.due', { value: '10 days' }],
      ['userTask.calendar', { value: 'weekdays' }],
      ['userTask.form', { value: 'missing' }],
      ['userTask.editable', { pointer: '/applicant/age' }],
      ['userTask.editable', { pointer: '/bank/iban' }],
      ['userTask.action', { action: 'escalate', known: expect.stringContaining('approve') }],
    ]);
    expect(bad.every((p) => p.elementId === 'Task_1')).toBe(true);
  });

  it('refuses roles that are never held at the task level (nobody would get the task)', async () => {
    const problems = await lint(
      linear('<bpmn:userTask id="Task_1" minflow:roles="village-assistant,county-approver" minflow:level="county"/>'),
    );
    expect(problems.map((p) => [p.elementId, p.rule, p.params?.role])).toEqual([
      ['Task_1', 'userTask.roleLevel', 'village-assistant'],
    ]);
    expect(lintMessage(problems[0], 'en')).toBe(
      'The role "village-assistant" is not held at county level (only village): nobody would get this task',
    );
  });

  it('refuses unknown minflow attributes (typos) and unresolved references', async () => {
    const typo = await lint(linear(task('Task_1', 'minflow:role="auditor"')));
    expect(rules(typo)).toEqual([['Task_1', 'bpmn.warning']]);
    expect(lintMessage(typo[0], 'en')).toContain('minflow:role');
    const dangling = doc(
      `<bpmn:startEvent id="Start"/><bpmn:endEvent id="End"/>${flow('F1', 'Start', 'Nowhere')}${flow('F2', 'Start', 'End')}`,
    );
    expect(rules(await lint(dangling))).toEqual([
      ['F1', 'bpmn.warning'],
      ['F1', 'flow.ref'],
    ]);
  });

  it('checks service tasks: handler, retries, backoff', async () => {
    expect(rules(await lint(linear('<bpmn:serviceTask id="Task_1"/>')))).toEqual([['Task_1', 'serviceTask.handler']]);
    const bad = await lint(
      linear('<bpmn:serviceTask id="Task_1" minflow:handler="x" minflow:retries="-1" minflow:backoff="1m"/>'),
    );
    expect(rules(bad)).toEqual([
      ['Task_1', 'serviceTask.retries'],
      ['Task_1', 'serviceTask.backoff'],
    ]);
  });

  it('parses script tasks and conditions as FEEL, naming the element', async () => {
    const js = await lint(
      linear('<bpmn:scriptTask id="Task_1" scriptFormat="javascript"><bpmn:script>1</bpmn:script></bpmn:scriptTask>'),
    );
    expect(rules(js)).toEqual([['Task_1', 'scriptTask.format']]);
    const broken = await lint(
      linear('<bpmn:scriptTask id="Task_1"><bpmn:script>= amount * </bpmn:script></bpmn:scriptTask>'),
    );
    expect(rules(broken)).toEqual([['Task_1', 'feel.syntax']]);
    expect(lintMessage(broken[0], 'zh-CN')).toMatch(/^script 不是合法的 FEEL 表达式/);
    const condition =
      doc(`<bpmn:startEvent id="Start"/><bpmn:exclusiveGateway id="G" default="F3"/><bpmn:endEvent id="A"/><bpmn:endEvent id="B"/>
      ${flow('F1', 'Start', 'G')}${flow('F2', 'G', 'A', 'amount &gt; 1000 and')}${flow('F3', 'G', 'B')}`);
    expect(rules(await lint(condition))).toEqual([['F2', 'feel.syntax']]);
  });

  it('requires conditions or a default on exclusive gateways with several outgoing flows', async () => {
    const xml = (gatewayAttrs: string, c2?: string, c3?: string) =>
      doc(`<bpmn:startEvent id="Start"/><bpmn:exclusiveGateway id="G" ${gatewayAttrs}/><bpmn:endEvent id="A"/><bpmn:endEvent id="B"/>
        ${flow('F1', 'Start', 'G')}${flow('F2', 'G', 'A', c2)}${flow('F3', 'G', 'B', c3)}`);
    const none = await lint(xml(''));
    expect(rules(none)).toEqual([['G', 'gateway.conditions']]);
    expect(none[0].params).toEqual({ flows: 'F2, F3' });
    expect(await lint(xml('', 'ok = true', 'ok = false'))).toEqual([]);
    expect(await lint(xml('default="F3"', 'ok = true'))).toEqual([]);
    expect(rules(await lint(xml('default="F1"', 'ok = true')))).toEqual([
      ['G', 'gateway.default'],
      ['G', 'gateway.conditions'],
    ]);
    expect(rules(await lint(xml('default="F3"', 'ok = true', 'ok = false')))).toEqual([
      ['F3', 'flow.defaultWithCondition'],
    ]);
  });

  it('allows conditions only on flows leaving exclusive or inclusive gateways', async () => {
    const xml = doc(`<bpmn:startEvent id="Start"/>${task('T')}<bpmn:endEvent id="End"/>
      ${flow('F1', 'Start', 'T')}${flow('F2', 'T', 'End', 'x &gt; 1')}`);
    expect(rules(await lint(xml))).toEqual([['F2', 'flow.conditionNotAllowed']]);
  });

  it('requires event-based gateways to lead to catch events', async () => {
    const xml = doc(`<bpmn:startEvent id="Start"/><bpmn:eventBasedGateway id="G"/>${task('T')}
      <bpmn:intermediateCatchEvent id="Wait"><bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="End"/>
      ${flow('F1', 'Start', 'G')}${flow('F2', 'G', 'T')}${flow('F3', 'G', 'Wait')}${flow('F4', 'T', 'End')}${flow('F5', 'Wait', 'End')}`);
    expect(rules(await lint(xml))).toEqual([['G', 'gateway.eventBasedTargets']]);
  });

  it('checks timer values: ISO 8601 duration, date-time with offset, cycle, or =FEEL', async () => {
    const timer = (inner: string) =>
      doc(`<bpmn:startEvent id="Start"/><bpmn:intermediateCatchEvent id="Wait"><bpmn:timerEventDefinition>${inner}</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
        <bpmn:endEvent id="End"/>${flow('F1', 'Start', 'Wait')}${flow('F2', 'Wait', 'End')}`);
    expect(await lint(timer('<bpmn:timeDuration>P7D</bpmn:timeDuration>'))).toEqual([]);
    expect(await lint(timer('<bpmn:timeDate>2026-03-01T09:00:00+08:00</bpmn:timeDate>'))).toEqual([]);
    expect(await lint(timer('<bpmn:timeCycle>R3/PT1H</bpmn:timeCycle>'))).toEqual([]);
    expect(await lint(timer('<bpmn:timeDuration>= duration("P" + string(days) + "D")</bpmn:timeDuration>'))).toEqual(
      [],
    );
    expect(rules(await lint(timer('<bpmn:timeDuration>7 days</bpmn:timeDuration>')))).toEqual([
      ['Wait', 'timer.value'],
    ]);
    expect(rules(await lint(timer('<bpmn:timeDate>2026-03-01 09:00</bpmn:timeDate>')))).toEqual([
      ['Wait', 'timer.value'],
    ]);
    expect(rules(await lint(timer('<bpmn:timeCycle>0 0 9 * * ?</bpmn:timeCycle>')))).toEqual([['Wait', 'timer.value']]);
    expect(rules(await lint(timer('')))).toEqual([['Wait', 'timer.definition']]);
  });

  it('requires message events to name their message', async () => {
    const xml =
      doc(`<bpmn:startEvent id="Start"/><bpmn:intermediateCatchEvent id="Wait"><bpmn:messageEventDefinition/></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="End"/>${flow('F1', 'Start', 'Wait')}${flow('F2', 'Wait', 'End')}`);
    expect(rules(await lint(xml))).toEqual([['Wait', 'message.ref']]);
  });

  it('requires a called item key on call activities', async () => {
    expect(rules(await lint(linear('<bpmn:callActivity id="Task_1"/>')))).toEqual([
      ['Task_1', 'callActivity.calledElement'],
    ]);
    expect(rules(await lint(linear('<bpmn:callActivity id="Task_1" calledElement="Medical Aid"/>')))).toEqual([
      ['Task_1', 'callActivity.calledElement'],
    ]);
  });

  it('requires exactly one start event per scope and boundary events on activities', async () => {
    const twoStarts = doc(
      `<bpmn:startEvent id="S1"/><bpmn:startEvent id="S2"/><bpmn:endEvent id="End"/>${flow('F1', 'S1', 'End')}${flow('F2', 'S2', 'End')}`,
    );
    expect(rules(await lint(twoStarts))).toEqual([['S2', 'scope.startCount']]);
    const emptySub = linear('<bpmn:subProcess id="Task_1"/>');
    expect(rules(await lint(emptySub))).toEqual([['Task_1', 'scope.startCount']]);
    const onGateway = doc(`<bpmn:startEvent id="Start"/><bpmn:parallelGateway id="G"/><bpmn:endEvent id="End"/>
      <bpmn:boundaryEvent id="B" attachedToRef="G"><bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      ${flow('F1', 'Start', 'G')}${flow('F2', 'G', 'End')}${flow('F3', 'B', 'End')}`);
    expect(rules(await lint(onGateway))).toContainEqual(['B', 'boundary.host']);
  });

  it('refuses flows crossing a sub-process boundary', async () => {
    const xml = doc(`<bpmn:startEvent id="Start"/><bpmn:endEvent id="End"/>
      <bpmn:subProcess id="Sub"><bpmn:startEvent id="SS"/>${task('Inner')}<bpmn:endEvent id="SE"/>
        ${flow('I1', 'SS', 'Inner')}${flow('I2', 'Inner', 'SE')}${flow('Leak', 'Inner', 'End')}</bpmn:subProcess>
      ${flow('F1', 'Start', 'Sub')}${flow('F2', 'Sub', 'End')}`);
    expect(rules(await lint(xml))).toEqual([['Leak', 'flow.crossScope']]);
  });

  it('refuses unreachable elements and dead ends', async () => {
    const unreachable = doc(`<bpmn:startEvent id="Start"/>${task('Orphan')}<bpmn:endEvent id="End"/>
      ${flow('F1', 'Start', 'End')}${flow('F2', 'Orphan', 'End')}`);
    expect(rules(await lint(unreachable))).toEqual([['Orphan', 'reach.unreachable']]);
    const deadEnd =
      doc(`<bpmn:startEvent id="Start"/><bpmn:parallelGateway id="G"/>${task('Stuck')}<bpmn:endEvent id="End"/>
      ${flow('F1', 'Start', 'G')}${flow('F2', 'G', 'Stuck')}${flow('F3', 'G', 'End')}`);
    expect(rules(await lint(deadEnd))).toEqual([['Stuck', 'reach.noOutgoing']]);
    // A loop with no way out: both tasks have outgoing flows, neither reaches an end.
    const loop = doc(`<bpmn:startEvent id="Start"/>${task('A')}${task('B')}<bpmn:endEvent id="End"/>
      <bpmn:parallelGateway id="G"/>
      ${flow('F1', 'Start', 'G')}${flow('F2', 'G', 'A')}${flow('F3', 'G', 'End')}${flow('F4', 'A', 'B')}${flow('F5', 'B', 'A')}`);
    expect(rules(await lint(loop))).toEqual([
      ['A', 'reach.noEnd'],
      ['B', 'reach.noEnd'],
    ]);
  });

  it('refuses events on the wrong side of flows', async () => {
    const xml = doc(`<bpmn:startEvent id="Start"/>${task('T')}<bpmn:endEvent id="End"/>
      ${flow('F1', 'Start', 'T')}${flow('F2', 'T', 'End')}${flow('F3', 'End', 'T')}${flow('F4', 'T', 'Start')}`);
    const found = rules(await lint(xml));
    expect(found).toContainEqual(['Start', 'start.incoming']);
    expect(found).toContainEqual(['End', 'end.outgoing']);
  });
});

describe('value checks', () => {
  it('ISO 8601 durations, date-times and cycles', () => {
    for (const ok of ['P10D', 'PT4H', 'P1DT12H', 'P2W', 'PT30M', 'PT0.5S', 'P1Y2M'])
      expect(isIsoDuration(ok)).toBe(true);
    for (const bad of ['P', 'PT', 'P1DT', '10D', 'P-1D', 'p1d', 'P1.5D ']) expect(isIsoDuration(bad)).toBe(false);
    expect(isIsoDateTime('2026-03-01T09:00:00Z')).toBe(true);
    expect(isIsoDateTime('2026-03-01T09:00:00')).toBe(false);
    expect(isIsoDateTime('2026-13-01T09:00:00Z')).toBe(false);
    expect(isIsoCycle('R/P1D')).toBe(true);
    expect(isIsoCycle('R5/2026-03-01T09:00:00+08:00/P1D')).toBe(true);
    expect(isIsoCycle('P1D')).toBe(false);
  });

  it('FEEL syntax with or without a leading =', () => {
    expect(feelSyntaxProblem('= age >= 80')).toBeNull();
    expect(feelSyntaxProblem('review.amount < 3000 and action = "approve"')).toBeNull();
    expect(feelSyntaxProblem('=')).toBe('empty expression');
    expect(feelSyntaxProblem('age >=')).toMatch(/incomplete|unexpected/);
    expect(feelSyntaxProblem(')')).toMatch(/unexpected "\)"/);
  });

  it('JSON pointers into form schemas', () => {
    expect(schemaHasPointer(formSchema, '/applicant/name')).toBe(true);
    expect(schemaHasPointer(formSchema, '/members')).toBe(true);
    expect(schemaHasPointer(formSchema, '/members/3/income')).toBe(true);
    expect(schemaHasPointer(formSchema, '/bank/account')).toBe(true); // through if/then and $ref
    expect(schemaHasPointer(formSchema, '/members/x')).toBe(false);
    expect(schemaHasPointer(formSchema, 'applicant')).toBe(false);
  });
});
