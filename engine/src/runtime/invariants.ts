import type { ProcessModel } from './model.js';
import { type InstanceState, ROOT_SCOPE } from './state.js';

/**
 * Checks the structural invariants of a persisted instance state. Returns the violations (empty
 * when sound). Used by the tests after every operation and by the crash-recovery checks over the
 * store: no token lost or duplicated, every open task / timer / job / subscription has its token.
 * `model` (the root model) enables the node-level checks.
 */
export function checkInvariants(state: InstanceState, model?: ProcessModel): string[] {
  const v: string[] = [];
  const tokens = new Map(state.tokens.map((t) => [t.id, t]));
  if (tokens.size !== state.tokens.length) v.push('duplicate token ids');
  const scopes = new Map(state.scopes.map((s) => [s.id, s]));
  if (scopes.size !== state.scopes.length) v.push('duplicate scope ids');
  if (!scopes.has(ROOT_SCOPE)) v.push('the root scope is missing');
  const ids = (list: Array<{ id: string }>, what: string) => {
    if (new Set(list.map((x) => x.id)).size !== list.length) v.push(`duplicate ${what} ids`);
  };
  ids(state.tasks, 'task');
  ids(state.timers, 'timer');
  ids(state.messages, 'subscription');
  ids(state.incidents, 'incident');
  if (new Set(state.jobs.map((j) => j.key)).size !== state.jobs.length) v.push('duplicate job keys');

  if (state.status !== 'active') {
    if (state.tokens.length) v.push(`${state.status} case still has ${state.tokens.length} token(s)`);
    if (state.tasks.length) v.push(`${state.status} case still has open tasks`);
    if (state.timers.length) v.push(`${state.status} case still has timers`);
    if (state.jobs.length) v.push(`${state.status} case still has jobs`);
    if (state.messages.length) v.push(`${state.status} case still awaits messages`);
    if (!state.endedAt) v.push('ended case without endedAt');
    return v;
  }
  if (!state.tokens.length) v.push('active case without any token');

  for (const t of state.tokens) {
    if (!['waiting', 'joining', 'scope', 'incident'].includes(t.state))
      v.push(`token ${t.id} in transient state ${t.state}`);
    const sc = scopes.get(t.scope);
    if (!sc) v.push(`token ${t.id} is in missing scope ${t.scope}`);
    if (t.state === 'scope' && !state.scopes.some((s) => s.owner === t.id)) v.push(`token ${t.id} owns no scope`);
    if (t.state === 'incident' && !state.incidents.some((i) => i.tokenId === t.id))
      v.push(`token ${t.id} in incident without an incident`);
    if (model && sc && scopeModelIsRoot(state, t.scope)) {
      const node = model.nodes[t.node];
      if (!node) v.push(`token ${t.id} at unknown node ${t.node}`);
      else if (t.state === 'waiting') {
        const hasTask = state.tasks.some((k) => k.tokenId === t.id);
        const hasJob = state.jobs.some((j) => j.tokenId === t.id);
        const hasTimer = state.timers.some((x) => x.tokenId === t.id && x.kind !== 'boundary' && x.kind !== 'due');
        const hasMsg = state.messages.some((m) => m.tokenId === t.id && m.kind !== 'boundary');
        if (node.type === 'userTask' && !hasTask) v.push(`token ${t.id} waits at user task ${t.node} without a task`);
        if (node.type === 'serviceTask' && !hasJob)
          v.push(`token ${t.id} waits at service task ${t.node} without a job`);
        if ((node.type === 'intermediateCatchEvent' || node.type === 'eventBasedGateway') && !hasTimer && !hasMsg) {
          v.push(`token ${t.id} waits at ${t.node} without a timer or subscription`);
        }
        if (!['userTask', 'serviceTask', 'intermediateCatchEvent', 'eventBasedGateway'].includes(node.type)) {
          v.push(`token ${t.id} waits at ${node.type} ${t.node}, which is not a wait state`);
        }
      } else if (t.state === 'joining' && node.type !== 'parallelGateway' && node.type !== 'inclusiveGateway') {
        v.push(`token ${t.id} joins at ${t.node}, which is not a joining gateway`);
      }
    }
  }
  for (const sc of state.scopes) {
    if (sc.id === ROOT_SCOPE) continue;
    if (!sc.parent || !scopes.has(sc.parent)) v.push(`scope ${sc.id} has a missing parent`);
    const owner = sc.owner ? tokens.get(sc.owner) : undefined;
    if (!owner) v.push(`scope ${sc.id} has no owner token`);
    else if (owner.state !== 'scope' && owner.state !== 'incident')
      v.push(`scope ${sc.id} owner ${owner.id} is ${owner.state}`);
    const stuck = state.incidents.some((i) => i.tokenId === sc.owner);
    if (sc.kind !== 'multiInstance' && !stuck && !state.tokens.some((t) => t.scope === sc.id))
      v.push(`scope ${sc.id} has no tokens`);
    if (sc.mi) {
      const active = state.tokens.filter((t) => t.scope === sc.id && t.loop).length;
      if (active !== sc.mi.nrOfActiveInstances)
        v.push(`scope ${sc.id}: ${active} instance tokens but nrOfActiveInstances ${sc.mi.nrOfActiveInstances}`);
      if (sc.mi.nrOfActiveInstances + sc.mi.nrOfCompletedInstances > sc.mi.nrOfInstances)
        v.push(`scope ${sc.id}: more instances than items`);
    }
  }
  for (const task of state.tasks) {
    const t = tokens.get(task.tokenId);
    if (!t) v.push(`task ${task.id} has no token`);
    else if (t.state !== 'waiting') v.push(`task ${task.id}'s token ${t.id} is ${t.state}`);
    else if (t.node !== task.elementId) v.push(`task ${task.id} at ${task.elementId} but its token is at ${t.node}`);
    if (task.suspendedBy && !state.tasks.some((x) => x.id === task.suspendedBy))
      v.push(`task ${task.id} suspended by a closed task`);
  }
  for (const timer of state.timers) {
    const t = tokens.get(timer.tokenId);
    if (!t) v.push(`timer ${timer.id} has no token`);
    else if (timer.kind === 'due' && !state.tasks.some((k) => k.id === timer.taskId))
      v.push(`due timer ${timer.id} without its task`);
    else if (timer.kind === 'catch' && t.node !== timer.node)
      v.push(`timer ${timer.id} at ${timer.node} but token at ${t.node}`);
    if (Number.isNaN(Date.parse(timer.dueAt))) v.push(`timer ${timer.id} has an invalid due time`);
  }
  for (const job of state.jobs) {
    const t = tokens.get(job.tokenId);
    if (!t) v.push(`job ${job.key} has no token`);
    else if (t.node !== job.node) v.push(`job ${job.key} for ${job.node} but token at ${t.node}`);
    if (job.state === 'incident' && !state.incidents.some((i) => i.jobKey === job.key))
      v.push(`job ${job.key} in incident without an incident`);
  }
  for (const m of state.messages) if (!tokens.has(m.tokenId)) v.push(`subscription ${m.id} has no token`);
  for (const i of state.incidents) if (!tokens.has(i.tokenId)) v.push(`incident ${i.id} has no token`);
  return v;
}

function scopeModelIsRoot(state: InstanceState, scopeId: string): boolean {
  for (let sc = state.scopes.find((s) => s.id === scopeId); sc; sc = state.scopes.find((s) => s.id === sc!.parent)) {
    if (sc.kind === 'call') return false;
    if (!sc.parent) return true;
  }
  return true;
}
