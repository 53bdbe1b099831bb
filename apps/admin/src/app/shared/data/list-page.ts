import { computed, inject, type Signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute } from '@angular/router';
import type { Observable } from 'rxjs';

import type { FilterField } from '../ui/filter-bar/filter-fields';

import type { Page } from './page';
import { pagedQuery, type PagedQuery } from './paged-query';
import { parsePage, parsePageSize, sameJson, type ListPaging } from './query-params';
import { urlFilter, type UrlFilter } from './url-filter';

/** The query string as a list page's filter parser reads it: one value a parameter. */
export type ListQueryParams = Readonly<Record<string, string | undefined>>;

/** The paging every list filter has, which `listPage` reads from the query string for all pages. */
export interface Paging {
  readonly page?: number | null;
  readonly perPage?: number | null;
}

/** A list page's filter as its spec reads it from the query string: the paging is added after. */
export type Unpaged<F extends Paging> = Omit<F, keyof Paging>;

/**
 * A list page's fixed description, declared once in its `*-filter.ts`: the page sizes the paginator
 * offers (`defaultPerPage` stays out of the URL), the filter bar's fields and how the query string reads.
 */
export interface ListPageSpec<F extends Paging> extends ListPaging {
  /** For `<sah-filter-bar [fields]>`: fixed, or built from what the page has loaded (read in a `computed`). */
  readonly fields: readonly FilterField[] | (() => readonly FilterField[]);
  /** Query string → the API's filter but the paging, dropping what the API would refuse (see `query-params`). */
  readonly parse: (params: ListQueryParams) => Unpaged<F>;
  /** Whether a filter is set (picks the empty line); by default any key of the filter but the paging. */
  readonly filtered?: (filter: F) => boolean;
}

/**
 * A server-paged list page whose filter and paging live in the query string: the parsed filter
 * (unchanged values do not refetch), whether any filter is set, the paged query, and the URL
 * writer. Give it to `<sah-table-panel [list]>`, which pages through `changePage`.
 * Call from an injection context (a component field initialiser).
 */
export interface ListPage<F extends Paging, P extends Page<unknown>> extends UrlFilter {
  readonly fields: Signal<readonly FilterField[]>;
  readonly filter: Signal<F>;
  readonly hasFilters: Signal<boolean>;
  readonly query: PagedQuery<P>;
  readonly rows: PagedQuery<P>['rows'];
  readonly pageSizes: readonly number[];
  reload(): void;
}

export function listPage<F extends Paging, P extends Page<unknown>>(
  spec: ListPageSpec<F>,
  fetch: (filter: F) => Observable<P>,
): ListPage<F, P> {
  const params = toSignal(inject(ActivatedRoute).queryParamMap, { requireSync: true });
  const url = urlFilter(spec.defaultPerPage);
  const filter = computed(
    () => {
      const current = params();
      return listFilter(
        spec,
        Object.fromEntries(current.keys.map((name) => [name, current.get(name) ?? undefined])),
      );
    },
    { equal: sameJson },
  );
  const query = pagedQuery(filter, fetch);
  const { fields } = spec;
  return {
    ...url,
    fields: computed(() => (typeof fields === 'function' ? fields() : fields)),
    filter,
    hasFilters: computed(() => (spec.filtered ?? anyFilterSet)(filter())),
    query,
    rows: query.rows,
    pageSizes: spec.pageSizes,
    reload: query.reload,
  };
}

/** The filter a list page sends for a query string: its spec's, at the page and page size asked for. */
export function listFilter<F extends Paging>(spec: ListPageSpec<F>, params: ListQueryParams): F {
  const paging = { page: parsePage(params['page']), perPage: parsePageSize(params['perPage'], spec) };
  return { ...spec.parse(params), ...paging } as F;
}

function anyFilterSet(filter: unknown): boolean {
  return Object.entries(filter as object).some(
    ([key, value]) =>
      key !== 'page' && key !== 'perPage' && value !== undefined && value !== null && value !== '',
  );
}
