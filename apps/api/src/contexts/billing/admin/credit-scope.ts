import { Injectable } from '@nestjs/common';
import { can, DomainError, isTeamScoped } from '@sah/domain';
import { isUUID } from 'class-validator';
import type { Principal } from '../../../platform/auth/principal';
import { TeamsService } from '../../identity/teams/teams.service';

/**
 * Whose credits a finance tool may touch. Administrators reach everyone; managers the members of
 * the teams they manage; users themselves (for reading only). Someone out of reach is NOT_FOUND,
 * as in identity, so ids cannot be probed.
 */
@Injectable()
export class CreditScope {
  constructor(private readonly teams: TeamsService) {}

  async assertMaySee(principal: Principal, userId: string): Promise<void> {
    // Some `userId` arguments are unchecked GraphQL IDs: a malformed one names nobody (not a database error).
    if (!isUUID(userId) || !(await this.teams.maySee(principal, userId))) throw DomainError.notFound('User', { userId });
  }

  /** Callers already hold `credits:adjust`; managers may not adjust their own account. */
  async mayAdjust(principal: Principal, userId: string): Promise<boolean> {
    if (isTeamScoped(principal.role) && principal.userId === userId) return false;
    return this.teams.maySee(principal, userId);
  }

  async assertMayAdjust(principal: Principal, userId: string): Promise<void> {
    if (isTeamScoped(principal.role) && principal.userId === userId) {
      throw new DomainError('FORBIDDEN', 'Managers cannot adjust their own credits: ask an administrator');
    }
    await this.assertMaySee(principal, userId);
  }

  /** Everyone whose transactions the principal may read: `null` means everyone. */
  visibleUserIds(principal: Principal): Promise<string[] | null> {
    return this.teams.visibleUserIds(principal);
  }

  /** The members of a team: any team for administrators, managed teams for managers. */
  async teamMemberIds(principal: Principal, teamId: string): Promise<string[]> {
    const members = await this.teams.members(teamId);
    const reach = can(principal.role, 'teams:manage')
      ? (await this.teams.list()).some((team) => team.id === teamId)
      : isTeamScoped(principal.role) && members.some((member) => member.userId === principal.userId && member.role === 'manager');
    if (!reach) throw DomainError.notFound('Team', { teamId });
    return members.map((member) => member.userId);
  }
}
