import type { ModdleElement } from 'bpmn-moddle';
import { parseExpression } from 'feelin';
import { LEVELS, type Level, ROLES, type Role } from '../infra/auth/types.js';
import { roleLevels } from '../permissions/rules.js';
import type { ParsedBpmn } from './parse.js';
import {
  BOUNDARY_HOSTS,
  CALENDARS,
  CONDITIONAL_GATEWAYS,
  EXECUTABLE_FLOW_NODES,
  isExecutableFlowNode,
  MULTI_INSTANCE_TYPES,
  NON_EXECUTING_ELEMENTS,
  SCRIPT_FORMATS,
  TASK_ACTIONS,
} from './supported.js';

/**
 * The publish-time lint of a parsed BPMN document: refuses every element the runtime does not
 * execute (see supported.ts) and every configuration it could not run (missing roles, broken FEEL,
 * gateways without conditions, dead ends...). Each problem names the element id.
 */

/** Messages by rule, zh-CN and en; `{name}` placeholders come from the problem's params. */
export const LINT_MESSAGES = {
  'bpmn.warning': { zh: 'BPMN 解析问题：{message}', en: 'BPMN parse problem: {message}' },
  'process.none': {
    zh: '没有可执行的流程（process 需设置 isExecutable="true"）',
    en: 'No executable process (set isExecutable="true" on the process)',
  },
  'process.multiple': {
    zh: '只能有一个可执行流程，实际有 {count} 个',
    en: 'Exactly one executable process is allowed, found {count}',
  },
  'element.unsupported': { zh: '不支持的元素类型 {type}', en: 'Unsupported element type {type}' },
  'element.noId': { zh: '{type} 元素缺少 id', en: '{type} element has no id' },
  'event.unsupported': {
    zh: '{type} 不支持事件定义 {definition}',
    en: '{type} does not support the event definition {definition}',
  },
  'event.required': {
    zh: '{type} 需要且只能有一个定时或消息事件定义',
    en: '{type} needs exactly one timer or message event definition',
  },
  'subProcess.event': { zh: '不支持事件子流程', en: 'Event sub-processes are not supported' },
  'activity.compensation': { zh: '不支持补偿活动', en: 'Compensation activities are not supported' },
  'loop.standard': {
    zh: '不支持标准循环（请使用多实例）',
    en: 'Standard loops are not supported (use multi-instance)',
  },
  'loop.multiInstanceType': {
    zh: '只有用户任务可以设置多实例（会签/或签）',
    en: 'Only user tasks may be multi-instance',
  },
  'loop.collection': {
    zh: '多实例需设置 minflow:collection 或 loopCardinality',
    en: 'A multi-instance task needs minflow:collection or loopCardinality',
  },
  'loop.elementVariable': {
    zh: 'minflow:elementVariable "{value}" 不是合法的变量名',
    en: 'minflow:elementVariable "{value}" is not a valid variable name',
  },
  'scope.startCount': {
    zh: '流程或子流程必须恰好有一个开始事件，实际有 {count} 个',
    en: 'A process or sub-process needs exactly one start event, found {count}',
  },
  'start.incoming': { zh: '开始事件不能有流入的顺序流', en: 'A start event cannot have incoming sequence flows' },
  'end.outgoing': { zh: '结束事件不能有流出的顺序流', en: 'An end event cannot have outgoing sequence flows' },
  'boundary.incoming': { zh: '边界事件不能有流入的顺序流', en: 'A boundary event cannot have incoming sequence flows' },
  'boundary.host': {
    zh: '边界事件必须附着在任务、子流程或调用活动上',
    en: 'A boundary event must be attached to a task, sub-process or call activity',
  },
  'flow.ref': { zh: '顺序流缺少起点或终点', en: 'The sequence flow has no source or target' },
  'flow.crossScope': { zh: '顺序流不能跨越子流程边界', en: 'A sequence flow cannot cross a sub-process boundary' },
  'flow.conditionNotAllowed': {
    zh: '只有排他网关或包容网关的流出顺序流可以设置条件',
    en: 'Only flows leaving an exclusive or inclusive gateway may have a condition',
  },
  'flow.defaultWithCondition': { zh: '默认顺序流不能设置条件', en: 'The default flow cannot have a condition' },
  'gateway.conditions': {
    zh: '网关有多个流出顺序流，顺序流 {flows} 需设置条件，或为网关指定默认顺序流',
    en: 'The gateway has several outgoing flows: give {flows} a condition or mark a default flow',
  },
  'gateway.default': {
    zh: '默认顺序流 {flow} 不是该网关的流出顺序流',
    en: 'The default flow {flow} does not leave this gateway',
  },
  'gateway.eventBasedTargets': {
    zh: '事件网关的每条流出顺序流都必须指向定时或消息中间捕获事件',
    en: 'Every flow leaving an event-based gateway must lead to a timer or message intermediate catch event',
  },
  'gateway.eventBasedCount': {
    zh: '事件网关至少需要两条流出顺序流',
    en: 'An event-based gateway needs at least two outgoing flows',
  },
  'feel.syntax': {
    zh: '{where} 不是合法的 FEEL 表达式：{message}',
    en: '{where} is not a valid FEEL expression: {message}',
  },
  'userTask.roles': {
    zh: '用户任务必须设置 minflow:roles（候选角色）',
    en: 'A user task needs minflow:roles (candidate roles)',
  },
  'userTask.role': { zh: '未知角色 "{role}"，可用：{known}', en: 'Unknown role "{role}"; known roles: {known}' },
  'userTask.roleLevel': {
    zh: '角色 "{role}" 不设在{level}级（只在 {levels}），该任务不会分派给任何人',
    en: 'The role "{role}" is not held at {level} level (only {levels}): nobody would get this task',
  },
  'userTask.level': {
    zh: 'minflow:level 必须是 {known} 之一，实际为 "{value}"',
    en: 'minflow:level must be one of {known}, got "{value}"',
  },
  'userTask.due': {
    zh: 'minflow:due "{value}" 不是 ISO 8601 时长（如 P10D）',
    en: 'minflow:due "{value}" is not an ISO 8601 duration (e.g. P10D)',
  },
  'userTask.calendar': {
    zh: 'minflow:calendar 必须是 workdays 或 days，实际为 "{value}"',
    en: 'minflow:calendar must be workdays or days, got "{value}"',
  },
  'userTask.form': {
    zh: 'minflow:form 引用的任务表单 "{value}" 不存在',
    en: 'minflow:form refers to a task form "{value}" that does not exist',
  },
  'userTask.editable': {
    zh: 'minflow:editable 中的字段 "{pointer}" 在表单中不存在',
    en: 'minflow:editable names a field "{pointer}" that the form does not have',
  },
  'userTask.action': {
    zh: '未知操作 "{action}"，可用：{known}',
    en: 'Unknown action "{action}"; known actions: {known}',
  },
  'serviceTask.handler': { zh: '服务任务必须设置 minflow:handler', en: 'A service task needs minflow:handler' },
  'serviceTask.retries': {
    zh: 'minflow:retries 必须是 0 到 100 的整数，实际为 "{value}"',
    en: 'minflow:retries must be an integer from 0 to 100, got "{value}"',
  },
  'serviceTask.backoff': {
    zh: 'minflow:backoff "{value}" 不是 ISO 8601 时长',
    en: 'minflow:backoff "{value}" is not an ISO 8601 duration',
  },
  'scriptTask.format': {
    zh: '脚本语言只能是 feel，实际为 "{value}"',
    en: 'The script format must be feel, got "{value}"',
  },
  'scriptTask.resultVariable': {
    zh: 'minflow:resultVariable "{value}" 不是合法的变量名',
    en: 'minflow:resultVariable "{value}" is not a valid variable name',
  },
  'timer.definition': {
    zh: '定时事件需要且只能有 timeDuration、timeDate、timeCycle 之一',
    en: 'A timer needs exactly one of timeDuration, timeDate, timeCycle',
  },
  'timer.value': {
    zh: '{kind} 的值 "{value}" 无效：{expected}',
    en: 'The {kind} value "{value}" is invalid: {expected}',
  },
  'message.ref': { zh: '消息事件必须引用一个有名称的消息', en: 'A message event must refer to a message with a name' },
  'callActivity.calledElement': {
    zh: '调用活动必须在 calledElement 中填写被调用事项的 key（小写字母、数字和连字符）',
    en: 'A call activity needs calledElement: the key of the called item (kebab-case)',
  },
  'reach.unreachable': { zh: '从开始事件无法到达该元素', en: 'The element cannot be reached from the start event' },
  'reach.noOutgoing': {
    zh: '该元素没有流出顺序流，流程会停在这里',
    en: 'The element has no outgoing sequence flow: the process would stop here',
  },
  'reach.noEnd': { zh: '从该元素无法到达任何结束事件', en: 'No end event can be reached from this element' },
} as const satisfies Record<string, { zh: string; en: string }>;

export type LintRule = keyof typeof LINT_MESSAGES;

export interface LintProblem {
  /** The offending element's id ('' for the document as a whole). */
  elementId: string;
  rule: LintRule;
  params?: Record<string, string | number>;
}

export interface LintContext {
  /** The definition's form schema: `minflow:editable` pointers must name its fields. */
  formSchema?: unknown;
  /** Keys of the definition's task forms: `minflow:form` must be one of them. */
  taskFormKeys?: readonly string[];
}

export function lintMessage(problem: LintProblem, lang: 'zh-CN' | 'en'): string {
  const spec = LINT_MESSAGES[problem.rule];
  const template = lang === 'en' ? spec.en : spec.zh;
  const params = problem.params ?? {};
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

// ---------------------------------------------------------------------------------------------
// Value checks shared with the runtime.

const DURATION_RE = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const DATE_TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const IDENTIFIER_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEBAB_RE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** ISO 8601 duration such as P10D, PT4H, P1DT12H (no negative or empty durations). */
export function isIsoDuration(value: string): boolean {
  return DURATION_RE.test(value);
}

/** ISO 8601 date-time with an explicit offset (Z or ±hh:mm), e.g. 2026-03-01T09:00:00+08:00. */
export function isIsoDateTime(value: string): boolean {
  return DATE_TIME_RE.test(value) && !Number.isNaN(Date.parse(value));
}

/** ISO 8601 repeating interval: R[n]/duration, R[n]/start/duration. */
export function isIsoCycle(value: string): boolean {
  const parts = value.split('/');
  if (!/^R\d*$/.test(parts[0])) return false;
  if (parts.length === 2) return isIsoDuration(parts[1]);
  if (parts.length === 3) return isIsoDateTime(parts[1]) && isIsoDuration(parts[2]);
  return false;
}

/** The FEEL source of an expression written with or without Camunda 8's leading `=`. */
export function feelSource(value: string): string {
  const trimmed = value.trim();
  return trimmed.startsWith('=') ? trimmed.slice(1).trim() : trimmed;
}

/**
 * Why `value` is not a FEEL expression (feelin's parser; the lezer grammar recovers from errors,
 * so the tree is searched for error nodes), or null when it parses.
 */
export function feelSyntaxProblem(value: string): string | null {
  const source = feelSource(value);
  if (!source) return 'empty expression';
  const tree = parseExpression(source, {}, undefined);
  let problem: string | null = null;
  tree.iterate({
    enter(node) {
      if (problem !== null) return false;
      if (!node.type.isError) return undefined;
      const text = source.slice(node.from, node.to);
      problem =
        node.from === node.to
          ? node.from >= source.length
            ? 'incomplete expression at the end'
            : `unexpected "${source.slice(node.from, node.from + 10)}" at position ${node.from + 1}`
          : `unexpected "${text.slice(0, 20)}" at position ${node.from + 1}`;
      return false;
    },
  });
  return problem;
}

// ---------------------------------------------------------------------------------------------
// JSON pointers into a form schema (for minflow:editable).

function unescapeSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function resolveLocalRef(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[unescapeSegment(decodeURIComponent(raw))];
  }
  return node;
}

/** The schema itself plus every subschema that constrains the same value (allOf, if/then, $ref...). */
function sameValueSchemas(root: unknown, schema: unknown, out: Set<object>, depth = 0): void {
  if (depth > 32 || schema === null || typeof schema !== 'object' || out.has(schema)) return;
  out.add(schema);
  const s = schema as Record<string, unknown>;
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    if (Array.isArray(s[key])) for (const sub of s[key] as unknown[]) sameValueSchemas(root, sub, out, depth + 1);
  }
  for (const key of ['if', 'then', 'else', 'not']) sameValueSchemas(root, s[key], out, depth + 1);
  for (const key of ['dependentSchemas', 'dependencies']) {
    const deps = s[key];
    if (deps && typeof deps === 'object') {
      for (const sub of Object.values(deps)) if (!Array.isArray(sub)) sameValueSchemas(root, sub, out, depth + 1);
    }
  }
  if (typeof s.$ref === 'string') sameValueSchemas(root, resolveLocalRef(root, s.$ref), out, depth + 1);
}

/**
 * Whether a JSON pointer such as `/applicant/name` or `/members/0/income` names a field the
 * schema defines (through properties, items, allOf/anyOf/oneOf, if/then/else and local $ref).
 */
export function schemaHasPointer(root: unknown, pointer: string): boolean {
  if (pointer === '') return true;
  if (!pointer.startsWith('/')) return false;
  let current: unknown[] = [root];
  for (const raw of pointer.slice(1).split('/')) {
    const segment = unescapeSegment(raw);
    const expanded = new Set<object>();
    for (const schema of current) sameValueSchemas(root, schema, expanded);
    const next: unknown[] = [];
    for (const schema of expanded) {
      const s = schema as Record<string, unknown>;
      const props = s.properties as Record<string, unknown> | undefined;
      if (props && typeof props === 'object' && Object.hasOwn(props, segment)) next.push(props[segment]);
      if (/^(0|[1-9]\d*|-)$/.test(segment)) {
        if (s.items && typeof s.items === 'object' && !Array.isArray(s.items)) next.push(s.items);
        if (Array.isArray(s.items)) next.push(s.items[Number(segment)]);
        if (Array.isArray(s.prefixItems)) next.push(s.prefixItems[Number(segment)]);
      }
    }
    if (next.length === 0) return false;
    current = next;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// The lint.

const NON_EXECUTING = new Set<string>(NON_EXECUTING_ELEMENTS);
const KNOWN_ROLES = new Set<string>(ROLES);
const KNOWN_LEVELS = new Set<string>(LEVELS);
const KNOWN_ACTIONS = new Set<string>(TASK_ACTIONS);

function list(value: unknown): string[] {
  return typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
}

function bodyOf(expression: ModdleElement | undefined): string | undefined {
  return typeof expression?.body === 'string' ? expression.body : undefined;
}

/** Lints the parsed document. Parser warnings (unknown minflow attributes, unresolved references) are problems too. */
export function lintBpmn(parsed: ParsedBpmn, context: LintContext = {}): LintProblem[] {
  const problems: LintProblem[] = [];
  const add = (element: ModdleElement | null | undefined, rule: LintRule, params?: LintProblem['params']) =>
    problems.push({ elementId: element?.id ?? '', rule, ...(params ? { params } : {}) });

  for (const w of parsed.warnings) {
    problems.push({ elementId: w.elementId, rule: 'bpmn.warning', params: { message: w.message.split('\n')[0] } });
  }

  const processes = ((parsed.definitions.rootElements ?? []) as ModdleElement[]).filter(
    (e) => e.$type === 'bpmn:Process' && e.isExecutable === true,
  );
  if (processes.length === 0) {
    add(null, 'process.none');
    return problems;
  }
  if (processes.length > 1) {
    for (const p of processes) add(p, 'process.multiple', { count: processes.length });
    return problems;
  }
  lintScope(processes[0], context, add);
  return problems;
}

type Add = (element: ModdleElement | null | undefined, rule: LintRule, params?: LintProblem['params']) => void;

/** Lints one process or embedded sub-process and, recursively, the sub-processes inside it. */
function lintScope(scope: ModdleElement, context: LintContext, add: Add): void {
  const elements = (scope.flowElements ?? []) as ModdleElement[];
  const flows = elements.filter((e) => e.$type === 'bpmn:SequenceFlow');
  const nodes = elements.filter((e) => e.$type !== 'bpmn:SequenceFlow' && !NON_EXECUTING.has(e.$type));
  const nodeSet = new Set(nodes);

  for (const artifact of (scope.artifacts ?? []) as ModdleElement[]) {
    if (!NON_EXECUTING.has(artifact.$type)) add(artifact, 'element.unsupported', { type: artifact.$type });
  }

  const outgoing = new Map<ModdleElement, ModdleElement[]>();
  const incoming = new Map<ModdleElement, ModdleElement[]>();
  for (const node of nodes) {
    outgoing.set(node, []);
    incoming.set(node, []);
  }
  for (const flow of flows) {
    const source = flow.sourceRef as ModdleElement | undefined;
    const target = flow.targetRef as ModdleElement | undefined;
    if (!source || !target) {
      add(flow, 'flow.ref');
      continue;
    }
    if (!nodeSet.has(source) || !nodeSet.has(target)) {
      add(flow, 'flow.crossScope');
      continue;
    }
    outgoing.get(source)?.push(flow);
    incoming.get(target)?.push(flow);
  }

  // Every executable node in this scope is of a supported type and configured for the runtime.
  const supported: ModdleElement[] = [];
  for (const node of nodes) {
    if (!node.id) add(node, 'element.noId', { type: node.$type });
    if (!isExecutableFlowNode(node.$type)) {
      add(node, 'element.unsupported', { type: node.$type });
      continue;
    }
    supported.push(node);
    lintEventDefinitions(node, add);
    lintActivity(node, context, add);
    if (node.$type === 'bpmn:SubProcess') {
      if (node.triggeredByEvent) add(node, 'subProcess.event');
      else lintScope(node, context, add);
    }
  }

  // Flow rules: where conditions may be, gateways' defaults and conditions.
  for (const flow of flows) {
    const source = flow.sourceRef as ModdleElement | undefined;
    const condition = bodyOf(flow.conditionExpression);
    if (flow.conditionExpression && source && !(CONDITIONAL_GATEWAYS as readonly string[]).includes(source.$type)) {
      add(flow, 'flow.conditionNotAllowed');
    } else if (flow.conditionExpression) {
      const problem = feelSyntaxProblem(condition ?? '');
      if (problem) add(flow, 'feel.syntax', { where: 'conditionExpression', message: problem });
    }
  }
  for (const node of supported) {
    const out = outgoing.get(node) ?? [];
    const into = incoming.get(node) ?? [];
    if (node.$type === 'bpmn:StartEvent' && into.length > 0) add(node, 'start.incoming');
    if (node.$type === 'bpmn:EndEvent' && out.length > 0) add(node, 'end.outgoing');
    if (node.$type === 'bpmn:BoundaryEvent' && into.length > 0) add(node, 'boundary.incoming');
    if ((CONDITIONAL_GATEWAYS as readonly string[]).includes(node.$type)) {
      const defaultFlow = node.default as ModdleElement | undefined;
      if (defaultFlow && !out.includes(defaultFlow)) add(node, 'gateway.default', { flow: defaultFlow.id ?? '' });
      if (defaultFlow?.conditionExpression) add(defaultFlow, 'flow.defaultWithCondition');
      if (out.length > 1) {
        const missing = out.filter((f) => f !== defaultFlow && !f.conditionExpression);
        // With a default flow, one unconditioned flow is the default itself; without one, every flow needs a condition.
        if (missing.length > 0) add(node, 'gateway.conditions', { flows: missing.map((f) => f.id).join(', ') });
      }
    }
    if (node.$type === 'bpmn:EventBasedGateway') {
      if (out.length < 2) add(node, 'gateway.eventBasedCount');
      const bad = out.some((f) => (f.targetRef as ModdleElement | undefined)?.$type !== 'bpmn:IntermediateCatchEvent');
      if (bad) add(node, 'gateway.eventBasedTargets');
    }
  }

  // Exactly one none start event per scope; everything reachable from it and able to reach an end.
  const starts = supported.filter((n) => n.$type === 'bpmn:StartEvent');
  if (starts.length !== 1) {
    add(starts.length > 1 ? starts[1] : scope, 'scope.startCount', { count: starts.length });
    return;
  }
  const boundaries = new Map<ModdleElement, ModdleElement[]>();
  for (const node of supported) {
    if (node.$type !== 'bpmn:BoundaryEvent') continue;
    const host = node.attachedToRef as ModdleElement | undefined;
    if (!host || !nodeSet.has(host) || !(BOUNDARY_HOSTS as readonly string[]).includes(host.$type)) {
      add(node, 'boundary.host');
      continue;
    }
    boundaries.set(host, [...(boundaries.get(host) ?? []), node]);
  }

  const reached = new Set<ModdleElement>([starts[0]]);
  const queue = [starts[0]];
  while (queue.length > 0) {
    const node = queue.shift() as ModdleElement;
    const next = [
      ...(outgoing.get(node) ?? []).map((f) => f.targetRef as ModdleElement),
      ...(boundaries.get(node) ?? []),
    ];
    for (const n of next) {
      if (!reached.has(n)) {
        reached.add(n);
        queue.push(n);
      }
    }
  }
  // Backwards from the end events, over sequence flows only: a boundary event may never fire, so
  // its path does not count as a way out for the activity it is attached to.
  const ends = supported.filter((n) => n.$type === 'bpmn:EndEvent');
  const canEnd = new Set<ModdleElement>(ends);
  const back = [...ends];
  while (back.length > 0) {
    const node = back.shift() as ModdleElement;
    for (const flow of incoming.get(node) ?? []) {
      const source = flow.sourceRef as ModdleElement;
      if (!canEnd.has(source)) {
        canEnd.add(source);
        back.push(source);
      }
    }
  }
  for (const node of supported) {
    if (!reached.has(node)) add(node, 'reach.unreachable');
    else if (!canEnd.has(node)) {
      add(node, (outgoing.get(node) ?? []).length === 0 ? 'reach.noOutgoing' : 'reach.noEnd');
    }
  }
}

function lintEventDefinitions(node: ModdleElement, add: Add): void {
  const spec = EXECUTABLE_FLOW_NODES[node.$type as keyof typeof EXECUTABLE_FLOW_NODES];
  const definitions = (node.eventDefinitions ?? []) as ModdleElement[];
  const allowed = spec.eventDefinitions as readonly string[];
  for (const d of definitions) {
    if (!allowed.includes(d.$type)) add(node, 'event.unsupported', { type: node.$type, definition: d.$type });
  }
  if (spec.eventRequired && definitions.length !== 1) add(node, 'event.required', { type: node.$type });
  if (definitions.length !== 1 || !allowed.includes(definitions[0].$type)) return;
  const d = definitions[0];
  if (d.$type === 'bpmn:TimerEventDefinition') lintTimer(node, d, add);
  if (d.$type === 'bpmn:MessageEventDefinition') {
    const message = d.messageRef as ModdleElement | undefined;
    if (!message || typeof message.name !== 'string' || !message.name.trim()) add(node, 'message.ref');
  }
}

function lintTimer(node: ModdleElement, timer: ModdleElement, add: Add): void {
  const kinds = (['timeDuration', 'timeDate', 'timeCycle'] as const).filter((k) => timer[k]);
  if (kinds.length !== 1) {
    add(node, 'timer.definition');
    return;
  }
  const kind = kinds[0];
  const value = (bodyOf(timer[kind]) ?? '').trim();
  if (value.startsWith('=')) {
    const problem = feelSyntaxProblem(value);
    if (problem) add(node, 'feel.syntax', { where: kind, message: problem });
    return;
  }
  const [valid, expected] =
    kind === 'timeDuration'
      ? [isIsoDuration(value), 'ISO 8601 duration, e.g. P7D / PT2H, or =FEEL']
      : kind === 'timeDate'
        ? [isIsoDateTime(value), 'ISO 8601 date-time with offset, e.g. 2026-03-01T09:00:00+08:00, or =FEEL']
        : [isIsoCycle(value), 'ISO 8601 repeating interval, e.g. R3/P1D, or =FEEL'];
  if (!valid) add(node, 'timer.value', { kind, value, expected });
}

function lintActivity(node: ModdleElement, context: LintContext, add: Add): void {
  if (node.isForCompensation) add(node, 'activity.compensation');
  const loop = node.loopCharacteristics as ModdleElement | undefined;
  if (loop) {
    if (loop.$type !== 'bpmn:MultiInstanceLoopCharacteristics') add(node, 'loop.standard');
    else if (!(MULTI_INSTANCE_TYPES as readonly string[]).includes(node.$type)) add(node, 'loop.multiInstanceType');
    else {
      const cardinality = bodyOf(loop.loopCardinality);
      if (!loop.collection && !cardinality) add(node, 'loop.collection');
      if (loop.collection) {
        const problem = feelSyntaxProblem(loop.collection);
        if (problem) add(node, 'feel.syntax', { where: 'minflow:collection', message: problem });
      }
      if (loop.elementVariable !== undefined && !IDENTIFIER_RE.test(loop.elementVariable)) {
        add(node, 'loop.elementVariable', { value: loop.elementVariable });
      }
      if (cardinality !== undefined) {
        const problem = feelSyntaxProblem(cardinality);
        if (problem) add(node, 'feel.syntax', { where: 'loopCardinality', message: problem });
      }
      const completion = bodyOf(loop.completionCondition);
      if (completion !== undefined) {
        const problem = feelSyntaxProblem(completion);
        if (problem) add(node, 'feel.syntax', { where: 'completionCondition', message: problem });
      }
    }
  }

  switch (node.$type) {
    case 'bpmn:UserTask': {
      const roles = list(node.roles);
      if (roles.length === 0) add(node, 'userTask.roles');
      for (const role of roles) {
        if (!KNOWN_ROLES.has(role)) add(node, 'userTask.role', { role, known: ROLES.join(', ') });
      }
      if (typeof node.level !== 'string' || !KNOWN_LEVELS.has(node.level)) {
        add(node, 'userTask.level', { value: node.level ?? '', known: LEVELS.join(' | ') });
      } else {
        // Tasks go to holders of the roles in the case's org unit at that level: a role that is
        // never held there (per the role files) would leave the task with nobody.
        for (const role of roles.filter((r) => KNOWN_ROLES.has(r))) {
          const levels = roleLevels(role as Role);
          if (!levels.includes(node.level as Level)) {
            add(node, 'userTask.roleLevel', { role, level: node.level, levels: levels.join(', ') });
          }
        }
      }
      if (node.due !== undefined && !isIsoDuration(node.due)) add(node, 'userTask.due', { value: node.due });
      if (node.calendar !== undefined && !(CALENDARS as readonly string[]).includes(node.calendar)) {
        add(node, 'userTask.calendar', { value: node.calendar });
      }
      if (node.form !== undefined && !(context.taskFormKeys ?? []).includes(node.form)) {
        add(node, 'userTask.form', { value: node.form });
      }
      for (const pointer of list(node.editable)) {
        if (context.formSchema === undefined || !schemaHasPointer(context.formSchema, pointer)) {
          add(node, 'userTask.editable', { pointer });
        }
      }
      for (const action of list(node.actions)) {
        if (!KNOWN_ACTIONS.has(action)) add(node, 'userTask.action', { action, known: TASK_ACTIONS.join(', ') });
      }
      break;
    }
    case 'bpmn:ServiceTask': {
      if (typeof node.handler !== 'string' || !node.handler.trim()) add(node, 'serviceTask.handler');
      if (node.retries !== undefined && !/^(100|[1-9]?\d)$/.test(node.retries)) {
        add(node, 'serviceTask.retries', { value: node.retries });
      }
      if (node.backoff !== undefined && !isIsoDuration(node.backoff)) {
        add(node, 'serviceTask.backoff', { value: node.backoff });
      }
      break;
    }
    case 'bpmn:ScriptTask': {
      const format = typeof node.scriptFormat === 'string' ? node.scriptFormat.trim().toLowerCase() : 'feel';
      if (!(SCRIPT_FORMATS as readonly string[]).includes(format)) {
        add(node, 'scriptTask.format', { value: node.scriptFormat });
      } else {
        const problem = feelSyntaxProblem(typeof node.script === 'string' ? node.script : '');
        if (problem) add(node, 'feel.syntax', { where: 'script', message: problem });
      }
      if (node.resultVariable !== undefined && !IDENTIFIER_RE.test(node.resultVariable)) {
        add(node, 'scriptTask.resultVariable', { value: node.resultVariable });
      }
      break;
    }
    case 'bpmn:CallActivity': {
      if (typeof node.calledElement !== 'string' || !KEBAB_RE.test(node.calledElement)) {
        add(node, 'callActivity.calledElement');
      }
      break;
    }
  }
}

/** The call activities of the executable process (any depth) with the item key each calls. */
export function calledElements(parsed: ParsedBpmn): Array<{ elementId: string; key: string }> {
  const out: Array<{ elementId: string; key: string }> = [];
  const visit = (scope: ModdleElement) => {
    for (const e of (scope.flowElements ?? []) as ModdleElement[]) {
      if (e.$type === 'bpmn:CallActivity' && typeof e.calledElement === 'string') {
        out.push({ elementId: e.id ?? '', key: e.calledElement });
      }
      if (e.$type === 'bpmn:SubProcess') visit(e);
    }
  };
  for (const root of (parsed.definitions.rootElements ?? []) as ModdleElement[]) {
    if (root.$type === 'bpmn:Process' && root.isExecutable === true) visit(root);
  }
  return out;
}
