/** A small item with address fields (minflow-address), for the engine's tests and the browser test (not a test file). */
import { addressSchema } from '@minflow/sdk/address';

const bpmn = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:minflow="http://minflow.dev/schema/bpmn/1.0" id="Defs" targetNamespace="http://minflow.dev/test">
  <bpmn:process id="AddressProcess" isExecutable="true">
    <bpmn:startEvent id="Start"/>
    <bpmn:userTask id="Review" name="乡镇审核" minflow:roles="township-staff" minflow:level="township" minflow:editable="/home"/>
    <bpmn:endEvent id="End"/>
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Review"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Review" targetRef="End"/>
  </bpmn:process>
</bpmn:definitions>`;

/**
 * `home` (现住址) is a required address down to a village; `hukou` (户籍所在地) is optional and only
 * asks for a township. Both are built with `addressSchema`, as the designer's palette does.
 */
export function addressItem(key: string) {
  const home = addressSchema({ title: '现住址', level: 'village' });
  const hukou = addressSchema({ title: '户籍所在乡镇', level: 'township' });
  return {
    key,
    name: { zh: '地址测试补贴', en: 'Address test allowance' },
    category: 'social-affairs',
    description: '地址字段（按行政区划选择）测试用的事项',
    startLevels: ['village', 'township'],
    formSchema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      required: ['name', 'home'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', title: '姓名', minLength: 1, maxLength: 20 },
        home: home.schema,
        hukou: hukou.schema,
      },
    },
    uiSchema: { 'ui:order': ['name', 'home', 'hukou'], home: home.uiSchema, hukou: hukou.uiSchema },
    bpmnXml: bpmn,
  };
}
