import { Global, Module } from '@nestjs/common';
import { TeamInvitationStore, TeamMembershipStore } from '@sah/infrastructure';
import { repositoryProvider } from '../../../platform/database/database.module';
import { TeamAccess } from './team-access';
import { TeamInvitationMails } from './team-invitation-mails';
import { TeamInvitations } from './team-invitations.service';
import { TeamMembers } from './team-members.service';
import { TeamMemberFieldsResolver, TeamMembershipResolver } from './team-membership.resolver';
import { TeamSeats } from './team-seats';

/**
 * Team membership run by the teams' managers: invitations by e-mail, removal, roles. Part of the
 * identity context (imported by IdentityModule, whose exports it uses); the mail renderer must be
 * registered wherever mail workers run, so it is in the worker process too. Global: the usage
 * reports ask it who manages a team, and the plans tell it how many seats a team has.
 */
@Global()
@Module({
  providers: [
    repositoryProvider(TeamInvitationStore, (dataSource) => new TeamInvitationStore(dataSource)),
    repositoryProvider(TeamMembershipStore, (dataSource) => new TeamMembershipStore(dataSource)),
    TeamAccess,
    TeamSeats,
    TeamInvitations,
    TeamMembers,
    TeamInvitationMails,
    TeamMembershipResolver,
    TeamMemberFieldsResolver,
  ],
  exports: [TeamAccess, TeamMembershipStore, TeamSeats],
})
export class TeamMembershipModule {}
