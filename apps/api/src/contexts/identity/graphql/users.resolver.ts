import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { DomainError, isTeamScoped } from '@sah/domain';
import { UserDirectoryQuery } from '@sah/infrastructure';
import { CurrentPrincipal, RequirePermission } from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { UserAdminService } from '../application/user-admin.service';
import { TeamsService } from '../teams/teams.service';
import { AssignRoleInput, UsersFilterInput } from './identity.inputs';
import { PageInfoObject, UserObject, UserPageObject } from './user.object';

/**
 * Reading accounts (`users:read`: administrators see everyone, managers the members of the teams
 * they manage) and changing them (administrators). A user outside the caller's reach is NOT_FOUND.
 */
@Resolver()
export class UsersResolver {
  constructor(
    private readonly directory: UserDirectoryQuery,
    private readonly admin: UserAdminService,
    private readonly teams: TeamsService,
  ) {}

  @Query(() => UserPageObject)
  @RequirePermission('users:read')
  async users(
    @CurrentPrincipal() principal: Principal,
    @Args('filter', { nullable: true }) filter?: UsersFilterInput,
  ): Promise<UserPageObject> {
    const query = {
      ...filter,
      page: filter?.page ?? 1,
      perPage: filter?.perPage ?? 20,
      managedBy: isTeamScoped(principal.role) ? principal.userId : undefined,
    };
    const { items, total } = await this.directory.list(query);
    return Object.assign(new UserPageObject(), {
      items: items.map(UserObject.fromRow),
      pageInfo: PageInfoObject.of(query.page, query.perPage, total),
    });
  }

  @Query(() => UserObject)
  @RequirePermission('users:read')
  async user(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }) id: string): Promise<UserObject> {
    if (!(await this.teams.maySee(principal, id))) throw DomainError.notFound('User', { id });
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
    return UserObject.fromDomain(await this.admin.setSuspended(principal, id, suspended));
  }
}
