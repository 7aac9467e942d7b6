/** Household items for the person lookup tests (API and browser); not a test file. */

// A household item: applicant and members, a grant recorded by a script task, then a township review.
const bpmn = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:minflow="http://minflow.dev/schema/bpmn/1.0" id="Defs" targetNamespace="http://minflow.dev/test">
  <bpmn:process id="HouseholdProcess" isExecutable="true">
    <bpmn:startEvent id="Start"/>
    <bpmn:scriptTask id="recordGrant" scriptFormat="feel" minflow:resultVariable="benefit">
      <bpmn:script>= { granted: true, monthlyAmount: 500, startMonth: "2026-11" }</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:userTask id="Review" name="乡镇审核" minflow:roles="township-staff" minflow:level="township"/>
    <bpmn:endEvent id="End"/>
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="recordGrant"/>
    <bpmn:sequenceFlow id="F2" sourceRef="recordGrant" targetRef="Review"/>
    <bpmn:sequenceFlow id="F3" sourceRef="Review" targetRef="End"/>
  </bpmn:process>
</bpmn:definitions>`;

const person = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'idNumber'],
  properties: { name: { type: 'string' }, idNumber: { type: 'string', format: 'cn-resident-id' } },
};
export const householdItem = (key: string, zh: string) => ({
  key,
  name: { zh, en: key },
  category: 'social-assistance',
  description: '人员查询测试',
  startLevels: ['village', 'township'],
  formSchema: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    additionalProperties: false,
    required: ['applicant'],
    properties: { applicant: person, members: { type: 'array', items: person } },
  },
  uiSchema: {},
  bpmnXml: bpmn,
});
