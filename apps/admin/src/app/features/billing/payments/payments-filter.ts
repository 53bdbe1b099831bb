import type { ListPageSpec, Unpaged } from '../../../shared/data/list-page';
import { optionalText } from '../../../shared/data/query-params';
import { isUuid } from '../../../shared/data/uuid';
import { choiceField, type FilterField } from '../../../shared/ui/filter-bar/filter-fields';
import type { StatusTone } from '../../../shared/ui/status-chip/status-chip.component';
import { PAYMENT_STATUSES, type PaymentsFilter, type PaymentStatus } from '../data-access/billing.types';

export const PAYMENT_STATUS_LABELS: Readonly<Record<PaymentStatus, string>> = {
  PENDING: 'Pending',
  PAID: 'Paid',
  FAILED: 'Failed',
  REFUNDED: 'Refunded',
  PARTIALLY_REFUNDED: 'Partly refunded',
  EXPIRED: 'Expired',
};

/** Paid (and refunded) plain, failed and expired as errors, a payment still open muted. */
export const PAYMENT_STATUS_TONES: Readonly<Record<PaymentStatus, StatusTone>> = {
  PENDING: 'muted',
  PAID: 'good',
  FAILED: 'bad',
  REFUNDED: 'good',
  PARTIALLY_REFUNDED: 'good',
  EXPIRED: 'bad',
};

/** The user filter is a projected user picker (`userId`). */
const PAYMENT_FILTER_FIELDS: readonly FilterField[] = [
  choiceField('status', 'Status', PAYMENT_STATUS_LABELS, 'payments-status-filter'),
  { kind: 'toggle', param: 'flagged', label: 'Refund shortfalls only', testId: 'payments-flagged-filter' },
];

/** The payments page's query string, as bound to its inputs. */
export interface PaymentsQueryParams {
  readonly status?: string;
  readonly userId?: string;
  /** "true": only payments whose refunds left a shortfall. */
  readonly flagged?: string;
  readonly page?: string;
  readonly perPage?: string;
}

/** Query string → `PaymentsFilterInput`: unknown statuses and partial ids are dropped (paging: `listPage`). */
export function toPaymentsFilter(params: PaymentsQueryParams): Unpaged<PaymentsFilter> {
  const status = PAYMENT_STATUSES.find((value) => value === params.status?.toUpperCase());
  const userId = optionalText(params.userId);
  return {
    ...(status ? { status } : {}),
    ...(userId && isUuid(userId) ? { userId } : {}),
    ...(params.flagged === 'true' ? { flagged: true } : {}),
  };
}

/** The payments page: paging, filter fields and query string (`listPage`). */
export const PAYMENTS_LIST: ListPageSpec<PaymentsFilter> = {
  pageSizes: [20, 50, 100],
  defaultPerPage: 20,
  fields: PAYMENT_FILTER_FIELDS,
  parse: toPaymentsFilter,
};
