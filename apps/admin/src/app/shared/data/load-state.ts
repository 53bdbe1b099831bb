import { catchError, map, of, startWith, type Observable } from 'rxjs';

import { toAppError } from '../../core/graphql/graphql-errors';

/** The three states every data-backed page renders. */
export type LoadState<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly value: T }
  | { readonly status: 'error'; readonly message: string };

export const LOADING: LoadState<never> = { status: 'loading' };

/** Wraps a data stream so templates can switch on `status` instead of juggling three signals. */
export function toLoadState<T>(source: Observable<T>): Observable<LoadState<T>> {
  return source.pipe(
    map((value): LoadState<T> => ({ status: 'ready', value })),
    startWith(LOADING),
    catchError((error: unknown) => of<LoadState<T>>({ status: 'error', message: toAppError(error).message })),
  );
}
