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

/** A local calendar day as "YYYY-MM-DD" (the query string form). */
export function formatDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
