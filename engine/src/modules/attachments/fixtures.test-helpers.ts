/** A small item with attachment lists, for the attachments API tests and the browser tests (not a test file). */

const bpmn = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:minflow="http://minflow.dev/schema/bpmn/1.0" id="Defs" targetNamespace="http://minflow.dev/test">
  <bpmn:process id="AttachProcess" isExecutable="true">
    <bpmn:startEvent id="Start"/>
    <bpmn:userTask id="Review" name="乡镇审核" minflow:roles="township-staff" minflow:level="township"/>
    <bpmn:endEvent id="End"/>
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Review"/>
    <bpmn:sequenceFlow id="F2" sourceRef="Review" targetRef="End"/>
  </bpmn:process>
</bpmn:definitions>`;

/** `idCards` (PNG or PDF, at most `maxBytes` each) is required; `photos` is narrowed to PNG by ui:options.accept. */
export function attachmentItem(key: string, maxBytes: number) {
  const attachment = {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'url', 'size', 'contentType'],
    properties: {
      name: { type: 'string', title: '文件名', minLength: 1, maxLength: 200 },
      url: { type: 'string', title: '存储地址', format: 'uri-reference', maxLength: 1000 },
      size: { type: 'integer', title: '大小', minimum: 1, maximum: maxBytes },
      contentType: {
        type: 'string',
        title: '文件类型',
        oneOf: [
          { const: 'image/png', title: 'PNG图片' },
          { const: 'application/pdf', title: 'PDF文件' },
        ],
      },
    },
  };
  return {
    key,
    name: { zh: '附件测试补贴', en: 'Attachment test allowance' },
    category: 'social-affairs',
    description: '附件上传测试用的事项',
    startLevels: ['village', 'township'],
    formSchema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      required: ['name', 'idNumber', 'attachments'],
      additionalProperties: false,
      definitions: { attachment },
      properties: {
        name: { type: 'string', title: '姓名', minLength: 1, maxLength: 20 },
        idNumber: { type: 'string', title: '身份证号码', format: 'cn-resident-id' },
        attachments: {
          type: 'object',
          title: '附件',
          additionalProperties: false,
          required: ['idCards'],
          properties: {
            idCards: { type: 'array', title: '申请人身份证', minItems: 1, items: { $ref: '#/definitions/attachment' } },
            photos: { type: 'array', title: '照片', items: { $ref: '#/definitions/attachment' } },
          },
        },
      },
    },
    uiSchema: {
      'ui:order': ['name', 'idNumber', 'attachments'],
      attachments: { photos: { 'ui:options': { accept: 'image/png' } } },
    },
    bpmnXml: bpmn,
  };
}

/** The smallest PDF and PNG files, as their magic numbers make them. */
export const TINY_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
