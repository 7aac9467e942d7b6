/**
 * Lint as you draw: bpmnlint's `recommended` rules (those that fit Minflow) plus Minflow's own rules,
 * packaged as the bpmnlint plugin `bpmnlint-plugin-minflow` and bundled with a static resolver (no
 * bpmnlint-loader), so the same packed config runs in bpmn-js-bpmnlint in the browser and in bpmnlint's
 * `Linter` in tests. The engine's publish validation stays the authority.
 *
 * Minflow's rules: supported elements only, a start event without a timer or message, every user task has
 * roles and a level, every service task a handler, every exit of an exclusive/inclusive gateway with several
 * exits has a condition or is the default, and conditions are FEEL without syntax errors. Messages are in
 * the UI language (the rules' config carries it; bpmnlint's own messages are translated here).
 */
import { lintExpression } from '@bpmn-io/feel-lint';
import adHocSubProcess from 'bpmnlint/rules/ad-hoc-sub-process';
import endEventRequired from 'bpmnlint/rules/end-event-required';
import eventBasedGateway from 'bpmnlint/rules/event-based-gateway';
import eventSubProcessTypedStartEvent from 'bpmnlint/rules/event-sub-process-typed-start-event';
import linkEvent from 'bpmnlint/rules/link-event';
import noBpmndi from 'bpmnlint/rules/no-bpmndi';
import noDisconnected from 'bpmnlint/rules/no-disconnected';
import noDuplicateSequenceFlows from 'bpmnlint/rules/no-duplicate-sequence-flows';
import noImplicitEnd from 'bpmnlint/rules/no-implicit-end';
import noImplicitStart from 'bpmnlint/rules/no-implicit-start';
import noOverlappingElements from 'bpmnlint/rules/no-overlapping-elements';
import singleBlankStartEvent from 'bpmnlint/rules/single-blank-start-event';
import singleEventDefinition from 'bpmnlint/rules/single-event-definition';
import startEventRequired from 'bpmnlint/rules/start-event-required';
import subProcessBlankStartEvent from 'bpmnlint/rules/sub-process-blank-start-event';
import superfluousGateway from 'bpmnlint/rules/superfluous-gateway';
import superfluousTermination from 'bpmnlint/rules/superfluous-termination';
import { type Lang, translate } from '../i18n';

/** A bpmn-moddle element as bpmnlint rules see it. */
export interface LintNode {
  id: string;
  $type: string;
  name?: string;
  flowElements?: LintNode[];
  outgoing?: LintNode[];
  default?: { id: string };
  conditionExpression?: { body?: string };
  script?: string;
  eventDefinitions?: Array<{ $type: string }>;
  get?(name: string): unknown;
}

interface Reporter {
  report(id: string, message: string, path?: unknown): void;
}
interface RuleDefinition {
  check(node: LintNode, reporter: Reporter): void;
  meta?: unknown;
}
type RuleFactory = (config?: { lang?: Lang }) => RuleDefinition;

export interface LintProblem {
  id: string;
  message: string;
  rule: string;
  category: 'error' | 'warn' | 'info' | 'rule-error';
}

const SUPPORTED = new Set([
  'bpmn:Definitions',
  'bpmn:Process',
  'bpmn:Collaboration',
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

/** Flow elements the engine does not execute, named for the message. */
const TYPE_NAMES: Record<string, [string, string]> = {
  'bpmn:Task': ['无类型任务', 'an untyped task'],
  'bpmn:ManualTask': ['手工任务', 'a manual task'],
  'bpmn:SendTask': ['发送任务', 'a send task'],
  'bpmn:ReceiveTask': ['接收任务', 'a receive task'],
  'bpmn:BusinessRuleTask': ['业务规则任务', 'a business rule task'],
  'bpmn:ComplexGateway': ['复杂网关', 'a complex gateway'],
  'bpmn:IntermediateThrowEvent': ['中间抛出事件', 'an intermediate throw event'],
  'bpmn:Transaction': ['事务子流程', 'a transaction'],
  'bpmn:AdHocSubProcess': ['自由子流程', 'an ad-hoc sub-process'],
};

/** Only flow nodes are checked for support; definitions' other parts (DI, messages, …) are not. */
function isFlowElement(node: LintNode): boolean {
  return /^bpmn:(\w*Task|\w*Gateway|\w*Event|SubProcess|Transaction|AdHocSubProcess|CallActivity)$/.test(node.$type);
}

function attr(node: LintNode, name: string): string {
  const v = node.get?.(`minflow:${name}`);
  return typeof v === 'string' ? v.trim() : '';
}

function texts(lang: Lang = 'zh-CN') {
  const t = (zh: string, en: string, params?: Record<string, string>) => translate(lang, zh, en, params);
  const label = (node: LintNode) => (node.name ? (lang === 'en' ? `"${node.name}"` : `“${node.name}”`) : node.id);
  return { t, label, lang };
}

const supportedElements: RuleFactory = (config) => ({
  check(node, reporter) {
    if (!isFlowElement(node) || SUPPORTED.has(node.$type)) return;
    const { t, label, lang } = texts(config?.lang);
    reporter.report(
      node.id,
      t(
        '{label}：不支持{type}，请改为人工审批环节、自动处理环节或网关',
        '{label}: {type} is not supported; use a user task, a service task or a gateway',
        { label: label(node), type: TYPE_NAMES[node.$type]?.[lang === 'en' ? 1 : 0] ?? node.$type },
      ),
    );
  },
});

const startEventBlank: RuleFactory = (config) => ({
  check(node, reporter) {
    if (node.$type !== 'bpmn:StartEvent' || !node.eventDefinitions?.length) return;
    const { t, label } = texts(config?.lang);
    reporter.report(
      node.id,
      t('{label}：开始事件不能带定时或消息', '{label}: a start event cannot have a timer or a message', {
        label: label(node),
      }),
    );
  },
});

const userTaskAssignment: RuleFactory = (config) => ({
  check(node, reporter) {
    if (node.$type !== 'bpmn:UserTask') return;
    const { t, label } = texts(config?.lang);
    if (!attr(node, 'roles'))
      reporter.report(node.id, t('{label}：请选择办理角色', '{label}: choose the roles', { label: label(node) }));
    if (!attr(node, 'level'))
      reporter.report(node.id, t('{label}：请选择办理层级', '{label}: choose the level', { label: label(node) }));
  },
});

const serviceTaskHandler: RuleFactory = (config) => ({
  check(node, reporter) {
    if (node.$type !== 'bpmn:ServiceTask' || attr(node, 'handler')) return;
    const { t, label } = texts(config?.lang);
    reporter.report(
      node.id,
      t('{label}：请填写处理插件（handler）', '{label}: choose the handler', { label: label(node) }),
    );
  },
});

function feelBody(flow: LintNode): string {
  return flow.conditionExpression?.body?.replace(/^\s*=\s*/, '').trim() ?? '';
}

const gatewayExits: RuleFactory = (config) => ({
  check(node, reporter) {
    if (node.$type !== 'bpmn:ExclusiveGateway' && node.$type !== 'bpmn:InclusiveGateway') return;
    if ((node.outgoing?.length ?? 0) < 2) return;
    const { t, label } = texts(config?.lang);
    for (const flow of node.outgoing ?? []) {
      if (feelBody(flow) || node.default?.id === flow.id) continue;
      reporter.report(
        flow.id,
        t(
          '{label}的出口{flow}：请填写条件，或设为默认路径',
          '{label}, exit {flow}: give it a condition or make it the default flow',
          { label: label(node), flow: label(flow) },
        ),
      );
    }
  },
});

/** The first FEEL syntax error in an expression (without its leading `=`), or null. */
export function feelSyntaxError(expression: string): { from: number; to: number; message: string } | null {
  const body = expression.replace(/^\s*=\s*/, '');
  if (!body.trim()) return null;
  const error = lintExpression(body).find((m: { severity: string }) => m.severity === 'error') as
    | { from: number; to: number; message: string }
    | undefined;
  return error ?? null;
}

const feelSyntax: RuleFactory = (config) => ({
  check(node, reporter) {
    const { t, label } = texts(config?.lang);
    const isFlow = node.$type === 'bpmn:SequenceFlow';
    const text = isFlow ? node.conditionExpression?.body : node.$type === 'bpmn:ScriptTask' ? node.script : undefined;
    const error = text?.trim() ? feelSyntaxError(text) : null;
    if (!error) return;
    const params = { label: label(node), at: String(error.from + 1) };
    reporter.report(
      node.id,
      isFlow
        ? t(
            '连线{label}的条件不是有效的 FEEL 表达式（第 {at} 个字符附近）',
            '{label}: the condition is not valid FEEL (near character {at})',
            params,
          )
        : t(
            '{label}：计算表达式不是有效的 FEEL（第 {at} 个字符附近）',
            '{label}: the script is not valid FEEL (near character {at})',
            params,
          ),
    );
  },
});

/** The `minflow` bpmnlint plugin: rule name → factory. */
export const MINFLOW_RULES: Record<string, RuleFactory> = {
  'supported-elements': supportedElements,
  'start-event-blank': startEventBlank,
  'user-task-assignment': userTaskAssignment,
  'service-task-handler': serviceTaskHandler,
  'gateway-exits': gatewayExits,
  'feel-syntax': feelSyntax,
};

// bpmnlint's recommended rules, bundled statically (the same files bpmnlint-loader would import).
const BPMNLINT_RULES: Record<string, RuleFactory> = {
  'ad-hoc-sub-process': adHocSubProcess,
  'end-event-required': endEventRequired,
  'event-based-gateway': eventBasedGateway,
  'event-sub-process-typed-start-event': eventSubProcessTypedStartEvent,
  'link-event': linkEvent,
  'no-bpmndi': noBpmndi,
  'no-disconnected': noDisconnected,
  'no-duplicate-sequence-flows': noDuplicateSequenceFlows,
  'no-implicit-end': noImplicitEnd,
  'no-implicit-start': noImplicitStart,
  'no-overlapping-elements': noOverlappingElements,
  'single-blank-start-event': singleBlankStartEvent,
  'single-event-definition': singleEventDefinition,
  'start-event-required': startEventRequired,
  'sub-process-blank-start-event': subProcessBlankStartEvent,
  'superfluous-gateway': superfluousGateway,
  'superfluous-termination': superfluousTermination,
};

/**
 * bpmnlint `recommended`, adapted: off are `conditional-flows` (minflow/gateway-exits says it with the
 * default flow in mind), `no-complex-gateway` (minflow/supported-elements), `no-inclusive-gateway` (Minflow
 * runs them), `label-required` (ids name unnamed gateways and flows), `global` and `superfluous-label`
 * (noise for admins), `no-gateway-join-fork` and `no-implicit-split` (the engine runs both as drawn), `fake-join` (a
 * 退回 flow back into a step is how Minflow draws a return: 24 warnings over the published items).
 */
const RULES: Record<string, 'error' | 'warn' | ['error' | 'warn', { lang: Lang }]> = {
  'ad-hoc-sub-process': 'error',
  'end-event-required': 'error',
  'event-based-gateway': 'error',
  'event-sub-process-typed-start-event': 'error',
  'link-event': 'error',
  'no-bpmndi': 'error',
  'no-disconnected': 'error',
  'no-duplicate-sequence-flows': 'error',
  'no-implicit-end': 'error',
  'no-implicit-start': 'error',
  'no-overlapping-elements': 'warn',
  'single-blank-start-event': 'error',
  'single-event-definition': 'error',
  'start-event-required': 'error',
  'sub-process-blank-start-event': 'error',
  'superfluous-gateway': 'warn',
  'superfluous-termination': 'warn',
};

/** bpmnlint's English messages in Chinese (the element is named by the overlay it sits on). */
const BPMNLINT_ZH: Array<[RegExp, string]> = [
  [/^Element is not connected$/, '没有连到流程中'],
  [/^Element is an implicit end$/, '没有出口：请连到结束或下一环节'],
  [/^Element is an implicit start$/, '没有入口：请从开始或上一环节连过来'],
  [/^Process is missing end event$/, '流程缺少结束事件'],
  [/^Process is missing start event$/, '流程缺少开始事件'],
  [/^Sub process is missing end event$/, '子流程缺少结束事件'],
  [/^Sub process is missing start event$/, '子流程缺少开始事件'],
  [/^Element has multiple blank start events$/, '有多个空白开始事件'],
  [/^Element has multiple event definitions$/, '事件带了多个定义'],
  [/^Gateway is superfluous\. It only has one source and target\.$/, '多余的网关：只有一个入口和一个出口'],
  [/^Termination is superfluous\.$/, '多余的终止结束事件'],
  [/^Element overlaps with other element$/, '与其他元素重叠'],
  [/^Element is missing bpmndi$/, '缺少图形信息'],
  [/^SequenceFlow is a duplicate$/, '重复的连线'],
  [/^Event-based gateway/, '事件网关的出口只能连到中间捕获事件或接收任务'],
  [/^Start event must be blank$/, '子流程的开始事件必须是空白的'],
];

function translateBpmnlint(message: string, lang: Lang): string {
  if (lang === 'en') return message;
  for (const [pattern, zh] of BPMNLINT_ZH) if (pattern.test(message)) return zh;
  return message;
}

/** bpmnlint's own rules, their messages in `lang`. */
function localizedRule(factory: RuleFactory, lang: Lang): RuleFactory {
  return (config) => {
    const rule = factory(config);
    return {
      ...rule,
      check(node, reporter) {
        rule.check(node, {
          report: (id, message, path) => reporter.report(id, translateBpmnlint(message, lang), path),
        });
      },
    };
  };
}

export interface PackedLintConfig {
  config: { rules: Record<string, unknown> };
  resolver: {
    resolveRule(pkg: string, ruleName: string): RuleFactory;
    resolveConfig(pkg: string, configName: string): never;
  };
}

/**
 * The packed bpmnlint config (`{ config, resolver }`, what bpmnlint-loader would generate) for
 * bpmn-js-bpmnlint's `linting.bpmnlint` and for bpmnlint's `Linter`, with messages in `lang`.
 */
export function minflowLintConfig(lang: Lang = 'zh-CN'): PackedLintConfig {
  const cache: Record<string, RuleFactory> = {};
  for (const [name, factory] of Object.entries(BPMNLINT_RULES))
    cache[`bpmnlint/${name}`] = localizedRule(factory, lang);
  for (const [name, factory] of Object.entries(MINFLOW_RULES)) cache[`bpmnlint-plugin-minflow/${name}`] = factory;
  const rules: Record<string, unknown> = { ...RULES };
  for (const name of Object.keys(MINFLOW_RULES)) rules[`minflow/${name}`] = ['error', { lang }];
  return {
    config: { rules },
    resolver: {
      resolveRule(pkg, ruleName) {
        const rule = cache[`${pkg}/${ruleName}`];
        if (!rule) throw new Error(`cannot resolve rule <${pkg}/${ruleName}>: not bundled`);
        return rule;
      },
      resolveConfig(pkg, configName) {
        throw new Error(`cannot resolve config <${configName}> in <${pkg}>: not bundled`);
      },
    },
  };
}

/** Flattens bpmnlint's results (rule → reports) into problems by element id. */
export function flattenReports(
  results: Record<string, Array<{ id?: string; message: string; category: string; rule?: string }>>,
): LintProblem[] {
  const out: LintProblem[] = [];
  for (const [rule, reports] of Object.entries(results))
    for (const r of reports)
      out.push({ id: r.id ?? '', message: r.message, rule, category: r.category as LintProblem['category'] });
  return out;
}
