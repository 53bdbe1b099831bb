/**
 * List pages keep their filters in the query string (shareable, survive a trip to a detail page and
 * back). These read them defensively: a hand-edited URL must not turn into an invalid API request.
 */

/** A 1-based page number; anything else is page 1. */
export function parsePage(value: string | undefined): number {
  const page = Number(value);
  return Number.isSafeInteger(page) && page >= 1 ? page : 1;
}

/** A paged list's page sizes, as its paginator offers them, and the one used without `perPage`. */
export interface ListPaging {
  readonly pageSizes: readonly number[];
  readonly defaultPerPage: number;
}

/** One of the page sizes the paginator offers; anything else is the default. */
export function parsePageSize(value: string | undefined, paging: ListPaging): number {
  const size = Number(value);
  return paging.pageSizes.includes(size) ? size : paging.defaultPerPage;
}

/** A trimmed, non-empty string, or undefined (so the field is left out of the request). */
export function optionalText(value: string | undefined): string | undefined {
  const text = value?.trim();
  return text ? text : undefined;
}

/** Value equality for small plain filter objects, so an unchanged filter does not refetch. */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Text filters wait for a pause in typing rather than querying on every key. */
export const SEARCH_DEBOUNCE_MS = 300;
