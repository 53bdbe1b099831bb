import { optionalText, parsePage, parsePageSize } from '../../../shared/data/query-params';
import type { AuditLogFilter } from '../data-access/identity.models';

export const AUDIT_PAGE_SIZES: readonly number[] = [25, 50, 100, 200];
export const DEFAULT_AUDIT_PER_PAGE = 50;

/** Actions the API records today; the filter offers them but accepts any exact action name. */
export const KNOWN_AUDIT_ACTIONS: readonly string[] = [
  'api_key.created',
  'api_key.revoked',
  'team.created',
  'team.member_added',
  'user.bootstrap_admin_created',
  'user.email_verified',
  'user.password_reset',
  'user.password_reset_requested',
  'user.registered',
  'user.reinstated',
  'user.role_assigned',
  'user.sign_in_failed',
  'user.signed_in',
  'user.signed_out',
  'user.suspended',
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The audit page's query string, as bound to its inputs. Dates are local calendar days. */
export interface AuditQueryParams {
  readonly action?: string;
  readonly actorId?: string;
  readonly from?: string;
  readonly to?: string;
  readonly page?: string;
  readonly perPage?: string;
}

/** The API only accepts UUIDs as actor ids (anything else is BAD_USER_INPUT). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

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

/** Query string → `AuditLogFilterInput`. The range covers whole local days, both ends included. */
export function toAuditLogFilter(params: AuditQueryParams): AuditLogFilter {
  const action = optionalText(params.action)?.slice(0, 100);
  const actorId = optionalText(params.actorId);
  const from = parseDay(params.from);
  const toDay = parseDay(params.to);
  const to = toDay ? new Date(toDay.getFullYear(), toDay.getMonth(), toDay.getDate(), 23, 59, 59, 999) : null;
  return {
    ...(action ? { action } : {}),
    ...(actorId && isUuid(actorId) ? { actorId } : {}),
    ...(from ? { from: from.toISOString() } : {}),
    ...(to ? { to: to.toISOString() } : {}),
    page: parsePage(params.page),
    perPage: parsePageSize(params.perPage, AUDIT_PAGE_SIZES, DEFAULT_AUDIT_PER_PAGE),
  };
}
