import { isRole } from '@sah/domain';

import { ROLE_LABELS } from '../../../core/auth/roles';
import type { ListPageSpec, Unpaged } from '../../../shared/data/list-page';
import { optionalText } from '../../../shared/data/query-params';
import { choiceField, searchField, type FilterField } from '../../../shared/ui/filter-bar/filter-fields';
import { USER_STATUSES, type UserStatus, type UsersFilter } from '../data-access/identity.types';
import { USER_STATUS_LABELS } from '../ui/user-status';

/** The API refuses longer searches. */
export const USERS_SEARCH_MAX_LENGTH = 100;

const USERS_FILTER_FIELDS: readonly FilterField[] = [
  searchField('Name or e-mail', USERS_SEARCH_MAX_LENGTH, 'users-search'),
  choiceField('role', 'Role', ROLE_LABELS, 'users-role-filter'),
  choiceField('status', 'Status', USER_STATUS_LABELS, 'users-status-filter'),
];

/** The users page's query string, as bound to its inputs. */
export interface UsersQueryParams {
  readonly search?: string;
  readonly role?: string;
  readonly status?: string;
  readonly page?: string;
  readonly perPage?: string;
}

/** Query string → `UsersFilterInput`: unknown roles and statuses are dropped (paging: `listPage`). */
export function toUsersFilter(params: UsersQueryParams): Unpaged<UsersFilter> {
  const search = optionalText(params.search?.slice(0, USERS_SEARCH_MAX_LENGTH));
  const role = params.role && isRole(params.role) ? params.role : undefined;
  const status = USER_STATUSES.find((value): value is UserStatus => value === params.status);
  return {
    ...(search ? { search } : {}),
    ...(role ? { role } : {}),
    ...(status ? { status } : {}),
  };
}

/** The users page: paging, filter fields and query string (`listPage`). */
export const USERS_LIST: ListPageSpec<UsersFilter> = {
  pageSizes: [10, 20, 50, 100],
  defaultPerPage: 20,
  fields: USERS_FILTER_FIELDS,
  parse: toUsersFilter,
};
