/** Small, valid definitions for the definitions module's tests (not a test file itself). */

export function simpleBpmn(options: { taskAttrs?: string; extraProcess?: string; condition?: string } = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:minflow="http://minflow.dev/schema/bpmn/1.0" id="Defs" targetNamespace="http://minflow.dev/test">
  <bpmn:process id="Process_1" isExecutable="true">
    <bpmn:startEvent id="Start"/>
    <bpmn:userTask id="Review" name="乡镇审核" minflow:roles="township-staff" minflow:level="township" ${options.taskAttrs ?? ''}/>
    <bpmn:exclusiveGateway id="Decision" default="ToRejected"/>
    <bpmn:endEvent id="Approved"/>
    <bpmn:endEvent id="Rejected"/>
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Review"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Review" targetRef="Decision"/>
    <bpmn:sequenceFlow id="ToApproved" sourceRef="Decision" targetRef="Approved">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${options.condition ?? '= action = "approve"'}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="ToRejected" sourceRef="Decision" targetRef="Rejected"/>
    ${options.extraProcess ?? ''}
  </bpmn:process>
</bpmn:definitions>`;
}

export const simpleFormSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['name', 'idNumber'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', title: '姓名', minLength: 1, maxLength: 50 },
    idNumber: { type: 'string', title: '身份证号码', format: 'cn-resident-id' },
    phone: { type: 'string', title: '联系电话', format: 'cn-mobile' },
    age: { type: 'integer', title: '年龄', minimum: 0 },
  },
};

export function simpleDefinition(key = 'test-allowance', overrides: Record<string, unknown> = {}) {
  return {
    key,
    name: { zh: '测试津贴', en: 'Test allowance' },
    category: 'social-welfare',
    description: '用于测试的事项',
    startLevels: ['village', 'township'],
    formSchema: simpleFormSchema,
    uiSchema: { 'ui:order': ['name', 'idNumber', 'phone', 'age'] },
    bpmnXml: simpleBpmn(),
    ...overrides,
  };
}

/** A resident ID number with a correct GB 11643 check digit (the algorithm written out here). */
export function residentId(region: string, birth: string, seq: string): string {
  const body = region + birth + seq;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((s, w, i) => s + w * Number(body[i]), 0);
  return body + '10X98765432'[sum % 11];
}
