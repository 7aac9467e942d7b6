import { subject as asSubject, createMongoAbility } from '@casl/ability';
import { packRules, rulesToCondition } from '@casl/ability/extra';
import type { FastifyRequest } from 'fastify';
import { MinflowError } from '../../errors/registry.js';
import { type RawRuleData, rulesForUser } from '../../permissions/rules.js';
import type { Filter } from '../store/port.js';
import type { Action, AppAbility, SessionUser, Subject } from './types.js';

export type SubjectType = Exclude<Subject, 'all'>;

/**
 * The user's CASL ability, built from the rule files of ALL their roles (see `rulesForUser`:
 * positive rules are a union across roles; inverted rules are denials that win over any role).
 * Anonymous callers (null) get an ability that allows nothing.
 */
export function buildAbility(user: SessionUser | null): AppAbility {
  if (!user) return createMongoAbility<AppAbility>([]);
  // Everything the rule files may refer to (`${user.*}` placeholders) and the roles: a changed
  // role, unit or level is another key, so a cached ability is never stale. Rule files are
  // loaded once per process. Abilities are not mutated after they are built.
  const key = JSON.stringify([user.id, user.username, user.orgUnitId, user.level, user.orgPath, user.roles]);
  const hit = abilityCache.get(key);
  if (hit) {
    abilityCache.delete(key);
    abilityCache.set(key, hit);
    return hit;
  }
  const ability = createMongoAbility<AppAbility>(rulesForUser(user) as never);
  abilityCache.set(key, ability);
  if (abilityCache.size > ABILITY_CACHE_SIZE) abilityCache.delete(abilityCache.keys().next().value as string);
  return ability;
}

/** Built abilities by user (least recently used evicted first). */
const abilityCache = new Map<string, AppAbility>();
const ABILITY_CACHE_SIZE = 2000;

/** The rules the UI needs to mirror the server's decisions (`@casl/ability/extra` unpackRules). */
export function packAbilityRules(ability: AppAbility): unknown[] {
  return packRules(ability.rules as never) as unknown[];
}

/** A store filter no document satisfies (the store has no literal `false`). */
export const MATCH_NOTHING: Filter = Object.freeze({ _id: { $in: [] } }) as Filter;

/**
 * The records of `subjectType` on which the ability allows `action`, as a store filter, built
 * with CASL's `rulesToCondition` (the successor of `rulesToQuery`). AND it with the caller's own
 * filter so a list query never loads a record outside the ability. Nothing allowed → a filter
 * that matches nothing; allowed without conditions → `{}`.
 *
 * Inverted rules with conditions are negated into operators the store supports ($ne, $nin,
 * $exists, ranges, $and/$or); inverted rules restricted to `fields` do not narrow the rows (they
 * deny a field, checked with `ability.can(action, record, field)`).
 */
export function accessibleFilter(ability: AppAbility, action: Action, subjectType: SubjectType): Filter {
  const rules = ability.rulesFor(action, subjectType);
  const query = rulesToCondition<AppAbility, Filter, Filter>(
    rules,
    (rule) => {
      const conditions = (rule.conditions ?? {}) as Filter;
      return rule.inverted ? negate(conditions) : conditions;
    },
    {
      and: (parts) => (parts.length === 1 ? parts[0] : { $and: parts }),
      or: (parts) => (parts.length === 1 ? parts[0] : { $or: parts }),
      empty: () => ({}),
    },
  );
  return query ?? MATCH_NOTHING;
}

const RANGE_NEGATION: Record<string, string> = { $gt: '$lte', $gte: '$lt', $lt: '$gte', $lte: '$gt' };

/** NOT(filter) in the store's operator set (MongoDB semantics: `$ne`/`$nin` also match a missing field). */
export function negate(filter: Filter): Filter {
  const parts: Filter[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and') parts.push({ $or: (value as Filter[]).map(negate) });
    else if (key === '$or') parts.push({ $and: (value as Filter[]).map(negate) });
    else if (key.startsWith('$')) throw unsupported(key);
    else parts.push(negateField(key, value));
  }
  if (parts.length === 0) return MATCH_NOTHING;
  return parts.length === 1 ? parts[0] : { $or: parts };
}

function negateField(field: string, value: unknown): Filter {
  const isOperatorObject =
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.keys(value).length > 0 &&
    Object.keys(value).every((k) => k.startsWith('$'));
  if (!isOperatorObject) return { [field]: { $ne: value } };
  const parts: Filter[] = [];
  for (const [op, operand] of Object.entries(value as Record<string, unknown>)) {
    if (op === '$eq') parts.push({ [field]: { $ne: operand } });
    else if (op === '$ne') parts.push({ [field]: { $eq: operand } });
    else if (op === '$in') parts.push({ [field]: { $nin: operand } });
    else if (op === '$nin') parts.push({ [field]: { $in: operand } });
    else if (op === '$exists') parts.push({ [field]: { $exists: !operand } });
    else if (op in RANGE_NEGATION) {
      parts.push({ $or: [{ [field]: { [RANGE_NEGATION[op]]: operand } }, { [field]: { $exists: false } }] });
    } else throw unsupported(op);
  }
  return parts.length === 1 ? parts[0] : { $or: parts };
}

function unsupported(op: string): MinflowError {
  return new MinflowError('MINFLOW_ERR_AUTH_RULES_INVALID', {
    params: { file: 'inverted rule' },
    details: [{ path: '', message: `operator ${op} cannot be negated into a store filter` }],
  });
}

/** Tags a plain record with its CASL subject type (on a copy, so the record is not mutated). */
export function asRecord(subjectType: SubjectType, record: Record<string, unknown>) {
  return asSubject(subjectType, { ...record });
}

/** Whether the ability allows `action` on this record (or, without a record, on some record of the type). */
export function can(
  ability: AppAbility,
  action: Action,
  subjectType: SubjectType,
  record?: Record<string, unknown> | null,
  field?: string,
): boolean {
  return record ? ability.can(action, asRecord(subjectType, record), field) : ability.can(action, subjectType, field);
}

/**
 * Throws unless the caller may do `action` on `subjectType` (and on `record` when given).
 *
 * Policy (no existence leaks): a record the caller may not even READ answers 404
 * MINFLOW_ERR_COMMON_NOT_FOUND — the same answer as for an id that does not exist; a record
 * the caller may read but not act on answers 403 MINFLOW_ERR_AUTH_FORBIDDEN. Without a session:
 * 401 MINFLOW_ERR_AUTH_UNAUTHENTICATED.
 */
export function assertCan(
  request: FastifyRequest,
  action: Action,
  subjectType: SubjectType,
  record?: Record<string, unknown> | null,
  field?: string,
): void {
  if (!request.user) throw new MinflowError('MINFLOW_ERR_AUTH_UNAUTHENTICATED');
  const ability = request.ability;
  if (record) {
    if (!can(ability, 'read', subjectType, record)) throw new MinflowError('MINFLOW_ERR_COMMON_NOT_FOUND');
    if (!can(ability, action, subjectType, record, field)) throw forbidden(action, subjectType, field);
    return;
  }
  if (!can(ability, action, subjectType, null, field)) throw forbidden(action, subjectType, field);
}

function forbidden(action: Action, subjectType: SubjectType, field?: string): MinflowError {
  return new MinflowError('MINFLOW_ERR_AUTH_FORBIDDEN', {
    details: [{ path: field ? `/${field}` : '', message: `${action} ${subjectType}` }],
  });
}

export type { RawRuleData };
