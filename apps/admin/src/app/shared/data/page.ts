import type { PageInfoFieldsFragment } from '../../core/graphql/operations.generated';

/** Where a server-paged list stands (`PageInfo`: 1-based page). */
export type PageInfo = PageInfoFieldsFragment;

/** One page of a server-paged list, as every paged query of the API answers. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly pageInfo: PageInfo;
}
