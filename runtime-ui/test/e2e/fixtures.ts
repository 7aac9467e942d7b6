import type { FastifyInstance } from 'fastify';
import { loginAs } from '../../../engine/test/helpers.ts';

/** A small item of the tests' own, so the submit path does not depend on how a real item's form evolves. */
export const FIXTURE_KEY = 'e2e-test-allowance';

const bpmn = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:minflow="http://minflow.dev/schema/bpmn/1.0" id="Defs" targetNamespace="http://minflow.dev/e2e">
  <bpmn:process id="E2eProcess" isExecutable="true">
    <bpmn:startEvent id="Start"/>
    <bpmn:userTask id="Review" name="乡镇审核" minflow:roles="township-staff" minflow:level="township"/>
    <bpmn:exclusiveGateway id="Decision" default="ToRejected"/>
    <bpmn:endEvent id="Approved"/>
    <bpmn:endEvent id="Rejected"/>
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Review"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Review" targetRef="Decision"/>
    <bpmn:sequenceFlow id="ToApproved" sourceRef="Decision" targetRef="Approved">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">= action = "approve"</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="ToRejected" sourceRef="Decision" targetRef="Rejected"/>
  </bpmn:process>
</bpmn:definitions>`;

const definition = {
  key: FIXTURE_KEY,
  name: { zh: '测试补贴', en: 'Test subsidy' },
  category: 'social-affairs',
  description: '浏览器测试用的事项',
  startLevels: ['village', 'township'],
  formSchema: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    required: ['name', 'idNumber'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', title: '姓名', minLength: 2, maxLength: 20 },
      idNumber: { type: 'string', title: '身份证号码', format: 'cn-resident-id' },
      phone: { type: 'string', title: '联系电话', format: 'cn-mobile' },
    },
  },
  uiSchema: { 'ui:order': ['name', 'idNumber', 'phone'] },
  bpmnXml: bpmn,
};

/** The city admin creates and publishes the fixture item through the API, as the designer will. */
export async function publishFixture(app: FastifyInstance): Promise<void> {
  const headers = await loginAs(app, 'admin');
  const created = await app.inject({ method: 'POST', url: '/api/definitions', headers, payload: definition });
  if (created.statusCode !== 201) throw new Error(`creating the fixture failed: ${created.statusCode} ${created.body}`);
  const published = await app.inject({
    method: 'POST',
    url: `/api/definitions/${FIXTURE_KEY}/publish`,
    headers,
    payload: {},
  });
  if (published.statusCode !== 201)
    throw new Error(`publishing the fixture failed: ${published.statusCode} ${published.body}`);
}
