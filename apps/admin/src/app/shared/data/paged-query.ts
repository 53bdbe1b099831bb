import { computed, type Signal } from '@angular/core';
import type { Observable } from 'rxjs';

import { filteredQuery } from './reloadable-query';

export interface PagedQuery<P extends { readonly items: readonly unknown[] }> {
  readonly loading: Signal<boolean>;
  readonly error: Signal<string | null>;
  /** The last page received: it stays on screen while the next one loads, so paging does not flicker. */
  readonly page: Signal<P | null>;
  readonly rows: Signal<P['items'][number][]>;
  /** Fetches the current filter again (after an error, say). */
  reload(): void;
}

/**
 * A server-paged list driven by a filter signal: refetches whenever the filter changes, cancelling
 * the request in flight. Call from an injection context (a component field initialiser).
 */
export function pagedQuery<F, P extends { readonly items: readonly unknown[] }>(
  filter: Signal<F>,
  fetch: (filter: F) => Observable<P>,
): PagedQuery<P> {
  const query = filteredQuery(filter, fetch);
  return {
    loading: query.loading,
    error: query.error,
    page: query.value,
    rows: computed(() => [...(query.value()?.items ?? [])]),
    reload: query.reload,
  };
}
