import { optionalText, parsePage, parsePageSize } from '../../../shared/data/query-params';
import type { PromoCodesFilter } from '../data-access/billing.types';

export const PROMO_PAGE_SIZES: readonly number[] = [20, 50, 100];
export const DEFAULT_PROMO_PER_PAGE = 20;
export const PROMO_SEARCH_MAX_LENGTH = 32;

export type PromoStatusFilter = 'active' | 'inactive';

/** The promo codes page's query string, as bound to its inputs. */
export interface PromoQueryParams {
  readonly search?: string;
  readonly status?: string;
  readonly page?: string;
  readonly perPage?: string;
}

/** Query string → `PromoCodesFilterInput`: unknown statuses and page sizes are dropped. */
export function toPromoCodesFilter(params: PromoQueryParams): PromoCodesFilter {
  const search = optionalText(params.search?.slice(0, PROMO_SEARCH_MAX_LENGTH));
  const active = params.status === 'active' ? true : params.status === 'inactive' ? false : undefined;
  return {
    ...(search ? { search } : {}),
    ...(active !== undefined ? { active } : {}),
    page: parsePage(params.page),
    perPage: parsePageSize(params.perPage, PROMO_PAGE_SIZES, DEFAULT_PROMO_PER_PAGE),
  };
}
