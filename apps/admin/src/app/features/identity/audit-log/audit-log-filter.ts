import { parseDay } from '../../../shared/data/local-day';
import { optionalText, parsePage, parsePageSize } from '../../../shared/data/query-params';
import { isUuid } from '../../../shared/data/uuid';
import type { AuditLogFilter } from '../data-access/identity.types';

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

/** The audit page's query string, as bound to its inputs. Dates are local calendar days. */
export interface AuditQueryParams {
  readonly action?: string;
  readonly actorId?: string;
  readonly from?: string;
  readonly to?: string;
  readonly page?: string;
  readonly perPage?: string;
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
