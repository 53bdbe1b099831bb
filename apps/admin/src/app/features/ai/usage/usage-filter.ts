import type { UsageGroupBy } from '../data-access/ai.types';

/** The groupings a breakdown can use (the daily chart always groups by day). */
export const BREAKDOWNS = ['MODEL', 'PROVIDER', 'USER', 'TEAM'] as const satisfies readonly UsageGroupBy[];
export type Breakdown = (typeof BREAKDOWNS)[number];

export const GROUP_LABELS: Readonly<Record<UsageGroupBy, string>> = {
  DAY: 'Day',
  MODEL: 'Model',
  PROVIDER: 'Provider',
  USER: 'User',
  TEAM: 'Team',
  MEMBER: 'Team member',
};

/** Without a range in the URL the page shows the last 30 days, today included. */
export const DEFAULT_RANGE_DAYS = 30;
/** The longest period the API summarises. */
export const MAX_RANGE_DAYS = 366;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The usage page's query string, as bound to its inputs: UTC calendar days, as the API groups them. */
export interface UsageQueryParams {
  readonly from?: string;
  readonly to?: string;
  readonly by?: string;
}

export interface UsageRange {
  /** First day, YYYY-MM-DD (UTC), included. */
  readonly fromDay: string;
  /** Last day, YYYY-MM-DD (UTC), included. */
  readonly toDay: string;
}

export interface UsageView extends UsageRange {
  readonly breakdown: Breakdown;
  /** ISO date-time: the first day's midnight (UTC), inclusive. */
  readonly from: string;
  /** ISO date-time: the midnight after the last day (UTC), exclusive as the API takes it. */
  readonly to: string;
}

/** "2026-03-01" → that day's UTC midnight in milliseconds; malformed or impossible days → null. */
export function parseUtcDay(value: string | undefined): number | null {
  const match = value ? DAY.exec(value) : null;
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, day);
  const date = new Date(time);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? time : null;
}

export function formatUtcDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** A day `days` after (or before) the given one. */
export function addDays(day: string, days: number): string {
  const time = parseUtcDay(day);
  if (time === null) throw new Error(`Not a day: ${day}`);
  const date = new Date(time);
  date.setUTCDate(date.getUTCDate() + days);
  return formatUtcDay(date.getTime());
}

/** Every day from the first to the last, both included. */
export function daysBetween(fromDay: string, toDay: string): string[] {
  const days: string[] = [];
  for (let day = fromDay; day <= toDay; day = addDays(day, 1)) days.push(day);
  return days;
}

/**
 * Query string → what the page shows. A missing, malformed or reversed range falls back to the last
 * DEFAULT_RANGE_DAYS days, a longer one than the API takes keeps its last MAX_RANGE_DAYS days;
 * breakdowns the caller may not use fall back to models.
 */
export function toUsageView(params: UsageQueryParams, now: Date, allowed: readonly Breakdown[]): UsageView {
  const from = parseUtcDay(params.from);
  const to = parseUtcDay(params.to);
  const today = formatUtcDay(now.getTime());
  let range: UsageRange =
    from !== null && to !== null && from <= to
      ? { fromDay: formatUtcDay(from), toDay: formatUtcDay(to) }
      : { fromDay: addDays(today, 1 - DEFAULT_RANGE_DAYS), toDay: today };
  const earliest = addDays(range.toDay, 1 - MAX_RANGE_DAYS);
  if (range.fromDay < earliest) range = { ...range, fromDay: earliest };
  const by = (params.by ?? '').toUpperCase();
  const breakdown = allowed.find((candidate) => candidate === by) ?? 'MODEL';
  return {
    ...range,
    breakdown,
    from: `${range.fromDay}T00:00:00.000Z`,
    to: `${addDays(range.toDay, 1)}T00:00:00.000Z`,
  };
}

/** A date picker's local calendar date, read as the same calendar day in UTC. */
export function pickedDay(date: Date): string {
  return formatUtcDay(Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()));
}

/** The opposite of pickedDay: a UTC day shown as that calendar date in the local date picker. */
export function dayToPicker(day: string): Date | null {
  const time = parseUtcDay(day);
  if (time === null) return null;
  const date = new Date(time);
  return new Date(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}
