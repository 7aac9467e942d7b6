/**
 * The designer's dry run (模拟运行): `POST /api/definitions/:key/simulate` — request and response
 * types shared by the engine (engine/src/modules/definitions/simulate.ts, which documents how each
 * input is applied) and the designer (designer/src/lifecycle/SimulatePanel.tsx). The JSON Schemas of
 * the route (engine/src/modules/definitions/schemas.ts) describe the same shapes.
 */

/** An approval action by name: approve, reject, return, … (the runtime checks it against the task). */
export type SimulateActionName = string;

/**
 * What is done at a user task. A plain action name, or the action with what the real task route
 * (`POST /api/tasks/:id/complete`) takes with it: `target` for a return — `previous` (the default),
 * `applicant` (补正: back to the applicant for correction) or the element id of an earlier user task —
 * and a comment (default: 模拟运行 / simulation).
 */
export type SimulateDecision = SimulateActionName | { action: SimulateActionName; target?: string; comment?: string };

/**
 * A message delivered to the simulated case, shaped like the body of the real
 * `POST /api/cases/:id/messages/:name` (`{ payload?, comment? }`) plus its name. It is applied as the
 * runtime applies it: the payload (with `comment` and `receivedFrom`) is stored under the catching
 * event's element id, e.g. `objection.reason`, visible to the FEEL conditions after it.
 */
export interface SimulateMessage {
  /** The BPMN message name (`^[A-Za-z][A-Za-z0-9_-]*$`, at most 64 characters). */
  name: string;
  payload?: Record<string, unknown>;
  comment?: string;
  /**
   * Sent only once this many decisions have been taken in the run (default 0), and then as soon as
   * the flow waits for it: the designer replays an interactive run with it.
   */
  afterDecisions?: number;
}

export interface SimulateRequest {
  /** Sample form data (checked against the form; the run goes on regardless). */
  data: Record<string, unknown>;
  /** User task element id → the decision taken there every visit, or a list (one per visit). */
  decisions?: Record<string, SimulateDecision | SimulateDecision[]>;
  /** Service task element id → the result its handler is taken to answer (default {}). */
  jobResults?: Record<string, Record<string, unknown>>;
  messages?: SimulateMessage[];
  maxSteps?: number;
}

export type SimulateStepKind = 'enter' | 'decide' | 'job' | 'timer' | 'message';

export interface SimulatedStep {
  seq: number;
  /** What happened: entered a node, a user task was decided, a job answered, a timer fired, a message arrived. */
  kind: SimulateStepKind;
  elementId: string;
  name: string | null;
  type: string;
  /** decide: the action taken. */
  action?: string;
  /** decide with return: where the case went back to (`applicant` or an element id). */
  target?: string;
  /** message: its name. */
  message?: string;
  /** The sequence flow taken to enter the element (kind `enter`). */
  flowId?: string;
}

export type SimulateStopReason = 'completed' | 'ended' | 'waiting-task' | 'waiting' | 'incident' | 'max-steps';

export interface SimulateOpenTask {
  elementId: string;
  name: string | null;
  /** `task`, or `correction` (补正: the applicant corrects after a return to the applicant), or a signer's task. */
  kind: string;
  roles: string[];
  level: string | null;
  actions: string[];
  /** Where a return from this task may go: the earlier user tasks completed in this run, latest first. */
  returnTargets: Array<{ elementId: string; name: string | null }>;
}

/** A message the flow waited for during the run and did not receive (waiting still, or passed by a timer). */
export interface SimulateMessageOffer {
  elementId: string;
  name: string | null;
  message: string;
  /** Decisions taken when the flow began to wait for it: send it with this `afterDecisions`. */
  afterDecisions: number;
  /** Still waiting where the run stopped. */
  waiting: boolean;
}

export interface SimulateProblem {
  path: string;
  message: string;
}

export interface SimulateResult {
  status: string;
  stoppedBecause: SimulateStopReason;
  steps: SimulatedStep[];
  /** Elements (nodes) visited, in first-visit order, and the sequence flows taken. */
  visited: string[];
  flows: string[];
  /** Open user tasks where the run stopped. */
  openTasks: SimulateOpenTask[];
  /** Messages the flow waits for where it stopped. */
  waitingFor: Array<{ elementId: string; message: string }>;
  /** Messages the flow waited for at some point and did not get (see SimulateMessageOffer). */
  messageOffers: SimulateMessageOffer[];
  incidents: Array<{ elementId: string; kind: string; message: string }>;
  data: Record<string, unknown>;
  variables: Record<string, unknown>;
  /** The sample data checked against the form schema. */
  dataProblems: SimulateProblem[];
}
