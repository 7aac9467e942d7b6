/**
 * Flows an admin starts from. Each is valid BPMN with the minflow: attributes of the format contract
 * (issue 3) and a diagram layout, so it opens, validates and publishes as it is.
 */
const HEAD = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
  xmlns:di="http://www.omg.org/spec/DD/20100524/DI"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:minflow="http://minflow.dev/schema/bpmn/1.0"
  id="Definitions_1" targetNamespace="http://minflow.dev/definitions/{{key}}" exporter="Minflow Designer" exporterVersion="0.1.0">`;

const ACTIONS = 'approve,reject,return,comment';

function shape(id: string, x: number, y: number, w: number, h: number, marker = false): string {
  return `      <bpmndi:BPMNShape id="${id}_di" bpmnElement="${id}"${marker ? ' isMarkerVisible="true"' : ''}>
        <dc:Bounds x="${x}" y="${y}" width="${w}" height="${h}" />
      </bpmndi:BPMNShape>`;
}

function edge(id: string, points: Array<[number, number]>): string {
  return `      <bpmndi:BPMNEdge id="${id}_di" bpmnElement="${id}">
${points.map(([x, y]) => `        <di:waypoint x="${x}" y="${y}" />`).join('\n')}
      </bpmndi:BPMNEdge>`;
}

/** 村级初审 → 乡镇审核 → 县级审批, each with an approve/reject/return step. */
function simpleApproval(processId: string): string {
  return `${HEAD}
  <bpmn:process id="${processId}" name="审批流程" isExecutable="true">
    <bpmn:startEvent id="submitted" name="提交申请">
      <bpmn:outgoing>toVillageReview</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:userTask id="villageReview" name="村级初审" minflow:roles="village-assistant" minflow:level="village" minflow:due="P5D" minflow:calendar="workdays" minflow:actions="${ACTIONS}">
      <bpmn:incoming>toVillageReview</bpmn:incoming>
      <bpmn:outgoing>toTownshipReview</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:userTask id="townshipReview" name="乡镇审核" minflow:roles="township-staff" minflow:level="township" minflow:due="P10D" minflow:calendar="workdays" minflow:actions="${ACTIONS}">
      <bpmn:incoming>toTownshipReview</bpmn:incoming>
      <bpmn:outgoing>toCountyApproval</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:userTask id="countyApproval" name="县级审批" minflow:roles="county-approver" minflow:level="county" minflow:due="P10D" minflow:calendar="workdays" minflow:actions="${ACTIONS}">
      <bpmn:incoming>toCountyApproval</bpmn:incoming>
      <bpmn:outgoing>toApproved</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="approved" name="办结">
      <bpmn:incoming>toApproved</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="toVillageReview" sourceRef="submitted" targetRef="villageReview" />
    <bpmn:sequenceFlow id="toTownshipReview" sourceRef="villageReview" targetRef="townshipReview" />
    <bpmn:sequenceFlow id="toCountyApproval" sourceRef="townshipReview" targetRef="countyApproval" />
    <bpmn:sequenceFlow id="toApproved" sourceRef="countyApproval" targetRef="approved" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="${processId}">
${shape('submitted', 152, 162, 36, 36)}
${shape('villageReview', 240, 140, 100, 80)}
${shape('townshipReview', 400, 140, 100, 80)}
${shape('countyApproval', 560, 140, 100, 80)}
${shape('approved', 722, 162, 36, 36)}
${edge('toVillageReview', [
  [188, 180],
  [240, 180],
])}
${edge('toTownshipReview', [
  [340, 180],
  [400, 180],
])}
${edge('toCountyApproval', [
  [500, 180],
  [560, 180],
])}
${edge('toApproved', [
  [660, 180],
  [722, 180],
])}
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}

/** 村级初审 → 乡镇审核 → a gateway: over the amount limit to 县级审批, otherwise done at the township. */
function amountApproval(processId: string): string {
  return `${HEAD}
  <bpmn:process id="${processId}" name="审批流程" isExecutable="true">
    <bpmn:startEvent id="submitted" name="提交申请">
      <bpmn:outgoing>toVillageReview</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:userTask id="villageReview" name="村级初审" minflow:roles="village-assistant" minflow:level="village" minflow:due="P5D" minflow:calendar="workdays" minflow:actions="${ACTIONS}">
      <bpmn:incoming>toVillageReview</bpmn:incoming>
      <bpmn:outgoing>toTownshipReview</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:userTask id="townshipReview" name="乡镇审核" minflow:roles="township-staff" minflow:level="township" minflow:due="P10D" minflow:calendar="workdays" minflow:actions="${ACTIONS}">
      <bpmn:incoming>toTownshipReview</bpmn:incoming>
      <bpmn:outgoing>toAmountCheck</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:exclusiveGateway id="amountCheck" name="金额判断" default="toTownshipDone">
      <bpmn:incoming>toAmountCheck</bpmn:incoming>
      <bpmn:outgoing>toCountyApproval</bpmn:outgoing>
      <bpmn:outgoing>toTownshipDone</bpmn:outgoing>
    </bpmn:exclusiveGateway>
    <bpmn:userTask id="countyApproval" name="县级审批" minflow:roles="county-approver" minflow:level="county" minflow:due="P10D" minflow:calendar="workdays" minflow:actions="${ACTIONS}">
      <bpmn:incoming>toCountyApproval</bpmn:incoming>
      <bpmn:outgoing>toCountyDone</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="countyDone" name="县级办结">
      <bpmn:incoming>toCountyDone</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:endEvent id="townshipDone" name="乡镇办结">
      <bpmn:incoming>toTownshipDone</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="toVillageReview" sourceRef="submitted" targetRef="villageReview" />
    <bpmn:sequenceFlow id="toTownshipReview" sourceRef="villageReview" targetRef="townshipReview" />
    <bpmn:sequenceFlow id="toAmountCheck" sourceRef="townshipReview" targetRef="amountCheck" />
    <bpmn:sequenceFlow id="toCountyApproval" name="超过限额" sourceRef="amountCheck" targetRef="countyApproval">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">= amount &gt; 5000</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="toTownshipDone" name="限额以内" sourceRef="amountCheck" targetRef="townshipDone" />
    <bpmn:sequenceFlow id="toCountyDone" sourceRef="countyApproval" targetRef="countyDone" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="${processId}">
${shape('submitted', 152, 162, 36, 36)}
${shape('villageReview', 240, 140, 100, 80)}
${shape('townshipReview', 400, 140, 100, 80)}
${shape('amountCheck', 555, 155, 50, 50, true)}
${shape('countyApproval', 720, 140, 100, 80)}
${shape('countyDone', 882, 162, 36, 36)}
${shape('townshipDone', 882, 272, 36, 36)}
${edge('toVillageReview', [
  [188, 180],
  [240, 180],
])}
${edge('toTownshipReview', [
  [340, 180],
  [400, 180],
])}
${edge('toAmountCheck', [
  [500, 180],
  [555, 180],
])}
${edge('toCountyApproval', [
  [605, 180],
  [720, 180],
])}
${edge('toTownshipDone', [
  [580, 205],
  [580, 290],
  [882, 290],
])}
${edge('toCountyDone', [
  [820, 180],
  [882, 180],
])}
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}

export const FLOW_TEMPLATES = [
  { id: 'simple', label: '逐级审批（村 → 乡镇 → 县）', build: simpleApproval },
  { id: 'amount', label: '按金额分级审批（村 → 乡镇 → 金额超限报县）', build: amountApproval },
] as const;

export type FlowTemplateId = (typeof FLOW_TEMPLATES)[number]['id'];

/** A BPMN process id from an item key (elderly-allowance → elderlyAllowance). */
export function processIdFor(key: string): string {
  const id = key.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9_]/g, '');
  return /^[A-Za-z_]/.test(id) ? id : `p_${id}`;
}

export function flowTemplate(id: FlowTemplateId, key: string): string {
  const t = FLOW_TEMPLATES.find((x) => x.id === id) ?? FLOW_TEMPLATES[0];
  return t.build(processIdFor(key)).replace('{{key}}', key);
}
