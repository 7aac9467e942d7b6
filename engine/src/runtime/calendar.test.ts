import { describe, expect, it } from 'vitest';
import { chinaCalendar, shanghaiDate, WorkingCalendar } from './calendar.js';

const at = (iso: string) => new Date(iso);

describe('China working-day calendar', () => {
  it.each([
    ['2026-01-01', false, '元旦'],
    ['2026-01-04', true, '元旦调休上班 (Sunday)'],
    ['2026-02-14', true, '春节调休上班 (Saturday)'],
    ['2026-02-16', false, '春节'],
    ['2026-02-23', false, '春节 (Monday)'],
    ['2026-02-24', true, 'first working day after 春节'],
    ['2026-02-28', true, '春节调休上班 (Saturday)'],
    ['2026-05-05', false, '劳动节 (Tuesday)'],
    ['2026-05-09', true, '劳动节调休上班 (Saturday)'],
    ['2026-06-19', false, '端午节'],
    ['2026-09-20', true, '国庆调休上班 (Sunday)'],
    ['2026-09-25', false, '中秋节'],
    ['2026-10-07', false, '国庆节'],
    ['2026-10-10', true, '国庆调休上班 (Saturday)'],
    ['2026-03-07', false, 'ordinary Saturday'],
    ['2026-03-09', true, 'ordinary Monday'],
    ['2025-01-26', true, '2025 春节调休上班 (Sunday)'],
    ['2025-02-04', false, '2025 春节'],
    ['2025-10-08', false, '2025 国庆中秋'],
    ['2025-10-11', true, '2025 国庆调休上班 (Saturday)'],
  ])('%s is a working day: %s (%s)', (date, working) => {
    expect(chinaCalendar.isWorkingDate(date)).toBe(working);
  });

  it('uses Beijing day boundaries: 2026-02-23T16:30Z is already Tuesday 24 Feb in Beijing', () => {
    expect(shanghaiDate(at('2026-02-23T16:30:00Z'))).toBe('2026-02-24');
    expect(chinaCalendar.isWorkingDay(at('2026-02-23T16:30:00Z'))).toBe(true);
    expect(chinaCalendar.isWorkingDay(at('2026-02-23T15:30:00Z'))).toBe(false);
  });

  it('addWorkingDays skips the Spring Festival and counts make-up days; the start day does not count', () => {
    // Friday 13 Feb 2026 → +1 = Saturday 14 Feb (调休上班) → +2 = Tuesday 24 Feb.
    expect(chinaCalendar.addWorkingDays(at('2026-02-13T02:00:00Z'), 1).toISOString()).toBe('2026-02-14T15:59:59.999Z');
    expect(chinaCalendar.addWorkingDays(at('2026-02-13T02:00:00Z'), 2).toISOString()).toBe('2026-02-24T15:59:59.999Z');
    // 10 working days from Monday 28 Sep 2026 crosses the National Day holiday and 10 Oct (Saturday, working).
    expect(shanghaiDate(chinaCalendar.addWorkingDays(at('2026-09-28T01:00:00Z'), 10))).toBe('2026-10-16');
    expect(chinaCalendar.workingDaysBetween(at('2026-02-13T02:00:00Z'), at('2026-02-24T02:00:00Z'))).toBe(2);
  });

  it('dueAt: workdays end at the end of the last working day, days are elapsed time', () => {
    const from = at('2026-03-02T01:00:00Z'); // Monday 09:00 Beijing
    expect(chinaCalendar.dueAt(from, 'P10D', 'workdays').toISOString()).toBe('2026-03-16T15:59:59.999Z');
    expect(chinaCalendar.dueAt(from, 'P2W', 'workdays').toISOString()).toBe('2026-03-16T15:59:59.999Z');
    expect(chinaCalendar.dueAt(from, 'P7D', 'days').toISOString()).toBe('2026-03-09T01:00:00.000Z');
    expect(chinaCalendar.dueAt(from, 'PT4H', 'workdays').toISOString()).toBe('2026-03-02T05:00:00.000Z');
    expect(chinaCalendar.dueAt(from, 'P1M', 'days').toISOString()).toBe('2026-04-02T01:00:00.000Z');
  });

  it('a year is configurable as data; unknown years fall back to Monday–Friday', () => {
    expect(chinaCalendar.knowsYear(2027)).toBe(false);
    expect(chinaCalendar.isWorkingDate('2027-02-08')).toBe(true);
    const next = chinaCalendar.withYear(2027, { holidays: ['2027-02-08'], workdays: ['2027-02-06'] });
    expect(next.knowsYear(2027)).toBe(true);
    expect(next.isWorkingDate('2027-02-08')).toBe(false);
    expect(next.isWorkingDate('2027-02-06')).toBe(true);
    expect(chinaCalendar.isWorkingDate('2027-02-08')).toBe(true);
    expect(() => new WorkingCalendar({ 2027: { holidays: ['2026-01-01'], workdays: [] } })).toThrow(
      /not a YYYY-MM-DD date of that year/,
    );
  });
});
