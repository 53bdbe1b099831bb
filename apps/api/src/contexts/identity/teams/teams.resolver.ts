import { Args, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, RequirePermission } from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { AddTeamMemberInput, CreateTeamInput, TeamMemberObject, TeamObject } from './team.object';
import { TeamsService } from './teams.service';

@Resolver(() => TeamObject)
export class TeamsResolver {
  constructor(private readonly teamsService: TeamsService) {}

  @Mutation(() => TeamObject)
  @RequirePermission('teams:manage')
  async createTeam(@CurrentPrincipal() principal: Principal, @Args('input') input: CreateTeamInput): Promise<TeamObject> {
    return TeamObject.fromRow(await this.teamsService.create(principal, input.name));
  }

  @Mutation(() => TeamObject)
  @RequirePermission('teams:manage')
  async addTeamMember(@CurrentPrincipal() principal: Principal, @Args('input') input: AddTeamMemberInput): Promise<TeamObject> {
    return TeamObject.fromRow(await this.teamsService.addMember(principal, input.teamId, input.userId, input.role ?? 'member'));
  }

  @ResolveField(() => [TeamMemberObject])
  async members(@Parent() team: TeamObject): Promise<TeamMemberObject[]> {
    return (await this.teamsService.members(team.id)).map((m) =>
      Object.assign(new TeamMemberObject(), { userId: m.userId, role: m.role, addedAt: m.addedAt }),
    );
  }
}
