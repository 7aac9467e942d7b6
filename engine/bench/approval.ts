/**
 * The 5-step approval item both case benchmarks run (`http.ts` over HTTP, `cases.ts` in process):
 * submit, then township accept → investigation → township review → county approval.
 */
import fs from 'node:fs';
import path from 'node:path';
import { residentIdNumber } from '../src/seed/people.js';

export const TARGET_CASES_PER_S = 300;
export const TARGET_P99_MS = 100;
export const PASSWORD = 'Bench#Http2026';
export const ITEM = 'bench-approval';

export const STEPS = [
  { element: 'Accept', user: 'township' },
  { element: 'Investigate', user: 'township' },
  { element: 'Review', user: 'township' },
  { element: 'Approve', user: 'county' },
] as const;

const bpmn = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:minflow="http://minflow.dev/schema/bpmn/1.0" id="Defs" targetNamespace="http://minflow.dev/bench">
  <bpmn:process id="BenchApproval" isExecutable="true">
    <bpmn:startEvent id="Start"/>
    <bpmn:userTask id="Accept" name="受理" minflow:roles="township-staff" minflow:level="township" minflow:due="P5D" minflow:calendar="workdays"/>
    <bpmn:userTask id="Investigate" name="入户调查" minflow:roles="investigator" minflow:level="township"/>
    <bpmn:userTask id="Review" name="乡镇审核" minflow:roles="township-staff" minflow:level="township"/>
    <bpmn:userTask id="Approve" name="县级审批" minflow:roles="county-approver" minflow:level="county"/>
    <bpmn:endEvent id="End"/>
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Accept"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Accept" targetRef="Investigate"/>
    <bpmn:sequenceFlow id="F3" sourceRef="Investigate" targetRef="Review"/>
    <bpmn:sequenceFlow id="F4" sourceRef="Review" targetRef="Approve"/>
    <bpmn:sequenceFlow id="F5" sourceRef="Approve" targetRef="End"/>
  </bpmn:process>
</bpmn:definitions>`;

const formSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['name', 'idNumber'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', title: '姓名', minLength: 1, maxLength: 50 },
    idNumber: { type: 'string', title: '身份证号码', format: 'cn-resident-id' },
    phone: { type: 'string', title: '联系电话', format: 'cn-mobile' },
  },
};

/** A valid resident ID number, different for each case number `i` (modulo 10,000). */
export function residentId(i: number): string {
  return residentIdNumber('620422', `195${i % 10}0101`, Math.floor(i / 10) % 1000);
}

/** Writes the item under `<definitionsDir>/bench-approval/` (imported and published on start). */
export function writeApprovalItem(definitionsDir: string): void {
  const dir = path.join(definitionsDir, ITEM);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'item.json'),
    JSON.stringify({
      name: { zh: '基准测试审批' },
      category: 'social-assistance',
      description: '5 步审批',
      startLevels: ['township'],
    }),
  );
  fs.writeFileSync(path.join(dir, 'form.schema.json'), JSON.stringify(formSchema));
  fs.writeFileSync(path.join(dir, 'process.bpmn'), bpmn);
}
