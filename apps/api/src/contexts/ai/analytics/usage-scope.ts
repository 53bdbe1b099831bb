import { Injectable } from '@nestjs/common';
import { can, DomainError } from '@sah/domain';
import { TeamMembershipStore } from '@sah/infrastructure';
import type { Principal } from '../../../platform/auth/principal';
import { TeamAccess } from '../../identity/teams/team-access';
import { TeamsService } from '../../identity/teams/teams.service';

export interface UsageReach {
  /** Whose calls count; `null` means everyone's. */
  userIds: string[] | null;
  /** For per-team figures: the visible teams and their members. */
  memberships: Array<{ teamId: string; userId: string }>;
}

/**
 * Whose usage a caller may read, following identity's rules: administrators everyone's, managers
 * their teams' (and their own), everyone else their own. A user or team out of reach is NOT_FOUND,
 * so ids cannot be probed.
 */
@Injectable()
export class UsageScope {
  constructor(
    private readonly teams: TeamsService,
    private readonly teamAccess: TeamAccess,
    private readonly memberships: TeamMembershipStore,
  ) {}

  /**
   * Usage per member of one team: for that team's managers and administrators only (whatever the
   * caller's account role); its other members are refused, other teams are NOT_FOUND.
   */
  async teamMembers(principal: Principal, teamId: string | undefined, userId: string | undefined): Promise<UsageReach> {
    if (!teamId) throw DomainError.badInput('Grouping by member needs a teamId', { field: 'teamId' });
    await this.teamAccess.assertManages(principal, teamId);
    const members = await this.memberships.memberIds(teamId);
    if (userId && !members.includes(userId)) throw DomainError.notFound('Team member', { userId });
    return { userIds: userId ? [userId] : members, memberships: [] };
  }

  async reach(principal: Principal, filter: { userId?: string; teamId?: string; perTeam: boolean }): Promise<UsageReach> {
    let userIds = await this.teams.visibleUserIds(principal);
    if (filter.userId) {
      if (!(await this.teams.maySee(principal, filter.userId))) throw DomainError.notFound('User', { userId: filter.userId });
      userIds = [filter.userId];
    }
    if (!filter.teamId && !filter.perTeam) return { userIds, memberships: [] };

    let memberships = await this.teams.visibleMemberships(principal);
    if (filter.teamId) {
      const teamId = filter.teamId;
      memberships = memberships.filter((membership) => membership.teamId === teamId);
      // An empty team is visible to administrators; for anyone else no membership means no reach.
      const reachable = memberships.length > 0 || (can(principal.role, 'users:manage') && (await this.teams.list()).some((team) => team.id === teamId));
      if (!reachable) throw DomainError.notFound('Team', { teamId });
      const members = new Set(memberships.map((membership) => membership.userId));
      userIds = (userIds ?? [...members]).filter((userId) => members.has(userId));
    }
    return { userIds, memberships };
  }
}
