import { computed, inject, type Signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute } from '@angular/router';
import type { Observable } from 'rxjs';

import type { Page } from './page';
import { pagedQuery, type PagedQuery } from './paged-query';
import { sameJson, type ListPaging } from './query-params';
import { urlFilter, type UrlFilter } from './url-filter';

/** The query string as a list page's filter parser reads it: one value a parameter. */
export type ListQueryParams = Readonly<Record<string, string | undefined>>;

/**
 * A list page's fixed description, declared once beside its filter fields (`*-filter.ts`): the page
 * sizes the paginator offers (`defaultPerPage` stays out of the URL) and how the query string reads.
 */
export interface ListPageSpec<F> extends ListPaging {
  /** Query string → the API's filter, dropping what the API would refuse (see `query-params`). */
  readonly parse: (params: ListQueryParams) => F;
  /** Whether a filter is set (picks the empty line); by default any key of the filter but the paging. */
  readonly filtered?: (filter: F) => boolean;
}

/**
 * A server-paged list page whose filter and paging live in the query string: the parsed filter
 * (unchanged values do not refetch), whether any filter is set, the paged query, and the URL
 * writer. Give it to `<sah-table-panel [list]>`, which pages through `changePage`.
 * Call from an injection context (a component field initialiser).
 */
export interface ListPage<F, P extends Page<unknown>> extends UrlFilter {
  readonly filter: Signal<F>;
  readonly hasFilters: Signal<boolean>;
  readonly query: PagedQuery<P>;
  readonly rows: PagedQuery<P>['rows'];
  readonly pageSizes: readonly number[];
  reload(): void;
}

export function listPage<F, P extends Page<unknown>>(
  spec: ListPageSpec<F>,
  fetch: (filter: F) => Observable<P>,
): ListPage<F, P> {
  const params = toSignal(inject(ActivatedRoute).queryParamMap, { requireSync: true });
  const url = urlFilter(spec.defaultPerPage);
  const filter = computed(
    () => {
      const current = params();
      return spec.parse(
        Object.fromEntries(current.keys.map((name) => [name, current.get(name) ?? undefined])),
      );
    },
    { equal: sameJson },
  );
  const query = pagedQuery(filter, fetch);
  return {
    ...url,
    filter,
    hasFilters: computed(() => (spec.filtered ?? anyFilterSet)(filter())),
    query,
    rows: query.rows,
    pageSizes: spec.pageSizes,
    reload: query.reload,
  };
}

function anyFilterSet(filter: unknown): boolean {
  return Object.entries(filter as object).some(
    ([key, value]) =>
      key !== 'page' && key !== 'perPage' && value !== undefined && value !== null && value !== '',
  );
}
