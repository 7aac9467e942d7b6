/**
 * Minflow's rules checked while drawing (the engine's publish validation stays the authority):
 * supported elements only, every user task has roles and a level, every service task a handler,
 * every flow out of an exclusive/inclusive gateway with several outgoing flows has a condition or is
 * the default. Works on bpmn-moddle business objects, so it runs in the browser and in tests alike.
 */
export interface LintBo {
  id: string;
  $type: string;
  name?: string;
  flowElements?: LintBo[];
  outgoing?: LintBo[];
  default?: { id: string };
  conditionExpression?: { body?: string };
  eventDefinitions?: Array<{ $type: string }>;
  get?(name: string): unknown;
}

export interface LintProblem {
  id: string;
  message: string;
}

const SUPPORTED = new Set([
  'bpmn:StartEvent',
  'bpmn:EndEvent',
  'bpmn:UserTask',
  'bpmn:ServiceTask',
  'bpmn:ScriptTask',
  'bpmn:ExclusiveGateway',
  'bpmn:ParallelGateway',
  'bpmn:InclusiveGateway',
  'bpmn:EventBasedGateway',
  'bpmn:IntermediateCatchEvent',
  'bpmn:BoundaryEvent',
  'bpmn:SubProcess',
  'bpmn:CallActivity',
  'bpmn:SequenceFlow',
  'bpmn:TextAnnotation',
  'bpmn:Association',
  'bpmn:Group',
  'bpmn:DataObject',
  'bpmn:DataObjectReference',
  'bpmn:DataStoreReference',
]);

const TYPE_NAMES: Record<string, string> = {
  'bpmn:Task': '无类型任务',
  'bpmn:ManualTask': '手工任务',
  'bpmn:SendTask': '发送任务',
  'bpmn:ReceiveTask': '接收任务',
  'bpmn:BusinessRuleTask': '业务规则任务',
  'bpmn:ComplexGateway': '复杂网关',
  'bpmn:IntermediateThrowEvent': '中间抛出事件',
};

function attr(bo: LintBo, name: string): string {
  const v = bo.get?.(`minflow:${name}`);
  return typeof v === 'string' ? v.trim() : '';
}

export function lintProcess(process: LintBo): LintProblem[] {
  const problems: LintProblem[] = [];
  const walk = (elements: LintBo[]) => {
    for (const bo of elements) {
      const label = bo.name ? `“${bo.name}”` : bo.id;
      if (!SUPPORTED.has(bo.$type)) {
        problems.push({
          id: bo.id,
          message: `${label}：不支持${TYPE_NAMES[bo.$type] ?? bo.$type}，请改为人工审批环节、自动处理环节或网关`,
        });
      }
      if (bo.$type === 'bpmn:StartEvent' && bo.eventDefinitions?.length) {
        problems.push({ id: bo.id, message: `${label}：开始事件不能带定时或消息` });
      }
      if (bo.$type === 'bpmn:UserTask') {
        if (!attr(bo, 'roles')) problems.push({ id: bo.id, message: `${label}：请选择办理角色` });
        if (!attr(bo, 'level')) problems.push({ id: bo.id, message: `${label}：请选择办理层级` });
      }
      if (bo.$type === 'bpmn:ServiceTask' && !attr(bo, 'handler')) {
        problems.push({ id: bo.id, message: `${label}：请填写处理插件（handler）` });
      }
      if (
        (bo.$type === 'bpmn:ExclusiveGateway' || bo.$type === 'bpmn:InclusiveGateway') &&
        (bo.outgoing?.length ?? 0) > 1
      ) {
        for (const flow of bo.outgoing ?? []) {
          const hasCondition = Boolean(flow.conditionExpression?.body?.replace(/^=\s*/, '').trim());
          if (!hasCondition && bo.default?.id !== flow.id) {
            problems.push({
              id: flow.id,
              message: `${label}的出口${flow.name ? `“${flow.name}”` : flow.id}：请填写条件，或设为默认路径`,
            });
          }
        }
      }
      if (bo.flowElements) walk(bo.flowElements);
    }
  };
  walk(process.flowElements ?? []);
  return problems;
}
