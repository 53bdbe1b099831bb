import { dayRange } from '../../../shared/data/local-day';
import type { ListPageSpec, Unpaged } from '../../../shared/data/list-page';
import { optionalText } from '../../../shared/data/query-params';
import { isUuid } from '../../../shared/data/uuid';
import type { FilterField } from '../../../shared/ui/filter-bar/filter-fields';
import {
  CREDIT_TRANSACTION_TYPES,
  type CreditTransactionsFilter,
  type CreditTransactionType,
} from '../data-access/billing.types';
import { TRANSACTION_TYPE_LABELS } from '../ui/transaction-type';

/** The account filter is a projected user picker (`userId`). */
const LEDGER_FILTER_FIELDS: readonly FilterField[] = [
  {
    kind: 'choice',
    param: 'types',
    label: 'Types',
    multiple: true,
    options: CREDIT_TRANSACTION_TYPES.map((type) => ({ value: type, label: TRANSACTION_TYPE_LABELS[type] })),
    testId: 'ledger-type-filter',
  },
  { kind: 'dateRange', fromParam: 'from', toParam: 'to', label: 'Date range', testId: 'ledger-date-range' },
];

/** The ledger explorer's query string, as bound to its inputs. Dates are local calendar days. */
export interface LedgerQueryParams {
  readonly userId?: string;
  /** Comma-separated `CreditTransactionType`s. */
  readonly types?: string;
  readonly from?: string;
  readonly to?: string;
  readonly page?: string;
  readonly perPage?: string;
}

/** "DEBIT,usage,bogus" → ['DEBIT', 'USAGE'], in the enum's order, without duplicates. */
export function parseTypes(value: string | undefined): CreditTransactionType[] {
  const wanted = new Set((value ?? '').split(',').map((part) => part.trim().toUpperCase()));
  return CREDIT_TRANSACTION_TYPES.filter((type) => wanted.has(type));
}

/**
 * Query string → `CreditTransactionsFilterInput`. Without a user the explorer asks for everyone the
 * caller may see. The range covers whole local days: `to` is the next midnight (the API excludes it).
 */
export function toLedgerFilter(params: LedgerQueryParams): Unpaged<CreditTransactionsFilter> {
  const userId = optionalText(params.userId);
  const types = parseTypes(params.types);
  const { start, end } = dayRange(params.from, params.to);
  return {
    ...(userId && isUuid(userId) ? { userId } : { allUsers: true }),
    ...(types.length > 0 ? { types } : {}),
    ...(start ? { from: start.toISOString() } : {}),
    ...(end ? { to: end.toISOString() } : {}),
  };
}

/** The ledger: paging, filter fields and query string (`listPage`). */
export const LEDGER_LIST: ListPageSpec<CreditTransactionsFilter> = {
  pageSizes: [20, 50, 100, 200],
  defaultPerPage: 50,
  fields: LEDGER_FILTER_FIELDS,
  parse: toLedgerFilter,
  // `allUsers` is what no account filter asks for, not a filter.
  filtered: ({ userId, types, from, to }) => Boolean(userId || types || from || to),
};
