import { describe, expect, it } from 'vitest';
import { MinflowError } from '../../errors/registry.js';
import { isFieldPath, parseFilter, parsePrefixRegex, prefixUpperBound } from './filter.js';

function refusal(filter: unknown): MinflowError {
  try {
    parseFilter(filter as Record<string, unknown>);
  } catch (err) {
    expect(err).toBeInstanceOf(MinflowError);
    return err as MinflowError;
  }
  throw new Error('expected the filter to be refused');
}

describe('filter validation', () => {
  it('accepts dotted field paths of letters (including Chinese), digits and _ only', () => {
    for (const ok of ['status', 'applicant.idNumber', '家庭.成员数', '_id', 'a_1.b2'])
      expect(isFieldPath(ok)).toBe(true);
    for (const bad of ['', 'a..b', '1a', 'a.0', '$a', 'a-b', 'a b', "a'", 'a"', '_id.x', '_v.y', 'a.b.c.d.e.f.g.h.i'])
      expect(isFieldPath(bad)).toBe(false);
  });

  it('reads an anchored literal prefix and refuses anything with regex meaning', () => {
    expect(parsePrefixRegex('^张三')).toBe('张三');
    expect(parsePrefixRegex('^a\\.b\\-c\\(')).toBe('a.b-c(');
    expect(parsePrefixRegex('^')).toBe('');
    for (const bad of ['abc', '^a.', '^a*', '^a|b', '^(a)', '^a$', '^\\d', '^a\\'])
      expect(parsePrefixRegex(bad)).toBeNull();
  });

  it('bounds a prefix range just above every string that starts with it', () => {
    expect(prefixUpperBound('ab')).toBe('ac');
    expect(prefixUpperBound('张')).toBe('弡');
    expect(prefixUpperBound('a\u{10FFFF}')).toBe('b');
    expect(prefixUpperBound('\u{D7FF}')).toBe('\u{E000}');
    expect(prefixUpperBound('\u{10FFFF}')).toBeNull();
  });

  it('refuses filters that are too deep or too large instead of working through them', () => {
    let deep: Record<string, unknown> = { a: 1 };
    for (let i = 0; i < 20; i++) deep = { $and: [deep] };
    expect(refusal(deep).code).toBe('MINFLOW_ERR_STORE_FILTER_INVALID');
    const wide = { $or: Array.from({ length: 3000 }, (_, i) => ({ [`f${i}`]: i })) };
    expect(refusal(wide).details[0].message).toMatch(/too large/);
    expect(refusal({ a: { $in: Array.from({ length: 1001 }, (_, i) => i) } }).details[0].path).toBe('/a/$in');
  });

  it('names the offending part with a JSON pointer, escaping / and ~', () => {
    expect(refusal({ $or: [{ ok: 1 }, { 'a/b~c': 1 }] }).details[0].path).toBe('/$or/1/a~1b~0c');
  });

  it('parses the allowed operators into one AND of conditions', () => {
    expect(parseFilter({ status: 'open', dueAt: { $lt: '2026-02-01' } })).toEqual({
      kind: 'and',
      items: [
        { kind: 'field', path: 'status', ops: [{ op: 'eq', value: 'open' }] },
        { kind: 'field', path: 'dueAt', ops: [{ op: 'lt', value: '2026-02-01' }] },
      ],
    });
    expect(parseFilter({})).toEqual({ kind: 'and', items: [] });
  });
});
