/** Reading and writing the comma-separated minflow: list attributes (roles, actions, editable). */
export function splitList(v: unknown): string[] {
  return typeof v === 'string'
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
}

export function joinList(values: string[]): string | undefined {
  const list = values.map((s) => s.trim()).filter(Boolean);
  return list.length ? list.join(',') : undefined;
}

/** An ISO 8601 duration of whole days (P10D) ↔ the number of days; other durations are kept as text. */
export function dueDays(due: unknown): number | null {
  const m = typeof due === 'string' ? /^P(\d+)D$/.exec(due) : null;
  return m ? Number(m[1]) : null;
}

/** `= a > 1` and `a > 1` are the same FEEL expression; the designer writes the `=` form. */
export function normalizeFeel(text: string): string {
  const t = text.trim();
  if (!t) return '';
  return t.startsWith('=') ? t : `= ${t}`;
}
