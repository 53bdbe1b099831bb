import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { DomainError, UserRepository } from '@sah/domain';
import { TeamInvitationStore, TeamMembershipStore } from '@sah/infrastructure';
import { CurrentPrincipal } from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { TeamObject, TeamMemberObject } from './team.object';
import { TeamAccess } from './team-access';
import { TeamInvitations } from './team-invitations.service';
import { TeamMembers } from './team-members.service';
import { InviteTeamMemberInput, RemoveTeamMemberInput, SetTeamMemberRoleInput, TeamInvitationObject, TeamSeatsObject } from './team-membership.graphql';
import { TeamSeats } from './team-seats';

/** Invitation tokens are 43 characters; anything far longer is not one. */
const MAX_TOKEN_LENGTH = 200;

/** Membership by the teams' own managers: invitations, removal, roles. Signed-in users only (no API keys). */
@Resolver(() => TeamObject)
export class TeamMembershipResolver {
  constructor(
    private readonly teamInvitations: TeamInvitations,
    private readonly members: TeamMembers,
    private readonly access: TeamAccess,
    private readonly memberships: TeamMembershipStore,
    private readonly invitationStore: TeamInvitationStore,
    private readonly seatsOfTeams: TeamSeats,
  ) {}

  @Query(() => [TeamObject], { description: 'Your teams; administrators see every team' })
  async teams(@CurrentPrincipal() principal: Principal): Promise<TeamObject[]> {
    return (await this.members.teamsOf(principal)).map((team) => TeamObject.fromRow({ ...team, createdBy: null }));
  }

  @Query(() => TeamObject, { description: 'A team you belong to (administrators: any team)' })
  async team(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }) id: string): Promise<TeamObject> {
    return TeamObject.fromRow({ ...(await this.access.reach(principal, id)).team, createdBy: null });
  }

  @ResolveField(() => String, { nullable: true, description: 'Your role in the team: "member", "manager", or null if you are not a member' })
  myRole(@CurrentPrincipal() principal: Principal, @Parent() team: TeamObject): Promise<string | null> {
    return this.memberships.roleOf(team.id, principal.userId);
  }

  @ResolveField(() => [TeamInvitationObject], { nullable: true, description: 'Pending invitations; null unless you manage the team' })
  async invitations(@CurrentPrincipal() principal: Principal, @Parent() team: TeamObject): Promise<TeamInvitationObject[] | null> {
    if (!(await this.access.reach(principal, team.id)).manages) return null;
    const now = new Date();
    return (await this.invitationStore.pending(team.id)).map((invitation) => TeamInvitationObject.from(invitation, now));
  }

  @ResolveField(() => TeamSeatsObject, { nullable: true, description: "The team's seats; null when no manager's plan limits them, or unless you manage the team" })
  async seats(@CurrentPrincipal() principal: Principal, @Parent() team: TeamObject): Promise<TeamSeatsObject | null> {
    if (!(await this.access.reach(principal, team.id)).manages) return null;
    return this.seatsOfTeams.usage(team.id);
  }

  @Mutation(() => TeamInvitationObject, { description: "Mails an invitation link (team managers and administrators); it works once, for that address's account" })
  async inviteTeamMember(@CurrentPrincipal() principal: Principal, @Args('input') input: InviteTeamMemberInput): Promise<TeamInvitationObject> {
    return TeamInvitationObject.from(await this.teamInvitations.invite(principal, input.teamId, input.email, input.role ?? 'member'));
  }

  @Mutation(() => TeamInvitationObject)
  async revokeTeamInvitation(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }) id: string): Promise<TeamInvitationObject> {
    return TeamInvitationObject.from(await this.teamInvitations.revoke(principal, id));
  }

  @Mutation(() => TeamObject, { description: 'Joins the team an invitation link names; only as the invited address' })
  async acceptTeamInvitation(@CurrentPrincipal() principal: Principal, @Args('token') token: string): Promise<TeamObject> {
    if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) throw DomainError.badInput('This is not an invitation token', { field: 'token' });
    const invitation = await this.teamInvitations.accept(principal, token);
    return TeamObject.fromRow({ ...(await this.access.reach(principal, invitation.teamId)).team, createdBy: null });
  }

  @Mutation(() => Boolean, { description: 'Removes a member, yourself included (team managers and administrators); the last manager stays' })
  async removeTeamMember(@CurrentPrincipal() principal: Principal, @Args('input') input: RemoveTeamMemberInput): Promise<boolean> {
    await this.members.remove(principal, input.teamId, input.userId);
    return true;
  }

  @Mutation(() => TeamObject, { description: 'Makes a member a manager or back (team managers and administrators); the last manager stays' })
  async setTeamMemberRole(@CurrentPrincipal() principal: Principal, @Args('input') input: SetTeamMemberRoleInput): Promise<TeamObject> {
    await this.members.setRole(principal, input.teamId, input.userId, input.role);
    return TeamObject.fromRow({ ...(await this.access.reach(principal, input.teamId)).team, createdBy: null });
  }
}

/** Who a member is, for the team's own pages. */
@Resolver(() => TeamMemberObject)
export class TeamMemberFieldsResolver {
  constructor(private readonly users: UserRepository) {}

  @ResolveField(() => String, { nullable: true })
  async email(@Parent() member: TeamMemberObject): Promise<string | null> {
    return (await this.users.findById(member.userId))?.email.value ?? null;
  }

  @ResolveField(() => String, { nullable: true })
  async name(@Parent() member: TeamMemberObject): Promise<string | null> {
    return (await this.users.findById(member.userId))?.name ?? null;
  }
}
