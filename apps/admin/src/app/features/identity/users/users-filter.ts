import { isRole } from '@sah/domain';

import { optionalText, parsePage, parsePageSize } from '../../../shared/data/query-params';
import { USER_STATUSES, type UserStatus, type UsersFilter } from '../data-access/identity.types';

export const USER_PAGE_SIZES: readonly number[] = [10, 20, 50, 100];
export const DEFAULT_USERS_PER_PAGE = 20;
/** The API refuses longer searches. */
export const USERS_SEARCH_MAX_LENGTH = 100;

/** The users page's query string, as bound to its inputs. */
export interface UsersQueryParams {
  readonly search?: string;
  readonly role?: string;
  readonly status?: string;
  readonly page?: string;
  readonly perPage?: string;
}

/** Query string → `UsersFilterInput`: unknown roles, statuses and page sizes are dropped. */
export function toUsersFilter(params: UsersQueryParams): UsersFilter {
  const search = optionalText(params.search?.slice(0, USERS_SEARCH_MAX_LENGTH));
  const role = params.role && isRole(params.role) ? params.role : undefined;
  const status = USER_STATUSES.find((value): value is UserStatus => value === params.status);
  return {
    ...(search ? { search } : {}),
    ...(role ? { role } : {}),
    ...(status ? { status } : {}),
    page: parsePage(params.page),
    perPage: parsePageSize(params.perPage, USER_PAGE_SIZES, DEFAULT_USERS_PER_PAGE),
  };
}
