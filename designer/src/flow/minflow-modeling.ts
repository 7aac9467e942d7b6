/**
 * bpmn-js made to speak Minflow: the palette and the context pad create user tasks (人工审批环节),
 * not untyped tasks the engine refuses, drop what Minflow does not execute (pools, data stores), and
 * the tool tips are in Chinese.
 */
import { langStore } from '../i18n';
import { PANEL_ZH } from './panel-i18n';

interface ElementFactory {
  createShape(attrs: { type: string }): unknown;
}
interface Create {
  start(event: unknown, shape: unknown, context?: unknown): void;
}
interface BpmnFactory {
  create(type: string, attrs: Record<string, unknown>): unknown;
}
interface AutoPlace {
  append(source: unknown, shape: unknown): void;
}
type Entries = Record<string, unknown>;

const ZH: Record<string, string> = {
  'Activate hand tool': '移动画布',
  'Activate lasso tool': '框选',
  'Activate create/remove space tool': '插入或删除空白',
  'Activate global connect tool': '连线',
  'Create start event': '开始',
  'Create intermediate/boundary event': '中间事件（定时、消息）',
  'Create end event': '结束',
  'Create gateway': '网关（分支、汇合）',
  'Create expanded sub-process': '子流程',
  'Append end event': '接上结束',
  'Append gateway': '接上网关',
  'Append intermediate/boundary event': '接上中间事件',
  'Append timer intermediate catch event': '接上定时等待',
  'Append message intermediate catch event': '接上等待消息',
  'Add text annotation': '添加注释',
  'Change element': '更改类型',
  'Connect to other element': '连到其他环节',
  Delete: '删除',
  'Connect using association': '关联',
};

/** bpmn-js-bpmnlint's texts (the problem count under the diagram), in the designer's language (and the
 * properties panel's, from `panel-i18n.ts`). */
const LINT_ZH: Record<string, string> = {
  '{errors} Errors, {warnings} Warnings': '{errors} 个错误，{warnings} 个警告',
  'No Issues': '没有问题',
  'Toggle linting overlays': '显示或隐藏检查结果',
  'Issues for child elements': '子元素的问题',
};

function translate(template: string, replacements?: Record<string, string>): string {
  const zh = langStore.get() !== 'en';
  const text = ZH[template] ?? (zh ? (LINT_ZH[template] ?? PANEL_ZH[template]) : undefined) ?? template;
  return text.replace(/{([^}]+)}/g, (_, key: string) => replacements?.[key] ?? `{${key}}`);
}

/** A new approval step: the usual actions, deadlines in working days; roles and level are for the admin. */
function userTask(elementFactory: ElementFactory, bpmnFactory: BpmnFactory): unknown {
  const businessObject = bpmnFactory.create('bpmn:UserTask', {
    'minflow:actions': 'approve,reject,return,comment',
    'minflow:calendar': 'workdays',
  });
  return elementFactory.createShape({ type: 'bpmn:UserTask', businessObject } as { type: string });
}

const DROPPED = ['create.data-object', 'create.data-store', 'create.participant-expanded', 'create.group'];

function MinflowPalette(
  this: unknown,
  palette: { registerProvider(priority: number, provider: unknown): void },
  elementFactory: ElementFactory,
  create: Create,
  bpmnFactory: BpmnFactory,
) {
  palette.registerProvider(500, {
    getPaletteEntries: () => (entries: Entries) => {
      for (const key of DROPPED) delete entries[key];
      const start = (event: unknown) => create.start(event, userTask(elementFactory, bpmnFactory));
      entries['create.task'] = {
        group: 'activity',
        className: 'bpmn-icon-user-task',
        title: '人工审批环节',
        action: { dragstart: start, click: start },
      };
      entries['create.service-task'] = {
        group: 'activity',
        className: 'bpmn-icon-service-task',
        title: '自动处理环节（插件）',
        action: {
          dragstart: (e: unknown) => create.start(e, elementFactory.createShape({ type: 'bpmn:ServiceTask' })),
          click: (e: unknown) => create.start(e, elementFactory.createShape({ type: 'bpmn:ServiceTask' })),
        },
      };
      return entries;
    },
  });
}
MinflowPalette.$inject = ['palette', 'elementFactory', 'create', 'bpmnFactory'];

function MinflowContextPad(
  this: unknown,
  contextPad: { registerProvider(priority: number, provider: unknown): void },
  elementFactory: ElementFactory,
  autoPlace: AutoPlace,
  create: Create,
  bpmnFactory: BpmnFactory,
) {
  contextPad.registerProvider(500, {
    getContextPadEntries: (element: unknown) => (entries: Entries) => {
      if (!entries['append.append-task']) return entries;
      const shape = () => userTask(elementFactory, bpmnFactory);
      entries['append.append-task'] = {
        group: 'model',
        className: 'bpmn-icon-user-task',
        title: '接上人工审批环节',
        action: {
          click: () => autoPlace.append(element, shape()),
          dragstart: (event: unknown) => create.start(event, shape(), { source: element }),
        },
      };
      return entries;
    },
  });
}
MinflowContextPad.$inject = ['contextPad', 'elementFactory', 'autoPlace', 'create', 'bpmnFactory'];

export const minflowModelingModule = {
  __init__: ['minflowPalette', 'minflowContextPad'],
  minflowPalette: ['type', MinflowPalette],
  minflowContextPad: ['type', MinflowContextPad],
  translate: ['value', translate],
};
