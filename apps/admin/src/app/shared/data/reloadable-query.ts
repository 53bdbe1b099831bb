import { computed, linkedSignal, signal, type Signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { switchMap, type Observable } from 'rxjs';

import { LOADING, toLoadState, type LoadState } from './load-state';

export interface ReloadableQuery<T> {
  /** The last value received: it stays on screen while a reload runs; null before the first and after an error. */
  readonly value: Signal<T | null>;
  readonly loading: Signal<boolean>;
  readonly error: Signal<string | null>;
  /** Subscribes to the source again (after a change, or to retry after an error). */
  reload(): void;
}

const NO_FILTER = signal(null).asReadonly();

/**
 * An unpaged query a page reloads after its own changes; the source may emit more than once (a
 * poll). Call from an injection context (a component field initialiser).
 */
export function reloadableQuery<T>(source: () => Observable<T>): ReloadableQuery<T> {
  return filteredQuery(NO_FILTER, () => source());
}

/**
 * The same, driven by a filter signal: fetches again whenever the filter changes, cancelling the
 * request in flight.
 */
export function filteredQuery<F, T>(filter: Signal<F>, fetch: (filter: F) => Observable<T>): ReloadableQuery<T> {
  const attempt = signal(0);
  const state = toSignal(
    toObservable(computed(() => ({ filter: filter(), attempt: attempt() }))).pipe(
      switchMap(({ filter: current }) => toLoadState(fetch(current))),
    ),
    { initialValue: LOADING as LoadState<T> },
  );
  const value = linkedSignal<LoadState<T>, T | null>({
    source: state,
    computation: (current, previous) =>
      current.status === 'ready' ? current.value : current.status === 'error' ? null : (previous?.value ?? null),
  });
  return {
    value,
    loading: computed(() => state().status === 'loading'),
    error: computed(() => {
      const current = state();
      return current.status === 'error' ? current.message : null;
    }),
    reload: () => attempt.update((n) => n + 1),
  };
}
