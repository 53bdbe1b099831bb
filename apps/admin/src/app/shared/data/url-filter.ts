import { effect, inject, untracked, type Signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl } from '@angular/forms';
import type { PageEvent } from '@angular/material/paginator';
import { ActivatedRoute, Router } from '@angular/router';
import { debounceTime } from 'rxjs';

import { SEARCH_DEBOUNCE_MS } from './query-params';

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

export interface UrlSearch {
  /** The search box. */
  readonly control: FormControl<string>;
  /** Empties the box without writing to the URL (the caller clears its filters in one go). */
  clear(): void;
}

/**
 * A search box bound to a query parameter both ways: typing writes the URL after a pause (replacing the
 * history entry, so Back does not step through every keystroke); a URL change from outside (the back
 * button, a link) refills the box. Call from an injection context.
 *
 * @param fromUrl the raw query parameter
 * @param applied the search the current filter uses (normalised), so an unchanged search does not navigate
 * @param write writes the new search (`null` to remove it) to the URL
 */
export function urlSearch(
  fromUrl: Signal<string | undefined>,
  applied: () => string | null | undefined,
  write: (search: string | null) => void,
): UrlSearch {
  const control = new FormControl('', { nonNullable: true });
  /** The search last written to the URL; any other URL value came from outside. */
  let pushed: string | undefined;

  control.valueChanges.pipe(debounceTime(SEARCH_DEBOUNCE_MS), takeUntilDestroyed()).subscribe((value) => {
    const search = value.trim();
    if (search === (applied() ?? '')) return;
    pushed = search;
    write(search || null);
  });

  effect(() => {
    const search = fromUrl() ?? '';
    untracked(() => {
      if (search === pushed) return;
      pushed = search;
      control.setValue(search, { emitEvent: false });
    });
  });

  return {
    control,
    clear: () => {
      pushed = '';
      control.setValue('', { emitEvent: false });
    },
  };
}
