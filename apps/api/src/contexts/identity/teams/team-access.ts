import { Injectable } from '@nestjs/common';
import { can, DomainError, TeamMemberRole } from '@sah/domain';
import { TeamMembershipStore } from '@sah/infrastructure';
import { isUUID } from 'class-validator';
import type { Principal } from '../../../platform/auth/principal';

export interface TeamReach {
  team: { id: string; name: string; createdAt: Date };
  /** The caller's role in the team; null for an administrator who is not a member. */
  role: TeamMemberRole | null;
  /** May invite, remove and change roles: the team's managers and administrators. */
  manages: boolean;
}

/**
 * What a caller may do in one team. Administrators reach every team; anyone else only the teams they
 * belong to, and a team they do not belong to is NOT_FOUND so its id cannot be probed.
 */
@Injectable()
export class TeamAccess {
  constructor(private readonly memberships: TeamMembershipStore) {}

  async reach(principal: Principal, teamId: string): Promise<TeamReach> {
    const team = isUUID(teamId) ? await this.memberships.team(teamId) : null;
    if (!team) throw DomainError.notFound('Team', { id: teamId });
    const admin = can(principal.role, 'teams:manage');
    const role = await this.memberships.roleOf(teamId, principal.userId);
    if (!role && !admin) throw DomainError.notFound('Team', { id: teamId });
    return { team, role, manages: admin || role === 'manager' };
  }

  async assertManages(principal: Principal, teamId: string): Promise<TeamReach> {
    const reach = await this.reach(principal, teamId);
    if (!reach.manages) throw new DomainError('FORBIDDEN', "Only the team's managers can do this", { reason: 'NOT_TEAM_MANAGER' });
    return reach;
  }
}
