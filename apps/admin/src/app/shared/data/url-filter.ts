import { inject } from '@angular/core';
import type { PageEvent } from '@angular/material/paginator';
import { ActivatedRoute, Router } from '@angular/router';

/** A filter change as written to the query string: `null` removes the parameter. */
export type QueryChange = Readonly<Record<string, string | null>>;

/**
 * Writes a list page's filter and paging to the query string, which the page reads back through its
 * inputs: the URL stays the one source of truth (shareable, survives the back button).
 */
export interface UrlFilter {
  /** Merges the change into the URL. Any new filter starts again at the first page. */
  apply(change: QueryChange, options?: { readonly replaceUrl?: boolean }): void;
  /** The paginator's event as `page`/`perPage`; the first page and the default size stay out of the URL. */
  changePage(event: PageEvent): void;
}

/** Call from an injection context (a component field initialiser). */
export function urlFilter(defaultPerPage: number): UrlFilter {
  const router = inject(Router);
  const route = inject(ActivatedRoute);
  return {
    apply: applyToUrl(router, route),
    changePage: (event) =>
      void router.navigate([], {
        relativeTo: route,
        queryParams: {
          page: event.pageIndex > 0 ? event.pageIndex + 1 : null,
          perPage: event.pageSize === defaultPerPage ? null : event.pageSize,
        },
        queryParamsHandling: 'merge',
      }),
  };
}

/** `UrlFilter.apply` for a route: merges the change into its query string, back at the first page. */
export function applyToUrl(router: Router, route: ActivatedRoute): UrlFilter['apply'] {
  return (change, options = {}) =>
    void router.navigate([], {
      relativeTo: route,
      queryParams: { ...change, page: null },
      queryParamsHandling: 'merge',
      replaceUrl: options.replaceUrl ?? false,
    });
}
