import type { ModdleElement } from 'bpmn-moddle';
import type { ParsedBpmn } from '../bpmn/parse.js';
import { NON_EXECUTING_ELEMENTS } from '../bpmn/supported.js';
import { MinflowError } from '../errors/registry.js';
import type { ErrorDetail } from '../errors/types.js';
import { parseCycle, parseDateTime, parseDuration } from './duration.js';
import { isExpression } from './feel.js';

/**
 * The executable form of one BPMN process: a plain, JSON-serialisable graph. Compile once per
 * published definition version and cache it (see `ModelCache`); the interpreter reads nothing
 * else from the XML.
 */

export type NodeType =
  | 'startEvent'
  | 'endEvent'
  | 'intermediateThrowEvent'
  | 'intermediateCatchEvent'
  | 'boundaryEvent'
  | 'userTask'
  | 'serviceTask'
  | 'scriptTask'
  | 'exclusiveGateway'
  | 'parallelGateway'
  | 'inclusiveGateway'
  | 'eventBasedGateway'
  | 'subProcess'
  | 'callActivity';

export const ACTIVITY_TYPES: ReadonlySet<NodeType> = new Set([
  'userTask',
  'serviceTask',
  'scriptTask',
  'subProcess',
  'callActivity',
]);

/** Approval actions (engine operations, not hand-drawn BPMN). */
export const APPROVAL_ACTIONS = [
  'approve',
  'reject',
  'return',
  'transfer',
  'delegate',
  'resolve',
  'addSigner',
  'cc',
  'comment',
] as const;
export type ApprovalAction = (typeof APPROVAL_ACTIONS)[number];

/** Actions a user task offers when `minflow:actions` is absent. */
export const DEFAULT_ACTIONS: readonly ApprovalAction[] = [
  'approve',
  'reject',
  'return',
  'transfer',
  'delegate',
  'addSigner',
  'cc',
  'comment',
];

export interface TimerDef {
  kind: 'duration' | 'date' | 'cycle';
  /** Literal ISO 8601 text, or a FEEL expression (leading `=`) giving it. */
  value: string;
}

export interface UserTaskDef {
  roles: string[];
  level: string | null;
  form: string | null;
  /** JSON pointers of case fields this step may change (`/income`, `/members`). */
  editable: string[];
  due: string | null;
  calendar: 'workdays' | 'days';
  /** Allowed actions; `approve`, `comment` and the delegate's `resolve` are always allowed. */
  actions: ApprovalAction[];
}

export interface JobDef {
  handler: string;
  /** Total attempts before an incident (Camunda semantics), default 3. */
  retries: number;
  /** ISO 8601 duration before the 2nd attempt, doubled for each further one; default PT10S. */
  backoff: string;
}

export interface MultiInstanceDef {
  sequential: boolean;
  /** FEEL giving a list (`= committee`); one instance per element. */
  collection: string | null;
  /** FEEL or a number giving the instance count when there is no collection. */
  cardinality: string | null;
  elementVariable: string | null;
  /** FEEL over nrOf* variables: when true, the vote passes (see README). Absent = all must approve (会签). */
  completionCondition: string | null;
}

export interface CallDef {
  calledElement: string;
  /** FEEL context giving the child's variables; absent = all variables are copied in. */
  inputs: string | null;
  /** FEEL context (over the child's variables) merged into the parent; absent = all child variables. */
  outputs: string | null;
}

export interface NodeModel {
  id: string;
  type: NodeType;
  name: string | null;
  /** Id of the enclosing sub-process, or null at process level. */
  parent: string | null;
  incoming: string[];
  outgoing: string[];
  /** Default flow of a gateway or activity. */
  defaultFlow: string | null;
  /** End event: terminate end event. */
  terminate?: boolean;
  timer?: TimerDef;
  message?: { name: string };
  /** Boundary event: the activity it is attached to, and whether it interrupts it. */
  attachedTo?: string;
  cancelActivity?: boolean;
  /** Activity: ids of its boundary events. */
  boundaries?: string[];
  userTask?: UserTaskDef;
  job?: JobDef;
  script?: { expression: string; resultVariable: string | null };
  multiInstance?: MultiInstanceDef;
  /** Sub-process: its none start event. */
  startNode?: string;
  call?: CallDef;
  /** Inclusive join: nodes (same container) from which this gateway is reachable. */
  upstream?: string[];
}

export interface FlowModel {
  id: string;
  name: string | null;
  source: string;
  target: string;
  condition: string | null;
}

export interface ProcessModel {
  /** BPMN process id. */
  id: string;
  name: string | null;
  /** Definition version this model was compiled from, when the caller sets it. */
  version?: number;
  startNode: string;
  nodes: Record<string, NodeModel>;
  flows: Record<string, FlowModel>;
  /** Message names the process can wait for (for the messages API). */
  messageNames: string[];
  /** `calledElement`s of call activities, so the caller can preload those models. */
  calledElements: string[];
}

const TYPE_MAP: Record<string, NodeType> = {
  'bpmn:StartEvent': 'startEvent',
  'bpmn:EndEvent': 'endEvent',
  'bpmn:IntermediateThrowEvent': 'intermediateThrowEvent',
  'bpmn:IntermediateCatchEvent': 'intermediateCatchEvent',
  'bpmn:BoundaryEvent': 'boundaryEvent',
  'bpmn:UserTask': 'userTask',
  'bpmn:ServiceTask': 'serviceTask',
  'bpmn:ScriptTask': 'scriptTask',
  'bpmn:ExclusiveGateway': 'exclusiveGateway',
  'bpmn:ParallelGateway': 'parallelGateway',
  'bpmn:InclusiveGateway': 'inclusiveGateway',
  'bpmn:EventBasedGateway': 'eventBasedGateway',
  'bpmn:SubProcess': 'subProcess',
  'bpmn:CallActivity': 'callActivity',
};

/** Elements that carry no execution semantics and are skipped (the same table the publish lint uses). */
const IGNORED = new Set<string>(NON_EXECUTING_ELEMENTS);

/**
 * `minflow:actions` spellings of the shared format list (bpmn/supported.ts) that map to engine
 * actions: `carbonCopy` is the `cc` action; `withdraw` is the applicant's case operation, always
 * available until the next step acts, so it needs no task action.
 */
const ACTION_ALIASES: Record<string, ApprovalAction | null> = { carbonCopy: 'cc', withdraw: null };

function list(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function body(expr: ModdleElement | undefined | string): string | null {
  if (expr == null) return null;
  if (typeof expr === 'string') return expr.trim() || null;
  const text = typeof expr.body === 'string' ? expr.body.trim() : '';
  return text || null;
}

class Compiler {
  readonly problems: ErrorDetail[] = [];
  readonly nodes: Record<string, NodeModel> = {};
  readonly flows: Record<string, FlowModel> = {};
  readonly messageNames = new Set<string>();
  readonly calledElements = new Set<string>();

  problem(elementId: string, message: string): void {
    this.problems.push({ path: elementId, message });
  }

  container(elements: ModdleElement[], parent: string | null): string | null {
    const starts: string[] = [];
    for (const el of elements) {
      if (el.$type === 'bpmn:SequenceFlow') {
        const id = el.id as string;
        this.flows[id] = {
          id,
          name: el.name ?? null,
          source: el.sourceRef?.id,
          target: el.targetRef?.id,
          condition: body(el.conditionExpression),
        };
        if (!el.sourceRef || !el.targetRef) this.problem(id, 'sequence flow without source or target');
        continue;
      }
      if (IGNORED.has(el.$type)) continue;
      const type = TYPE_MAP[el.$type];
      if (!type) {
        this.problem(el.id ?? '', `element ${el.$type} is not supported`);
        continue;
      }
      const node = this.node(el, type, parent);
      if (type === 'startEvent') starts.push(node.id);
    }
    const noneStarts = starts.filter((id) => !this.nodes[id]!.timer && !this.nodes[id]!.message);
    if (noneStarts.length !== 1) {
      this.problem(
        parent ?? '',
        `a process or sub-process needs exactly one none start event (found ${noneStarts.length})`,
      );
      return null;
    }
    if (starts.length !== noneStarts.length) {
      for (const id of starts) if (!noneStarts.includes(id)) this.problem(id, 'only none start events are supported');
    }
    return noneStarts[0]!;
  }

  node(el: ModdleElement, type: NodeType, parent: string | null): NodeModel {
    const id = el.id as string;
    const node: NodeModel = {
      id,
      type,
      name: el.name ?? null,
      parent,
      incoming: [],
      outgoing: [],
      defaultFlow: el.default?.id ?? null,
    };
    this.nodes[id] = node;
    const defs: ModdleElement[] = el.eventDefinitions ?? [];
    if (defs.length > 1) this.problem(id, 'events with several event definitions are not supported');
    const def = defs[0];
    if (def) {
      switch (def.$type) {
        case 'bpmn:TerminateEventDefinition':
          if (type !== 'endEvent') this.problem(id, 'terminate is only supported on end events');
          node.terminate = true;
          break;
        case 'bpmn:TimerEventDefinition':
          node.timer = this.timer(id, def);
          break;
        case 'bpmn:MessageEventDefinition': {
          const name = def.messageRef?.name ?? def.messageRef?.id;
          if (!name) this.problem(id, 'message event without a message (messageRef with a name)');
          node.message = { name: name ?? '' };
          if (name) this.messageNames.add(name);
          break;
        }
        default:
          this.problem(id, `${def.$type} is not supported`);
      }
    }
    if ((type === 'intermediateCatchEvent' || type === 'boundaryEvent') && !node.timer && !node.message) {
      this.problem(id, 'catch and boundary events need a timer or message definition');
    }
    if (type === 'endEvent' && def && !node.terminate)
      this.problem(id, 'only none and terminate end events are supported');
    if (type === 'intermediateThrowEvent' && def) this.problem(id, 'only none intermediate throw events are supported');
    if (type === 'boundaryEvent') {
      node.attachedTo = el.attachedToRef?.id;
      node.cancelActivity = el.cancelActivity !== false;
      if (!node.attachedTo) this.problem(id, 'boundary event without attachedToRef');
    }
    if (type === 'userTask') {
      const calendar = (el.calendar ?? 'workdays') as string;
      if (calendar !== 'workdays' && calendar !== 'days')
        this.problem(id, `minflow:calendar must be workdays or days, got "${calendar}"`);
      const actions: string[] = [];
      for (const raw of list(el.actions)) {
        const a = raw in ACTION_ALIASES ? ACTION_ALIASES[raw] : raw;
        if (a === null) continue;
        if (!(APPROVAL_ACTIONS as readonly string[]).includes(a))
          this.problem(id, `unknown action "${raw}" in minflow:actions`);
        else if (!actions.includes(a)) actions.push(a);
      }
      const due = el.due ? String(el.due).trim() : null;
      if (due && !isExpression(due) && !parseDuration(due))
        this.problem(id, `minflow:due "${due}" is not an ISO 8601 duration`);
      node.userTask = {
        roles: list(el.roles),
        level: el.level ?? null,
        form: el.form ?? null,
        editable: list(el.editable),
        due,
        calendar: calendar === 'days' ? 'days' : 'workdays',
        actions: (actions.length ? actions : DEFAULT_ACTIONS) as ApprovalAction[],
      };
    }
    if (type === 'serviceTask') {
      const retries = el.retries === undefined ? 3 : Number(el.retries);
      if (!Number.isInteger(retries) || retries < 1) this.problem(id, `minflow:retries must be a whole number ≥ 1`);
      const backoff = el.backoff ?? 'PT10S';
      if (!parseDuration(backoff)) this.problem(id, `minflow:backoff "${backoff}" is not an ISO 8601 duration`);
      if (!el.handler) this.problem(id, 'service task without minflow:handler');
      node.job = {
        handler: el.handler ?? '',
        retries: Number.isInteger(retries) && retries >= 1 ? retries : 3,
        backoff,
      };
    }
    if (type === 'scriptTask') {
      const format = (el.scriptFormat ?? 'feel').toLowerCase();
      if (format !== 'feel') this.problem(id, `script format "${format}" is not supported (use feel)`);
      const script = typeof el.script === 'string' ? el.script.trim() : '';
      if (!script) this.problem(id, 'script task without a script');
      node.script = { expression: script, resultVariable: el.resultVariable ?? null };
    }
    const loop = el.loopCharacteristics as ModdleElement | undefined;
    if (loop) {
      if (loop.$type !== 'bpmn:MultiInstanceLoopCharacteristics') this.problem(id, 'standard loops are not supported');
      else if (type !== 'userTask') this.problem(id, 'multi-instance is supported on user tasks only');
      else {
        node.multiInstance = {
          sequential: loop.isSequential === true,
          collection: loop.collection ?? null,
          cardinality: body(loop.loopCardinality),
          elementVariable: loop.elementVariable ?? null,
          completionCondition: body(loop.completionCondition),
        };
        if (!node.multiInstance.collection && !node.multiInstance.cardinality) {
          this.problem(id, 'multi-instance needs minflow:collection or loopCardinality');
        }
      }
    }
    if (type === 'subProcess') {
      if (el.triggeredByEvent) this.problem(id, 'event sub-processes are not supported');
      node.startNode = this.container(el.flowElements ?? [], id) ?? undefined;
    }
    if (type === 'callActivity') {
      if (!el.calledElement) this.problem(id, 'call activity without calledElement');
      else this.calledElements.add(el.calledElement);
      node.call = { calledElement: el.calledElement ?? '', inputs: el.inputs ?? null, outputs: el.outputs ?? null };
    }
    return node;
  }

  timer(id: string, def: ModdleElement): TimerDef | undefined {
    const duration = body(def.timeDuration);
    const date = body(def.timeDate);
    const cycle = body(def.timeCycle);
    const set = [duration, date, cycle].filter(Boolean).length;
    if (set !== 1) {
      this.problem(id, 'a timer needs exactly one of timeDuration, timeDate, timeCycle');
      return undefined;
    }
    if (duration) {
      if (!isExpression(duration) && !parseDuration(duration))
        this.problem(id, `"${duration}" is not an ISO 8601 duration`);
      return { kind: 'duration', value: duration };
    }
    if (date) {
      if (!isExpression(date) && !parseDateTime(date)) this.problem(id, `"${date}" is not an ISO 8601 date-time`);
      return { kind: 'date', value: date };
    }
    if (!isExpression(cycle!) && !parseCycle(cycle!))
      this.problem(id, `"${cycle}" is not an ISO 8601 repeating interval (R3/PT10M)`);
    return { kind: 'cycle', value: cycle! };
  }

  link(): void {
    for (const flow of Object.values(this.flows)) {
      const source = this.nodes[flow.source];
      const target = this.nodes[flow.target];
      if (!source || !target) {
        this.problem(flow.id, 'sequence flow connects an unknown or unsupported element');
        continue;
      }
      if (source.parent !== target.parent) this.problem(flow.id, 'sequence flow crosses a sub-process boundary');
      source.outgoing.push(flow.id);
      target.incoming.push(flow.id);
    }
    for (const node of Object.values(this.nodes)) {
      if (node.type === 'boundaryEvent' && node.attachedTo) {
        const host = this.nodes[node.attachedTo];
        if (!host || !ACTIVITY_TYPES.has(host.type)) {
          this.problem(node.id, 'boundary events attach to activities');
        } else {
          host.boundaries = [...(host.boundaries ?? []), node.id];
          if (host.parent !== node.parent)
            this.problem(node.id, 'boundary event in another container than its activity');
        }
      }
      if (node.type === 'startEvent' && node.incoming.length)
        this.problem(node.id, 'a start event cannot have incoming flows');
      if (node.type === 'boundaryEvent' && node.incoming.length)
        this.problem(node.id, 'a boundary event cannot have incoming flows');
      if (node.type === 'endEvent' && node.outgoing.length)
        this.problem(node.id, 'an end event cannot have outgoing flows');
      if (node.defaultFlow && !node.outgoing.includes(node.defaultFlow))
        this.problem(node.id, 'the default flow is not an outgoing flow');
      if (node.type === 'eventBasedGateway') {
        for (const f of node.outgoing) {
          const t = this.nodes[this.flows[f]!.target]!;
          if (t.type !== 'intermediateCatchEvent' || t.incoming.length !== 1) {
            this.problem(
              node.id,
              `event-based gateway must lead to intermediate catch events with one incoming flow (${t.id})`,
            );
          }
        }
        if (node.outgoing.length < 2) this.problem(node.id, 'event-based gateway needs at least two outgoing flows');
      }
      if (node.type === 'exclusiveGateway' || node.type === 'inclusiveGateway') {
        if (node.outgoing.length > 1) {
          for (const f of node.outgoing) {
            if (f !== node.defaultFlow && !this.flows[f]!.condition) {
              this.problem(
                f,
                'a flow out of a diverging exclusive/inclusive gateway needs a condition or must be the default',
              );
            }
          }
        }
      }
    }
    // Inclusive joins: which nodes can still deliver a token (reverse reachability in the container).
    for (const node of Object.values(this.nodes)) {
      if (node.type !== 'inclusiveGateway' || node.incoming.length < 2) continue;
      const seen = new Set<string>();
      const stack = node.incoming.map((f) => this.flows[f]!.source);
      while (stack.length) {
        const id = stack.pop()!;
        if (seen.has(id) || id === node.id) continue;
        seen.add(id);
        const n = this.nodes[id]!;
        for (const f of n.incoming) stack.push(this.flows[f]!.source);
        if (n.type === 'boundaryEvent' && n.attachedTo) stack.push(n.attachedTo);
      }
      node.upstream = [...seen].sort();
    }
  }
}

/**
 * Compiles a parsed BPMN document's executable process into a ProcessModel.
 * Throws MINFLOW_ERR_RUNTIME_MODEL_INVALID listing every problem with its element id.
 */
export function compile(parsed: ParsedBpmn, processId?: string): ProcessModel {
  const processes = ((parsed.definitions.rootElements ?? []) as ModdleElement[]).filter(
    (e) => e.$type === 'bpmn:Process',
  );
  const process =
    (processId ? processes.find((p) => p.id === processId) : undefined) ??
    processes.find((p) => p.isExecutable) ??
    processes[0];
  if (!process || (processId && process.id !== processId)) {
    throw new MinflowError('MINFLOW_ERR_RUNTIME_MODEL_INVALID', {
      params: { reason: processId ? `no process "${processId}"` : 'no process in the document' },
    });
  }
  const c = new Compiler();
  const startNode = c.container(process.flowElements ?? [], null);
  c.link();
  if (c.problems.length || !startNode) {
    throw new MinflowError('MINFLOW_ERR_RUNTIME_MODEL_INVALID', {
      details: c.problems,
      params: { reason: c.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ') },
    });
  }
  return {
    id: process.id as string,
    name: process.name ?? null,
    startNode,
    nodes: c.nodes,
    flows: c.flows,
    messageNames: [...c.messageNames].sort(),
    calledElements: [...c.calledElements].sort(),
  };
}

/** A small cache of compiled models keyed by the caller (e.g. `${itemKey}@${version}`). */
export class ModelCache {
  private readonly map = new Map<string, ProcessModel>();
  constructor(private readonly max = 500) {}
  get(key: string): ProcessModel | undefined {
    const hit = this.map.get(key);
    if (hit) {
      this.map.delete(key);
      this.map.set(key, hit);
    }
    return hit;
  }
  set(key: string, model: ProcessModel): void {
    this.map.set(key, model);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }
}
