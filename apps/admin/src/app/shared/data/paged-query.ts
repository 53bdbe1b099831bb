import { computed, linkedSignal, signal, type Signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { switchMap, type Observable } from 'rxjs';

import { LOADING, toLoadState, type LoadState } from './load-state';

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
  const attempt = signal(0);
  const state = toSignal(
    toObservable(computed(() => ({ filter: filter(), attempt: attempt() }))).pipe(
      switchMap(({ filter: current }) => toLoadState(fetch(current))),
    ),
    { initialValue: LOADING as LoadState<P> },
  );
  const page = linkedSignal<LoadState<P>, P | null>({
    source: state,
    computation: (current, previous) =>
      current.status === 'ready' ? current.value : current.status === 'error' ? null : (previous?.value ?? null),
  });
  return {
    loading: computed(() => state().status === 'loading'),
    error: computed(() => {
      const current = state();
      return current.status === 'error' ? current.message : null;
    }),
    page,
    rows: computed(() => [...(page()?.items ?? [])]),
    reload: () => attempt.update((n) => n + 1),
  };
}
