import type { ErrorLike } from '@apollo/client';
import { map, type OperatorFunction } from 'rxjs';

/**
 * Apollo can deliver an error inside a result (always for subscriptions) instead of failing the
 * stream; this folds both into one error path so pages handle failures in one place.
 */
export function requireData<T>(): OperatorFunction<
  { readonly data?: T | undefined; readonly error?: ErrorLike },
  T
> {
  return map((result) => {
    if (result.error) throw result.error;
    if (result.data == null) throw new Error('The server returned no data');
    return result.data;
  });
}
