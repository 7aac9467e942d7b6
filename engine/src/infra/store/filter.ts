/**
 * Filter validation shared by both adapters. A caller's MongoDB-style filter is parsed into a
 * small AST; adapters compile the AST (never the caller's object), so no operator from user input
 * is ever passed through. Allowed: `$eq $ne $in $nin $gt $gte $lt $lte $exists $and $or
 * $elemMatch` and `$regex` as an anchored literal prefix. Everything else is refused with
 * MINFLOW_ERR_STORE_FILTER_INVALID and a detail whose `path` is a JSON pointer into the filter.
 */
import { MinflowError } from '../../errors/registry.js';
import type { ErrorDetail } from '../../errors/types.js';
import type { Filter } from './port.js';

export type Scalar = string | number | boolean | null;

export type FieldOp =
  | { op: 'eq' | 'ne'; value: Scalar }
  | { op: 'in' | 'nin'; values: Scalar[] }
  | { op: 'gt' | 'gte' | 'lt' | 'lte'; value: string | number }
  | { op: 'exists'; value: boolean }
  | { op: 'prefix'; value: string }
  | { op: 'elemMatch'; match: ElemMatch };

/** `$elemMatch` either applies operators to each scalar element or a sub-filter to each object element. */
export type ElemMatch = { kind: 'scalar'; ops: FieldOp[] } | { kind: 'doc'; cond: Cond };

export type Cond =
  | { kind: 'and'; items: Cond[] }
  | { kind: 'or'; items: Cond[] }
  | { kind: 'field'; path: string; ops: FieldOp[] };

const SEGMENT = /^[\p{L}_][\p{L}\p{N}_]*$/u;
const MAX_SEGMENTS = 8;
const MAX_DEPTH = 12;
const MAX_IN = 1000;
const MAX_NODES = 2000;

/** True for a dotted field path the stores accept (letters, digits, `_`; no `$`, quotes or brackets). */
export function isFieldPath(path: string): boolean {
  if (typeof path !== 'string' || path.length === 0 || path.length > 200) return false;
  const segments = path.split('.');
  if (segments.length > MAX_SEGMENTS) return false;
  if (segments.length > 1 && (segments[0] === '_id' || segments[0] === '_v')) return false;
  return segments.every((s) => SEGMENT.test(s));
}

export function pointer(parts: (string | number)[]): string {
  return parts.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

function refuse(path: (string | number)[], message: string): never {
  const detail: ErrorDetail = { path: pointer(path) || '/', message };
  throw new MinflowError('MINFLOW_ERR_STORE_FILTER_INVALID', { details: [detail] });
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function scalar(value: unknown, at: (string | number)[]): Scalar {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) refuse(at, 'numbers must be finite');
    return value;
  }
  if (Array.isArray(value)) refuse(at, 'whole-array equality is not supported; compare elements');
  if (isPlainObject(value)) refuse(at, 'embedded-document equality is not supported; use dotted paths');
  return refuse(
    at,
    `a ${value === undefined ? 'undefined' : ((value as object).constructor?.name ?? typeof value)} value is not allowed`,
  );
}

const META = new Set(['\\', '^', '$', '.', '|', '?', '*', '+', '(', ')', '[', ']', '{', '}', '/']);

/** Accepts `^literal` (metacharacters escaped with `\`) and returns the literal prefix. */
export function parsePrefixRegex(source: string): string | null {
  if (!source.startsWith('^')) return null;
  let out = '';
  const chars = Array.from(source.slice(1));
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '\\') {
      const next = chars[i + 1];
      if (next === undefined || !(META.has(next) || next === '-')) return null;
      out += next;
      i++;
    } else if (META.has(c)) {
      return null;
    } else {
      out += c;
    }
  }
  return out;
}

export function escapeRegex(literal: string): string {
  return literal.replace(/[\\^$.|?*+()[\]{}/-]/g, '\\$&');
}

interface Budget {
  nodes: number;
}

function tick(budget: Budget, at: (string | number)[]): void {
  if (++budget.nodes > MAX_NODES) refuse(at, 'the filter is too large');
}

function parseCond(filter: unknown, at: (string | number)[], depth: number, budget: Budget): Cond {
  if (!isPlainObject(filter)) refuse(at, 'a filter must be a plain object');
  if (depth > MAX_DEPTH) refuse(at, 'the filter is nested too deeply');
  const items: Cond[] = [];
  for (const [key, value] of Object.entries(filter)) {
    tick(budget, at);
    const here = [...at, key];
    if (value === undefined) continue;
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(value) || value.length === 0) refuse(here, `${key} needs a non-empty array of filters`);
      const parts = value.map((v, i) => parseCond(v, [...here, i], depth + 1, budget));
      items.push({ kind: key === '$and' ? 'and' : 'or', items: parts });
    } else if (key.startsWith('$')) {
      refuse(here, `operator ${key} is not allowed`);
    } else {
      if (!isFieldPath(key)) refuse(here, 'invalid field name');
      items.push({ kind: 'field', path: key, ops: parseFieldValue(value, here, depth + 1, budget, false) });
    }
  }
  return items.length === 1 ? items[0] : { kind: 'and', items };
}

function parseFieldValue(
  value: unknown,
  at: (string | number)[],
  depth: number,
  budget: Budget,
  inElem: boolean,
): FieldOp[] {
  if (value instanceof RegExp) return [regexOp(value, at)];
  if (!isPlainObject(value)) return [{ op: 'eq', value: scalar(value, at) }];
  const keys = Object.keys(value);
  if (keys.length === 0) refuse(at, 'an empty condition is not allowed');
  if (!keys.every((k) => k.startsWith('$')))
    refuse(at, 'embedded-document equality is not supported; use dotted paths');
  if (depth > MAX_DEPTH) refuse(at, 'the filter is nested too deeply');
  const ops: FieldOp[] = [];
  for (const key of keys) {
    tick(budget, at);
    const operand = value[key];
    const here = [...at, key];
    switch (key) {
      case '$eq':
      case '$ne':
        ops.push({ op: key === '$eq' ? 'eq' : 'ne', value: scalar(operand, here) });
        break;
      case '$in':
      case '$nin':
        if (!Array.isArray(operand)) refuse(here, `${key} needs an array`);
        if (operand.length > MAX_IN) refuse(here, `${key} accepts at most ${MAX_IN} values`);
        ops.push({ op: key === '$in' ? 'in' : 'nin', values: operand.map((v, i) => scalar(v, [...here, i])) });
        break;
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte': {
        const v = scalar(operand, here);
        if (typeof v !== 'string' && typeof v !== 'number') refuse(here, 'range operands must be numbers or strings');
        ops.push({ op: key.slice(1) as 'gt' | 'gte' | 'lt' | 'lte', value: v });
        break;
      }
      case '$exists':
        if (typeof operand !== 'boolean') refuse(here, '$exists needs true or false');
        ops.push({ op: 'exists', value: operand });
        break;
      case '$regex':
        if (operand instanceof RegExp) ops.push(regexOp(operand, here));
        else if (typeof operand === 'string') ops.push(regexOp(new RegExpLike(operand), here));
        else refuse(here, '$regex needs a string');
        break;
      case '$elemMatch':
        if (inElem) refuse(here, 'nested $elemMatch on scalar elements is not supported');
        ops.push({ op: 'elemMatch', match: parseElemMatch(operand, here, depth + 1, budget) });
        break;
      default:
        refuse(here, `operator ${key} is not allowed`);
    }
  }
  return ops;
}

class RegExpLike {
  readonly flags = '';
  constructor(readonly source: string) {}
}

function regexOp(re: RegExp | RegExpLike, at: (string | number)[]): FieldOp {
  if (re.flags !== '') refuse(at, 'regular-expression flags are not allowed');
  const prefix = parsePrefixRegex(re.source);
  if (prefix === null) refuse(at, 'only an anchored literal prefix (^text) is allowed');
  return { op: 'prefix', value: prefix };
}

function parseElemMatch(operand: unknown, at: (string | number)[], depth: number, budget: Budget): ElemMatch {
  if (!isPlainObject(operand) || Object.keys(operand).length === 0)
    refuse(at, '$elemMatch needs a non-empty condition object');
  const keys = Object.keys(operand);
  const opKeys = keys.filter((k) => k.startsWith('$') && k !== '$and' && k !== '$or');
  if (opKeys.length === keys.length) {
    return { kind: 'scalar', ops: parseFieldValue(operand, at, depth, budget, true) };
  }
  if (opKeys.length > 0) refuse([...at, opKeys[0]], 'do not mix operators and field names in $elemMatch');
  return { kind: 'doc', cond: parseCond(operand, at, depth, budget) };
}

/** Validates a caller's filter and returns its AST. `{}` → an empty AND (matches everything). */
export function parseFilter(filter: Filter | undefined | null): Cond {
  if (filter === undefined || filter === null) return { kind: 'and', items: [] };
  const cond = parseCond(filter, [], 0, { nodes: 0 });
  return cond.kind === 'field' || cond.kind === 'or' ? { kind: 'and', items: [cond] } : cond;
}

/** The top-level conjuncts of a parsed filter (nested `$and` flattened), used by index planning. */
export function conjuncts(cond: Cond): Cond[] {
  if (cond.kind !== 'and') return [cond];
  return cond.items.flatMap(conjuncts);
}

/** Smallest string greater than every string that starts with `prefix` (for prefix → range). */
export function prefixUpperBound(prefix: string): string | null {
  const cps = Array.from(prefix);
  while (cps.length > 0) {
    const last = cps.pop()!.codePointAt(0)!;
    let next = last + 1;
    if (next >= 0xd800 && next <= 0xdfff) next = 0xe000;
    if (next <= 0x10ffff) return cps.join('') + String.fromCodePoint(next);
  }
  return null;
}
