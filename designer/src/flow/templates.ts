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

/**
 * 低保式：村级受理 → 乡镇审核 → 公示内容 → 村（居）公示 7 天（事件网关：期满无异议 / 收到异议）→ 县级审批；
 * 有异议时乡镇复核后再报县。The objection arrives as the message `objection` (POST /api/cases/:id/messages/objection).
 */
function dibaoApproval(processId: string): string {
  return `${HEAD.replace('exporterVersion="0.1.0">', 'exporterVersion="0.1.0">\n  <bpmn:message id="Message_objection" name="objection" />')}
  <bpmn:process id="${processId}" name="审批流程" isExecutable="true">
    <bpmn:startEvent id="submitted" name="提交申请">
      <bpmn:outgoing>toVillageReview</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:userTask id="villageReview" name="村级受理" minflow:roles="village-assistant" minflow:level="village" minflow:due="P5D" minflow:calendar="workdays" minflow:actions="${ACTIONS}">
      <bpmn:incoming>toVillageReview</bpmn:incoming>
      <bpmn:outgoing>toTownshipReview</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:userTask id="townshipReview" name="乡镇审核" minflow:roles="township-staff" minflow:level="township" minflow:due="P10D" minflow:calendar="workdays" minflow:actions="${ACTIONS}">
      <bpmn:incoming>toTownshipReview</bpmn:incoming>
      <bpmn:outgoing>toNoticeContent</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:scriptTask id="noticeContent" name="公示内容" scriptFormat="feel" minflow:resultVariable="notice">
      <bpmn:documentation>公示只显示必要内容（家庭人口、金额），不含健康、收入等隐私。</bpmn:documentation>
      <bpmn:incoming>toNoticeContent</bpmn:incoming>
      <bpmn:outgoing>toPublicity</bpmn:outgoing>
      <bpmn:script>= { householdSize: householdSize, amount: amount }</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:eventBasedGateway id="publicity" name="村（居）公示7天">
      <bpmn:incoming>toPublicity</bpmn:incoming>
      <bpmn:outgoing>toNoticeOver</bpmn:outgoing>
      <bpmn:outgoing>toObjection</bpmn:outgoing>
    </bpmn:eventBasedGateway>
    <bpmn:intermediateCatchEvent id="noticeOver" name="公示期满无异议">
      <bpmn:incoming>toNoticeOver</bpmn:incoming>
      <bpmn:outgoing>toCountyApproval</bpmn:outgoing>
      <bpmn:timerEventDefinition id="noticeOver_timer"><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">P7D</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="objection" name="收到异议">
      <bpmn:incoming>toObjection</bpmn:incoming>
      <bpmn:outgoing>toObjectionReview</bpmn:outgoing>
      <bpmn:messageEventDefinition id="objection_message" messageRef="Message_objection" />
    </bpmn:intermediateCatchEvent>
    <bpmn:userTask id="objectionReview" name="乡镇异议复核" minflow:roles="township-staff" minflow:level="township" minflow:due="P10D" minflow:calendar="workdays" minflow:actions="${ACTIONS}">
      <bpmn:incoming>toObjectionReview</bpmn:incoming>
      <bpmn:outgoing>reviewed</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:userTask id="countyApproval" name="县级审批" minflow:roles="county-approver" minflow:level="county" minflow:due="P10D" minflow:calendar="workdays" minflow:actions="${ACTIONS}">
      <bpmn:incoming>toCountyApproval</bpmn:incoming>
      <bpmn:incoming>reviewed</bpmn:incoming>
      <bpmn:outgoing>toApproved</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="approved" name="批准">
      <bpmn:incoming>toApproved</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="toVillageReview" sourceRef="submitted" targetRef="villageReview" />
    <bpmn:sequenceFlow id="toTownshipReview" sourceRef="villageReview" targetRef="townshipReview" />
    <bpmn:sequenceFlow id="toNoticeContent" sourceRef="townshipReview" targetRef="noticeContent" />
    <bpmn:sequenceFlow id="toPublicity" sourceRef="noticeContent" targetRef="publicity" />
    <bpmn:sequenceFlow id="toNoticeOver" sourceRef="publicity" targetRef="noticeOver" />
    <bpmn:sequenceFlow id="toObjection" sourceRef="publicity" targetRef="objection" />
    <bpmn:sequenceFlow id="toCountyApproval" sourceRef="noticeOver" targetRef="countyApproval" />
    <bpmn:sequenceFlow id="toObjectionReview" sourceRef="objection" targetRef="objectionReview" />
    <bpmn:sequenceFlow id="reviewed" sourceRef="objectionReview" targetRef="countyApproval" />
    <bpmn:sequenceFlow id="toApproved" sourceRef="countyApproval" targetRef="approved" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="${processId}">
${shape('submitted', 152, 162, 36, 36)}
${shape('villageReview', 240, 140, 100, 80)}
${shape('townshipReview', 390, 140, 100, 80)}
${shape('noticeContent', 540, 140, 100, 80)}
${shape('publicity', 695, 155, 50, 50)}
${shape('noticeOver', 802, 162, 36, 36)}
${shape('objection', 802, 282, 36, 36)}
${shape('objectionReview', 890, 260, 100, 80)}
${shape('countyApproval', 1040, 140, 100, 80)}
${shape('approved', 1202, 162, 36, 36)}
${edge('toVillageReview', [
  [188, 180],
  [240, 180],
])}
${edge('toTownshipReview', [
  [340, 180],
  [390, 180],
])}
${edge('toNoticeContent', [
  [490, 180],
  [540, 180],
])}
${edge('toPublicity', [
  [640, 180],
  [695, 180],
])}
${edge('toNoticeOver', [
  [745, 180],
  [802, 180],
])}
${edge('toObjection', [
  [720, 205],
  [720, 300],
  [802, 300],
])}
${edge('toCountyApproval', [
  [838, 180],
  [1040, 180],
])}
${edge('toObjectionReview', [
  [838, 300],
  [890, 300],
])}
${edge('reviewed', [
  [990, 300],
  [1090, 300],
  [1090, 220],
])}
${edge('toApproved', [
  [1140, 180],
  [1202, 180],
])}
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}

/** 急难救助快速通道：乡镇先行救助（1 个工作日）→ 县级备案；县级可退回乡镇补充材料。 */
function emergencyFastPath(processId: string): string {
  return `${HEAD}
  <bpmn:process id="${processId}" name="审批流程" isExecutable="true">
    <bpmn:startEvent id="submitted" name="提交申请">
      <bpmn:outgoing>toTownshipRelief</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:userTask id="townshipRelief" name="乡镇先行救助" minflow:roles="township-staff" minflow:level="township" minflow:due="P1D" minflow:calendar="days" minflow:actions="approve,reject,comment">
      <bpmn:documentation>急难情形：乡镇（街道）直接审批并先行发放，事后报县级备案。</bpmn:documentation>
      <bpmn:incoming>toTownshipRelief</bpmn:incoming>
      <bpmn:outgoing>toCountyRecord</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:userTask id="countyRecord" name="县级备案" minflow:roles="county-approver" minflow:level="county" minflow:due="P5D" minflow:calendar="workdays" minflow:actions="approve,return,comment">
      <bpmn:incoming>toCountyRecord</bpmn:incoming>
      <bpmn:outgoing>toRecorded</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="recorded" name="办结备案">
      <bpmn:incoming>toRecorded</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="toTownshipRelief" sourceRef="submitted" targetRef="townshipRelief" />
    <bpmn:sequenceFlow id="toCountyRecord" sourceRef="townshipRelief" targetRef="countyRecord" />
    <bpmn:sequenceFlow id="toRecorded" sourceRef="countyRecord" targetRef="recorded" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="${processId}">
${shape('submitted', 152, 162, 36, 36)}
${shape('townshipRelief', 240, 140, 100, 80)}
${shape('countyRecord', 400, 140, 100, 80)}
${shape('recorded', 562, 162, 36, 36)}
${edge('toTownshipRelief', [
  [188, 180],
  [240, 180],
])}
${edge('toCountyRecord', [
  [340, 180],
  [400, 180],
])}
${edge('toRecorded', [
  [500, 180],
  [562, 180],
])}
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}

export const FLOW_TEMPLATES = [
  {
    id: 'simple',
    label: '逐级审批（村 → 乡镇 → 县）',
    en: 'Step by step (village → township → county)',
    build: simpleApproval,
  },
  {
    id: 'amount',
    label: '按金额分级审批（村 → 乡镇 → 金额超限报县）',
    en: 'By amount (village → township → county over the limit)',
    build: amountApproval,
  },
  {
    id: 'dibao',
    label: '低保式审批（含 7 天公示与异议复核）',
    en: 'Dibao style (7-day public notice, objection review)',
    build: dibaoApproval,
  },
  {
    id: 'emergency',
    label: '急难救助快速通道（乡镇先行救助 → 县级备案）',
    en: 'Emergency fast path (township relief first → county record)',
    build: emergencyFastPath,
  },
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
