/**
 * The BPMN elements Minflow executes: exactly the list the runtime implements (issue 3, "Elements
 * to execute"). Publishing refuses everything else with the element id, and the runtime reads the
 * same tables, so the designer, the lint and the interpreter never disagree.
 */

/** Flow nodes the interpreter executes, with the event definitions each may carry. */
export const EXECUTABLE_FLOW_NODES = {
  /** None start only (message/timer/signal starts are not supported). */
  'bpmn:StartEvent': { eventDefinitions: [] as string[], eventRequired: false },
  /** None or terminate end. */
  'bpmn:EndEvent': { eventDefinitions: ['bpmn:TerminateEventDefinition'], eventRequired: false },
  'bpmn:UserTask': { eventDefinitions: [], eventRequired: false },
  'bpmn:ServiceTask': { eventDefinitions: [], eventRequired: false },
  'bpmn:ScriptTask': { eventDefinitions: [], eventRequired: false },
  'bpmn:ExclusiveGateway': { eventDefinitions: [], eventRequired: false },
  'bpmn:ParallelGateway': { eventDefinitions: [], eventRequired: false },
  'bpmn:InclusiveGateway': { eventDefinitions: [], eventRequired: false },
  'bpmn:EventBasedGateway': { eventDefinitions: [], eventRequired: false },
  /** Timer or message catch, exactly one definition. */
  'bpmn:IntermediateCatchEvent': {
    eventDefinitions: ['bpmn:TimerEventDefinition', 'bpmn:MessageEventDefinition'],
    eventRequired: true,
  },
  /** Timer or message boundary, interrupting or not, exactly one definition. */
  'bpmn:BoundaryEvent': {
    eventDefinitions: ['bpmn:TimerEventDefinition', 'bpmn:MessageEventDefinition'],
    eventRequired: true,
  },
  /** Embedded sub-process (not an event sub-process, transaction or ad-hoc sub-process). */
  'bpmn:SubProcess': { eventDefinitions: [], eventRequired: false },
  /** Another published definition, by key in `calledElement`. */
  'bpmn:CallActivity': { eventDefinitions: [], eventRequired: false },
} as const satisfies Record<string, { eventDefinitions: string[]; eventRequired: boolean }>;

export type ExecutableFlowNodeType = keyof typeof EXECUTABLE_FLOW_NODES;

/** Elements inside a process that are allowed but do not execute (documentation and layout). */
export const NON_EXECUTING_ELEMENTS = [
  'bpmn:LaneSet',
  'bpmn:Lane',
  'bpmn:TextAnnotation',
  'bpmn:Association',
  'bpmn:Group',
  'bpmn:DataObject',
  'bpmn:DataObjectReference',
  'bpmn:DataStoreReference',
  'bpmn:DataInputAssociation',
  'bpmn:DataOutputAssociation',
] as const;

/** Activities that may carry multi-instance loop characteristics (会签/或签): user tasks only. */
export const MULTI_INSTANCE_TYPES = ['bpmn:UserTask'] as const;

/** Activities boundary events may be attached to. */
export const BOUNDARY_HOSTS = [
  'bpmn:UserTask',
  'bpmn:ServiceTask',
  'bpmn:ScriptTask',
  'bpmn:SubProcess',
  'bpmn:CallActivity',
] as const;

/** Gateways whose outgoing flows may carry conditions. */
export const CONDITIONAL_GATEWAYS = ['bpmn:ExclusiveGateway', 'bpmn:InclusiveGateway'] as const;

/**
 * Approval actions a user task may allow in `minflow:actions` (engine operations, issue 3). The
 * runtime's APPROVAL_ACTIONS must be this same list (a test keeps them in step). Withdraw is the
 * applicant's operation on the case, not a task action; `resolve` is a delegate's answer.
 */
export const TASK_ACTIONS = [
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

/** `minflow:calendar` values: working days (工作日, China's statutory calendar) or calendar days. */
export const CALENDARS = ['workdays', 'days'] as const;

/** Script languages of script tasks: FEEL only (never JavaScript `eval`). */
export const SCRIPT_FORMATS = ['feel'] as const;

export function isExecutableFlowNode(type: string): type is ExecutableFlowNodeType {
  return Object.hasOwn(EXECUTABLE_FLOW_NODES, type);
}
