/**
 * ISO 8601 durations (`P10D`, `PT10M`, `P1Y2M3DT4H`), dates and repeating intervals (`R3/PT10M`,
 * `R/PT1H`, `R2/2026-03-01T09:00:00+08:00/P1D`) for timers and deadlines. Calendar parts (years,
 * months, weeks, days) are added on the Asia/Shanghai wall clock (UTC+8, no daylight saving), so
 * `P1D` from 23:30 Beijing time is 23:30 the next day there; time parts are exact.
 */

export interface IsoDuration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

export interface IsoCycle {
  /** null = repeat forever (`R/...`). */
  repetitions: number | null;
  start: Date | null;
  duration: IsoDuration;
  /** The duration's source text, kept so a cycle can be stored in state. */
  durationText: string;
}

/** Beijing time offset: China has used UTC+8 without daylight saving since 1991. */
export const SHANGHAI_OFFSET_MS = 8 * 3600_000;

const DURATION_RE =
  /^P(?!$)(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?=\d)(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export function parseDuration(text: string): IsoDuration | null {
  const m = DURATION_RE.exec(text.trim().toUpperCase());
  if (!m) return null;
  const n = (i: number) => (m[i] ? Number(m[i]) : 0);
  const d: IsoDuration = {
    years: n(1),
    months: n(2),
    weeks: n(3),
    days: n(4),
    hours: n(5),
    minutes: n(6),
    seconds: n(7),
  };
  if (!Number.isInteger(d.years) || !Number.isInteger(d.months)) return null;
  return d;
}

export function isZeroDuration(d: IsoDuration): boolean {
  return !d.years && !d.months && !d.weeks && !d.days && !d.hours && !d.minutes && !d.seconds;
}

/** Adds a duration: calendar parts on the Beijing wall clock, then the exact time parts. */
export function addDuration(from: Date, d: IsoDuration): Date {
  const local = new Date(from.getTime() + SHANGHAI_OFFSET_MS);
  if (d.years || d.months) {
    const day = local.getUTCDate();
    local.setUTCDate(1);
    local.setUTCMonth(local.getUTCMonth() + d.years * 12 + d.months);
    // Clamp 31 Jan + P1M to the last day of February, as java.time and Temporal do.
    const lastDay = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 0)).getUTCDate();
    local.setUTCDate(Math.min(day, lastDay));
  }
  const dayMs = (d.weeks * 7 + d.days) * 86_400_000;
  const timeMs = (d.hours * 3600 + d.minutes * 60 + d.seconds) * 1000;
  return new Date(local.getTime() + dayMs + timeMs - SHANGHAI_OFFSET_MS);
}

/** Parses an ISO 8601 date-time; a date without an offset is read as Beijing time. */
export function parseDateTime(text: string): Date | null {
  const t = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(t)) return null;
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/.test(t) && t.length > 10;
  const iso = t.replace(' ', 'T');
  const withTime = iso.length === 10 ? `${iso}T00:00:00` : iso;
  const date = new Date(hasOffset ? withTime : `${withTime}+08:00`);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function parseCycle(text: string): IsoCycle | null {
  const parts = text.trim().toUpperCase().split('/');
  const rep = /^R(\d*)$/.exec(parts[0] ?? '');
  if (!rep) return null;
  const repetitions = rep[1] === '' ? null : Number(rep[1]);
  let start: Date | null = null;
  let durationText: string | undefined;
  if (parts.length === 2) durationText = parts[1];
  else if (parts.length === 3) {
    start = parseDateTime(text.trim().split('/')[1]!);
    if (!start) return null;
    durationText = parts[2];
  } else return null;
  const duration = durationText ? parseDuration(durationText) : null;
  if (!duration || isZeroDuration(duration)) return null;
  return { repetitions, start, duration, durationText: durationText! };
}
