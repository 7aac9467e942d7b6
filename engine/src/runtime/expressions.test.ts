import { describe, expect, it } from 'vitest';
import { addDuration, parseCycle, parseDateTime, parseDuration } from './duration.js';
import { evalCondition, evalFeel, FeelError } from './feel.js';

describe('FEEL', () => {
  it('evaluates with or without a leading =', () => {
    expect(evalFeel('= review.amount * 2', { review: { amount: 21 } })).toBe(42);
    expect(evalFeel('count(committee)', { committee: ['a', 'b'] })).toBe(2);
    expect(evalCondition('= nrOfApproved / nrOfInstances >= 2/3', { nrOfApproved: 2, nrOfInstances: 3 })).toBe(true);
  });

  it('a missing variable is null (the condition is false), not an error', () => {
    expect(evalCondition('amount > 3', {})).toBe(false);
    expect(evalFeel('a + 1', {})).toBeNull();
  });

  it('syntax errors, unknown functions, type errors on present values and non-boolean conditions are FeelErrors', () => {
    expect(() => evalFeel('a >', { a: 1 })).toThrow(FeelError);
    expect(() => evalFeel('nosuch(1)', {})).toThrow(FeelError);
    expect(() => evalFeel('"abc" - 1', {})).toThrow(FeelError);
    expect(() => evalCondition('1 + 1', {})).toThrow(/must be true or false/);
    expect(() => evalFeel('=', {})).toThrow(/empty/);
  });

  it('temporal results become ISO strings so state stays JSON', () => {
    expect(evalFeel('date("2026-03-02")', {})).toBe('2026-03-02');
  });
});

describe('ISO 8601 durations, dates and cycles', () => {
  it('parses durations and refuses junk', () => {
    expect(parseDuration('P1Y2M3W4DT5H6M7S')).toEqual({
      years: 1,
      months: 2,
      weeks: 3,
      days: 4,
      hours: 5,
      minutes: 6,
      seconds: 7,
    });
    expect(parseDuration('PT10M')).toMatchObject({ minutes: 10 });
    for (const bad of ['P', 'PT', '10M', 'P1H', 'PT1D', 'P1.5Y']) expect(parseDuration(bad), bad).toBeNull();
  });

  it('adds months on the Beijing calendar and clamps to the month end', () => {
    expect(addDuration(new Date('2026-01-31T02:00:00Z'), parseDuration('P1M')!).toISOString()).toBe(
      '2026-02-28T02:00:00.000Z',
    );
    // 23:30 Beijing on 31 Jan is still 31 Jan locally, though 15:30Z.
    expect(addDuration(new Date('2026-01-31T15:30:00Z'), parseDuration('P1M')!).toISOString()).toBe(
      '2026-02-28T15:30:00.000Z',
    );
  });

  it('dates without an offset are Beijing time', () => {
    expect(parseDateTime('2026-03-02T09:00:00')!.toISOString()).toBe('2026-03-02T01:00:00.000Z');
    expect(parseDateTime('2026-03-02')!.toISOString()).toBe('2026-03-01T16:00:00.000Z');
    expect(parseDateTime('2026-03-02T09:00:00Z')!.toISOString()).toBe('2026-03-02T09:00:00.000Z');
    expect(parseDateTime('next tuesday')).toBeNull();
  });

  it('parses repeating intervals', () => {
    expect(parseCycle('R3/PT10M')).toMatchObject({ repetitions: 3, start: null, durationText: 'PT10M' });
    expect(parseCycle('R/P1D')).toMatchObject({ repetitions: null });
    expect(parseCycle('R2/2026-03-02T09:00:00+08:00/P1D')!.start!.toISOString()).toBe('2026-03-02T01:00:00.000Z');
    expect(parseCycle('R3/PT0S')).toBeNull();
    expect(parseCycle('PT10M')).toBeNull();
  });
});
