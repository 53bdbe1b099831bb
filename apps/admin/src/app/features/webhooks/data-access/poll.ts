import { EMPTY, expand, switchMap, timer, type Observable } from 'rxjs';

/**
 * Fetches, then fetches again every `everyMs` while the answer is still settling (a delivery on its
 * way): the page follows the worker without a refresh button. Each answer is emitted; an error ends it.
 */
export function pollWhile<T>(
  fetch: () => Observable<T>,
  settling: (value: T) => boolean,
  everyMs: number,
): Observable<T> {
  return fetch().pipe(expand((value) => (settling(value) ? timer(everyMs).pipe(switchMap(fetch)) : EMPTY)));
}
