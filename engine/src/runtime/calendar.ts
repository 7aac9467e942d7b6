import { addDuration, type IsoDuration, parseDuration, SHANGHAI_OFFSET_MS } from './duration.js';

/**
 * Working-day calendar for China (工作日). Weekends are rest days except the make-up working days
 * (调休上班); statutory holidays (法定节假日, including the days swapped into them) are rest days.
 * Each year is data, published by the State Council's General Office every November
 * (国务院办公厅关于 YYYY 年部分节假日安排的通知); add a year with `withYear` or the constructor.
 * Day boundaries are Beijing time (Asia/Shanghai, UTC+8).
 */

/** One year's arrangement: dates as `YYYY-MM-DD`. */
export interface HolidayYear {
  /** Rest days that would otherwise be working days, and holiday weekends (listing them is harmless). */
  holidays: string[];
  /** Weekend days that are working days (调休上班). */
  workdays: string[];
}

function range(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/** 国办发明电〔2024〕12号 (2024-11-12), after the revised 《全国年节及纪念日放假办法》. */
export const CN_2025: HolidayYear = {
  holidays: [
    '2025-01-01', // 元旦
    ...range('2025-01-28', '2025-02-04'), // 春节
    ...range('2025-04-04', '2025-04-06'), // 清明节
    ...range('2025-05-01', '2025-05-05'), // 劳动节
    ...range('2025-05-31', '2025-06-02'), // 端午节
    ...range('2025-10-01', '2025-10-08'), // 国庆节、中秋节
  ],
  workdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
};

/** 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04). */
export const CN_2026: HolidayYear = {
  holidays: [
    ...range('2026-01-01', '2026-01-03'), // 元旦
    ...range('2026-02-15', '2026-02-23'), // 春节
    ...range('2026-04-04', '2026-04-06'), // 清明节
    ...range('2026-05-01', '2026-05-05'), // 劳动节
    ...range('2026-06-19', '2026-06-21'), // 端午节
    ...range('2026-09-25', '2026-09-27'), // 中秋节
    ...range('2026-10-01', '2026-10-07'), // 国庆节
  ],
  workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
};

export type CalendarKind = 'workdays' | 'days';

/** Beijing calendar date (`YYYY-MM-DD`) of an instant. */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The last millisecond of a Beijing calendar date. */
export function endOfShanghaiDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000 - 1 - SHANGHAI_OFFSET_MS);
}

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

export class WorkingCalendar {
  private readonly holidays = new Set<string>();
  private readonly workdays = new Set<string>();
  private readonly years = new Set<number>();

  constructor(years: Record<number, HolidayYear> = {}) {
    for (const [year, data] of Object.entries(years)) this.addYear(Number(year), data);
  }

  /** A copy of this calendar with one more (or a replaced) year. */
  withYear(year: number, data: HolidayYear): WorkingCalendar {
    const copy = new WorkingCalendar();
    for (const d of this.holidays) copy.holidays.add(d);
    for (const d of this.workdays) copy.workdays.add(d);
    for (const y of this.years) copy.years.add(y);
    for (const d of [...copy.holidays, ...copy.workdays]) {
      if (d.startsWith(`${year}-`)) {
        copy.holidays.delete(d);
        copy.workdays.delete(d);
      }
    }
    copy.addYear(year, data);
    return copy;
  }

  private addYear(year: number, data: HolidayYear): void {
    for (const d of [...data.holidays, ...data.workdays]) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || !d.startsWith(`${year}-`)) {
        throw new Error(`calendar ${year}: "${d}" is not a YYYY-MM-DD date of that year`);
      }
    }
    for (const d of data.holidays) this.holidays.add(d);
    for (const d of data.workdays) this.workdays.add(d);
    this.years.add(year);
  }

  /** Whether the year's arrangement is known; unknown years fall back to Monday–Friday. */
  knowsYear(year: number): boolean {
    return this.years.has(year);
  }

  /** `date` is a Beijing calendar date `YYYY-MM-DD`. */
  isWorkingDate(date: string): boolean {
    if (this.workdays.has(date)) return true;
    if (this.holidays.has(date)) return false;
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  isWorkingDay(at: Date): boolean {
    return this.isWorkingDate(shanghaiDate(at));
  }

  /**
   * The end (23:59:59.999 Beijing time) of the n-th working day after the day of `from`: the
   * day of `from` itself does not count, as deadlines in administrative law are reckoned
   * (期间开始的当日不计算在内). n = 0 gives the end of `from`'s day, or of the next working day when
   * `from` falls on a rest day.
   */
  addWorkingDays(from: Date, n: number): Date {
    if (!Number.isInteger(n) || n < 0) throw new Error(`addWorkingDays: n must be a whole number ≥ 0, got ${n}`);
    let date = shanghaiDate(from);
    if (n === 0) {
      while (!this.isWorkingDate(date)) date = nextDate(date);
      return endOfShanghaiDay(date);
    }
    let left = n;
    while (left > 0) {
      date = nextDate(date);
      if (this.isWorkingDate(date)) left--;
    }
    return endOfShanghaiDay(date);
  }

  /** Working days strictly after the day of `from` up to and including the day of `to`. */
  workingDaysBetween(from: Date, to: Date): number {
    let date = shanghaiDate(from);
    const end = shanghaiDate(to);
    let n = 0;
    while (date < end) {
      date = nextDate(date);
      if (this.isWorkingDate(date)) n++;
    }
    return n;
  }

  /**
   * The due time of `minflow:due` (an ISO 8601 duration) under `minflow:calendar`:
   * - `days`: plain elapsed time (`P7D` = seven calendar days later, same wall-clock time);
   * - `workdays`: weeks count five working days and days count working days, ending at the end
   *   of the last one; years/months move the calendar date and then roll to a working day;
   *   hours/minutes/seconds are then added as elapsed time.
   */
  dueAt(from: Date, due: string | IsoDuration, kind: CalendarKind = 'workdays'): Date {
    const d = typeof due === 'string' ? parseDuration(due) : due;
    if (!d) throw new Error(`not an ISO 8601 duration: ${String(due)}`);
    if (kind === 'days') return addDuration(from, d);
    let base = from;
    if (d.years || d.months) {
      base = addDuration(from, { ...d, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 });
    }
    const days = d.weeks * 5 + d.days;
    if (!Number.isInteger(days)) throw new Error(`working days must be whole: ${String(due)}`);
    const timeMs = (d.hours * 3600 + d.minutes * 60 + d.seconds) * 1000;
    if (days === 0 && !d.years && !d.months) return new Date(base.getTime() + timeMs);
    const end = this.addWorkingDays(base, days);
    return new Date(end.getTime() + timeMs);
  }
}

/** The shipped calendar: 2025 and 2026 as announced by the State Council. */
export const chinaCalendar = new WorkingCalendar({ 2025: CN_2025, 2026: CN_2026 });
