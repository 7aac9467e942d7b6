import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { MinflowError } from '../errors/registry.js';
import {
  type Action,
  LEVELS,
  type Level,
  ROLES,
  type Role,
  type SessionUser,
  type Subject,
} from '../infra/auth/types.js';

/**
 * Permissions are data: one JSON file per role under `rules/`, holding CASL raw rules whose
 * condition values may be placeholders filled from the signed-in user:
 *
 * - `"${user.id}"`, `"${user.username}"`, `"${user.orgUnitId}"`, `"${user.level}"`: strings
 * - `"${user.orgPath}"`: the array of the user's unit and its ancestors, root first
 *
 * A value that is exactly one placeholder is replaced by the typed value (so `{ "$in":
 * "${user.orgPath}" }` becomes an array); placeholders inside longer strings are interpolated.
 * Records carry `orgPath` (their unit and its ancestors), so `{ "orgPath": "${user.orgUnitId}" }`
 * means "the user's unit and everything below it".
 *
 * Each file also declares at which levels of the jurisdiction tree the role may be held.
 */
export interface RawRuleData {
  action: Action | Action[];
  subject: Subject | Subject[];
  conditions?: Record<string, unknown>;
  fields?: string[];
  inverted?: boolean;
  reason?: string;
}

export interface RoleDefinition {
  role: Role;
  name: { zh: string; en: string };
  levels: Level[];
  rules: RawRuleData[];
}

export const RULES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'rules');

const ACTIONS = ['manage', 'read', 'create', 'update', 'delete', 'publish', 'start', 'act', 'reveal'];
const SUBJECTS = [
  'OrgUnit',
  'User',
  'Definition',
  'Item',
  'Case',
  'Task',
  'AuditEntry',
  'Person',
  'Incident',
  'Attachment',
  'all',
];
const oneOrMany = (values: string[]) => ({
  anyOf: [
    { type: 'string', enum: values },
    { type: 'array', items: { type: 'string', enum: values }, minItems: 1 },
  ],
});

const roleFileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['role', 'name', 'levels', 'rules'],
  properties: {
    $comment: { type: 'string' },
    role: { type: 'string', enum: [...ROLES] },
    name: {
      type: 'object',
      additionalProperties: false,
      required: ['zh', 'en'],
      properties: { zh: { type: 'string' }, en: { type: 'string' } },
    },
    levels: { type: 'array', minItems: 1, items: { type: 'string', enum: [...LEVELS] } },
    rules: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['action', 'subject'],
        properties: {
          action: oneOrMany(ACTIONS),
          subject: oneOrMany(SUBJECTS),
          conditions: { type: 'object' },
          fields: { type: 'array', items: { type: 'string' }, minItems: 1 },
          inverted: { type: 'boolean' },
          reason: { type: 'string' },
        },
      },
    },
  },
} as const;

const PLACEHOLDER = /\$\{user\.(\w+)\}/g;
/** The one placeholder that stands for an array (it must be a whole value). */
const ORG_PATH = ['$', '{user.orgPath}'].join('');
const USER_FIELDS = new Set(['id', 'username', 'orgUnitId', 'level', 'orgPath']);

function checkPlaceholders(value: unknown, file: string): void {
  if (typeof value === 'string') {
    for (const m of value.matchAll(PLACEHOLDER)) {
      if (!USER_FIELDS.has(m[1])) invalid(file, `unknown placeholder \${user.${m[1]}}`);
      if (m[1] === 'orgPath' && value !== ORG_PATH) invalid(file, `${ORG_PATH} must be a whole value`);
    }
  } else if (Array.isArray(value)) {
    for (const v of value) checkPlaceholders(v, file);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) checkPlaceholders(v, file);
  }
}

function invalid(file: string, message: string): never {
  throw new MinflowError('MINFLOW_ERR_AUTH_RULES_INVALID', { params: { file }, details: [{ path: file, message }] });
}

let cache: Map<Role, RoleDefinition> | null = null;

/** Reads and validates every role file once; a missing role or a malformed file stops start-up. */
export function loadRoleDefinitions(dir = RULES_DIR): Map<Role, RoleDefinition> {
  if (dir === RULES_DIR && cache) return cache;
  const validate = new Ajv({ allErrors: true, strict: false }).compile(roleFileSchema);
  const roles = new Map<Role, RoleDefinition>();
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(path.join(dir, name), 'utf8'));
    } catch (err) {
      invalid(name, (err as Error).message);
    }
    if (!validate(data)) invalid(name, validate.errors?.map((e) => `${e.instancePath} ${e.message}`).join('; ') ?? '');
    const def = data as RoleDefinition;
    if (`${def.role}.json` !== name) invalid(name, `file declares role ${def.role}`);
    checkPlaceholders(def.rules, name);
    roles.set(def.role, def);
  }
  for (const role of ROLES) if (!roles.has(role)) invalid(`${role}.json`, 'missing');
  if (dir === RULES_DIR) cache = roles;
  return roles;
}

function fill(value: unknown, user: SessionUser): unknown {
  if (typeof value === 'string') {
    if (value === ORG_PATH) return [...user.orgPath];
    return value.replace(PLACEHOLDER, (_m, field: string) => String(user[field as keyof SessionUser]));
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, user));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, user)]));
  }
  return value;
}

/**
 * The rules of every role the user holds, with placeholders filled in.
 *
 * How roles combine: the permissions of several roles are a UNION — whatever one role allows,
 * the user may do. Inverted (`cannot`) rules are the exception: they are DENIALS that apply to
 * the user whatever role grants the permission (deny wins). To get that from CASL, where a later
 * rule overrides an earlier one, all positive rules come first and all inverted rules last.
 */
export function rulesForUser(user: SessionUser, roles = loadRoleDefinitions()): RawRuleData[] {
  const positive: RawRuleData[] = [];
  const denials: RawRuleData[] = [];
  const seen = new Set<string>();
  for (const role of new Set(user.roles)) {
    const def = roles.get(role);
    if (!def) continue;
    for (const rule of def.rules) {
      const filled: RawRuleData = { ...rule };
      if (rule.conditions) filled.conditions = fill(rule.conditions, user) as Record<string, unknown>;
      // Two roles granting the same rule need it once (keeps the ability and the UI's copy small).
      const key = JSON.stringify(filled);
      if (seen.has(key)) continue;
      seen.add(key);
      (rule.inverted ? denials : positive).push(filled);
    }
  }
  return [...positive, ...denials];
}

/** Levels at which a role may be held (from its file). */
export function roleLevels(role: Role): Level[] {
  return loadRoleDefinitions().get(role)?.levels ?? [];
}
