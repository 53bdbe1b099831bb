import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { DomainError } from '@sah/domain';
import { UserDirectoryQuery } from '@sah/infrastructure';
import { isUUID } from 'class-validator';
import { CurrentPrincipal, RequirePermission } from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { UserAdminService } from '../application/user-admin.service';
import { AssignRoleInput, UsersFilterInput } from './identity.inputs';
import { PageInfoObject, UserObject, UserPageObject } from './user.object';

/**
 * Administration of other accounts. Managers will see their teams here once teams exist; until then
 * these operations are for administrators (`users:manage`).
 */
@Resolver()
export class UsersResolver {
  constructor(
    private readonly directory: UserDirectoryQuery,
    private readonly admin: UserAdminService,
  ) {}

  @Query(() => UserPageObject)
  @RequirePermission('users:manage')
  async users(@Args('filter', { nullable: true }) filter?: UsersFilterInput): Promise<UserPageObject> {
    const query = { ...filter, page: filter?.page ?? 1, perPage: filter?.perPage ?? 20 };
    const { items, total } = await this.directory.list(query);
    return Object.assign(new UserPageObject(), {
      items: items.map(UserObject.fromRow),
      pageInfo: PageInfoObject.of(query.page, query.perPage, total),
    });
  }

  @Query(() => UserObject)
  @RequirePermission('users:manage')
  async user(@Args('id', { type: () => ID }) id: string): Promise<UserObject> {
    assertUuid(id);
    return UserObject.fromDomain(await this.admin.get(id));
  }

  @Mutation(() => UserObject)
  @RequirePermission('roles:assign')
  async assignRole(@CurrentPrincipal() principal: Principal, @Args('input') input: AssignRoleInput): Promise<UserObject> {
    return UserObject.fromDomain(await this.admin.assignRole(principal, input.userId, input.role));
  }

  @Mutation(() => UserObject)
  @RequirePermission('users:manage')
  async setUserSuspended(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
    @Args('suspended') suspended: boolean,
  ): Promise<UserObject> {
    assertUuid(id);
    return UserObject.fromDomain(await this.admin.setSuspended(principal, id, suspended));
  }
}

/** A malformed id cannot name a user: same answer as an unknown one. */
function assertUuid(id: string): void {
  if (!isUUID(id)) throw DomainError.notFound('User', { id });
}
