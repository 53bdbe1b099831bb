import { Injectable } from '@nestjs/common';
import { assertManagerRemains, can, DomainError, TeamMemberRole } from '@sah/domain';
import { TeamMembershipStore, TeamWithRole } from '@sah/infrastructure';
import { isUUID } from 'class-validator';
import type { Principal } from '../../../platform/auth/principal';
import { AuditLog } from '../application/audit-log.service';
import { TeamAccess } from './team-access';

/** Membership changes by a team's managers (or administrators); a team always keeps one manager. */
@Injectable()
export class TeamMembers {
  constructor(
    private readonly memberships: TeamMembershipStore,
    private readonly access: TeamAccess,
    private readonly audit: AuditLog,
  ) {}

  async remove(principal: Principal, teamId: string, userId: string): Promise<void> {
    await this.access.assertManages(principal, teamId);
    assertMemberId(userId);
    const change = await this.memberships.change(teamId, userId, null, ({ managers }) => assertManagerRemains(managers, userId, null));
    await this.audit.record(principal.userId, 'team.member_removed', { targetType: 'team', targetId: teamId, details: { userId, role: change.previous } });
  }

  async setRole(principal: Principal, teamId: string, userId: string, role: TeamMemberRole): Promise<void> {
    await this.access.assertManages(principal, teamId);
    assertMemberId(userId);
    const change = await this.memberships.change(teamId, userId, role, ({ managers }) => assertManagerRemains(managers, userId, role));
    if (change.previous !== role) {
      await this.audit.record(principal.userId, 'team.member_role_changed', {
        targetType: 'team',
        targetId: teamId,
        details: { userId, from: change.previous, to: role },
      });
    }
  }

  /** Every team for administrators (with their own role where they belong), the caller's own otherwise. */
  teamsOf(principal: Principal): Promise<TeamWithRole[]> {
    return this.memberships.teamsOf(principal.userId, can(principal.role, 'teams:manage'));
  }
}

/** A malformed id names no member: NOT_FOUND, not a database error on the uuid column. */
function assertMemberId(userId: string): void {
  if (!isUUID(userId)) throw DomainError.notFound('Team member', { userId });
}
