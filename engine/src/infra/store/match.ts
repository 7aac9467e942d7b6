/**
 * Evaluates a parsed filter against a document in memory, with the same semantics as the SQL the
 * embedded adapter generates (MongoDB semantics; no implicit traversal of arrays in the middle of
 * a dotted path). The mongodb adapter uses it on FerretDB, whose `$elemMatch` is incomplete.
 */

import { getPath } from './common.js';
import { type Cond, type FieldOp, isPlainObject, type Scalar } from './filter.js';

function compareStrings(a: string, b: string): number {
  // Byte order of UTF-8, as SQLite and MongoDB compare strings.
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function eqScalar(v: Scalar, x: unknown): boolean {
  if (v === null) return x === null || x === undefined;
  return typeof x === typeof v && x === v;
}

function rangeOk(op: 'gt' | 'gte' | 'lt' | 'lte', v: string | number, x: unknown): boolean {
  if (typeof x !== typeof v) return false;
  const c = typeof v === 'string' ? compareStrings(x as string, v) : (x as number) - v;
  return op === 'gt' ? c > 0 : op === 'gte' ? c >= 0 : op === 'lt' ? c < 0 : c <= 0;
}

function opMatches(op: FieldOp, x: unknown, arrays: boolean): boolean {
  const any = (pred: (value: unknown) => boolean) => pred(x) || (arrays && Array.isArray(x) && x.some(pred));
  switch (op.op) {
    case 'eq':
      return any((e) => eqScalar(op.value, e));
    case 'ne':
      return !any((e) => eqScalar(op.value, e));
    case 'in':
      return any((e) => op.values.some((v) => eqScalar(v, e)));
    case 'nin':
      return !any((e) => op.values.some((v) => eqScalar(v, e)));
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return any((e) => rangeOk(op.op, op.value, e));
    case 'prefix':
      return any((e) => typeof e === 'string' && e.startsWith(op.value));
    case 'exists':
      return (x !== undefined) === op.value;
    case 'elemMatch': {
      if (!Array.isArray(x)) return false;
      const m = op.match;
      return x.some((el) =>
        m.kind === 'scalar' ? m.ops.every((o) => opMatches(o, el, false)) : isPlainObject(el) && matches(m.cond, el),
      );
    }
  }
}

export function matches(cond: Cond, doc: unknown): boolean {
  switch (cond.kind) {
    case 'and':
      return cond.items.every((c) => matches(c, doc));
    case 'or':
      return cond.items.some((c) => matches(c, doc));
    case 'field': {
      const x = getPath(doc, cond.path);
      return cond.ops.every((op) => opMatches(op, x, true));
    }
  }
}

export function hasElemMatch(cond: Cond): boolean {
  if (cond.kind !== 'field') return cond.items.some(hasElemMatch);
  return cond.ops.some((op) => op.op === 'elemMatch');
}

/** `cond` with every `$elemMatch` replaced by "true": a superset to push down, re-checked with `matches`. */
export function withoutElemMatch(cond: Cond): Cond | true {
  if (cond.kind === 'field') {
    const ops = cond.ops.filter((op) => op.op !== 'elemMatch');
    return ops.length === 0 ? true : { ...cond, ops };
  }
  const items = cond.items.map(withoutElemMatch);
  if (cond.kind === 'or') return items.some((i) => i === true) ? true : { kind: 'or', items: items as Cond[] };
  const kept = items.filter((i): i is Cond => i !== true);
  return { kind: 'and', items: kept };
}
