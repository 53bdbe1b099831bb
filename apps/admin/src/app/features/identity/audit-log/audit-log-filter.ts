import { dayRange } from '../../../shared/data/local-day';
import type { ListPageSpec, Unpaged } from '../../../shared/data/list-page';
import { optionalText } from '../../../shared/data/query-params';
import { isUuid } from '../../../shared/data/uuid';
import type { FilterField } from '../../../shared/ui/filter-bar/filter-fields';
import type { AuditLogFilter } from '../data-access/identity.types';

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
  'user.other_sessions_revoked',
  'user.role_assigned',
  'user.session_revoked',
  'user.sign_in_failed',
  'user.signed_in',
  'user.signed_out',
  'user.suspended',
];

const AUDIT_FILTER_FIELDS: readonly FilterField[] = [
  {
    kind: 'text',
    param: 'action',
    label: 'Action',
    placeholder: 'e.g. user.role_assigned',
    maxLength: 100,
    suggestions: KNOWN_AUDIT_ACTIONS,
    testId: 'audit-action-filter',
  },
  {
    kind: 'text',
    param: 'actorId',
    label: 'Actor ID',
    placeholder: 'User ID (UUID)',
    maxLength: 100,
    wide: true,
    valid: isUuid,
    invalidMessage: 'Paste a whole user ID, like 0b8f…-…',
    testId: 'audit-actor-filter',
  },
  { kind: 'dateRange', fromParam: 'from', toParam: 'to', label: 'Date range', testId: 'audit-date-range' },
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
export function toAuditLogFilter(params: AuditQueryParams): Unpaged<AuditLogFilter> {
  const action = optionalText(params.action)?.slice(0, 100);
  const actorId = optionalText(params.actorId);
  const { start, end } = dayRange(params.from, params.to);
  return {
    ...(action ? { action } : {}),
    ...(actorId && isUuid(actorId) ? { actorId } : {}),
    ...(start ? { from: start.toISOString() } : {}),
    // The API includes its `to`: the last millisecond of the last day.
    ...(end ? { to: new Date(end.getTime() - 1).toISOString() } : {}),
  };
}

/** The audit log: paging, filter fields and query string (`listPage`). */
export const AUDIT_LIST: ListPageSpec<AuditLogFilter> = {
  pageSizes: [25, 50, 100, 200],
  defaultPerPage: 50,
  fields: AUDIT_FILTER_FIELDS,
  parse: toAuditLogFilter,
};
