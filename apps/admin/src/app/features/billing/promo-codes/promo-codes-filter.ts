import type { ListPageSpec, Unpaged } from '../../../shared/data/list-page';
import { optionalText } from '../../../shared/data/query-params';
import { choiceField, searchField, type FilterField } from '../../../shared/ui/filter-bar/filter-fields';
import type { PromoCodesFilter } from '../data-access/billing.types';

export const PROMO_SEARCH_MAX_LENGTH = 32;

const PROMO_FILTER_FIELDS: readonly FilterField[] = [
  searchField('Part of the code', PROMO_SEARCH_MAX_LENGTH, 'promo-search'),
  choiceField('status', 'Status', { active: 'Active', inactive: 'Deactivated' }, 'promo-status-filter'),
];

/** The promo codes page's query string, as bound to its inputs. */
export interface PromoQueryParams {
  readonly search?: string;
  readonly status?: string;
  readonly page?: string;
  readonly perPage?: string;
}

/** Query string → `PromoCodesFilterInput`: unknown statuses are dropped (paging: `listPage`). */
export function toPromoCodesFilter(params: PromoQueryParams): Unpaged<PromoCodesFilter> {
  const search = optionalText(params.search?.slice(0, PROMO_SEARCH_MAX_LENGTH));
  const active = params.status === 'active' ? true : params.status === 'inactive' ? false : undefined;
  return {
    ...(search ? { search } : {}),
    ...(active !== undefined ? { active } : {}),
  };
}

/** The promo codes page: paging, filter fields and query string (`listPage`). */
export const PROMO_LIST: ListPageSpec<PromoCodesFilter> = {
  pageSizes: [20, 50, 100],
  defaultPerPage: 20,
  fields: PROMO_FILTER_FIELDS,
  parse: toPromoCodesFilter,
};
