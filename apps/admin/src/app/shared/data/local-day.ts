/**
 * Date-range filters keep local calendar days in the query string ("2026-03-01"): readable, shareable,
 * and what the date pickers show. (The AI usage page works in UTC days instead; see usage-filter.ts.)
 */

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2026-03-01" → that day at local midnight; malformed or impossible days → null. */
export function parseDay(value: string | undefined): Date | null {
  const match = value ? DAY.exec(value) : null;
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(year, month - 1, day);
  return date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day ? date : null;
}

/**
 * A date-range filter's days as instants: the first day's local midnight (`start`) and the midnight
 * after the last day (`end`, so the last day is included whole); a malformed day gives null.
 */
export function dayRange(
  from: string | undefined,
  to: string | undefined,
): { readonly start: Date | null; readonly end: Date | null } {
  const last = parseDay(to);
  return { start: parseDay(from), end: last && new Date(last.getFullYear(), last.getMonth(), last.getDate() + 1) };
}

/** A local calendar day as "YYYY-MM-DD" (the query string form). */
export function formatDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
