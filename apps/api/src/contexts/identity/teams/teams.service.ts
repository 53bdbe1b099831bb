import { Injectable } from '@nestjs/common';
import { can, DomainError, isTeamScoped, normalizeTeamName, TeamMemberRole, UserRepository } from '@sah/domain';
import { TeamEntity, TeamMemberEntity, TeamRepository } from '@sah/infrastructure';
import { isUUID } from 'class-validator';
import { randomUUID } from 'node:crypto';
import type { Principal } from '../../../platform/auth/principal';
import { AuditLog } from '../application/audit-log.service';

/** Teams give managers their scope: a manager sees and manages the members of teams they manage. */
@Injectable()
export class TeamsService {
  constructor(
    private readonly teams: TeamRepository,
    private readonly users: UserRepository,
    private readonly audit: AuditLog,
  ) {}

  async create(principal: Principal, name: string): Promise<TeamEntity> {
    const team: TeamEntity = { id: randomUUID(), name: normalizeTeamName(name), createdBy: principal.userId, createdAt: new Date() };
    await this.teams.create(team);
    await this.audit.record(principal.userId, 'team.created', { targetType: 'team', targetId: team.id, details: { name: team.name } });
    return team;
  }

  async addMember(principal: Principal, teamId: string, userId: string, role: TeamMemberRole): Promise<TeamEntity> {
    const team = await this.teams.findById(teamId);
    if (!team) throw DomainError.notFound('Team', { id: teamId });
    if (!(await this.users.findById(userId))) throw DomainError.notFound('User', { id: userId });
    await this.teams.setMember(teamId, userId, role);
    await this.audit.record(principal.userId, 'team.member_added', { targetType: 'team', targetId: teamId, details: { userId, role } });
    return team;
  }

  find(teamId: string): Promise<TeamEntity | null> {
    return this.teams.findById(teamId);
  }

  list(): Promise<TeamEntity[]> {
    return this.teams.list();
  }

  members(teamId: string): Promise<TeamMemberEntity[]> {
    return this.teams.members(teamId);
  }

  /**
   * The users whose data the principal may see across the board: `null` for everyone (admins), the
   * members of their teams for managers, themselves otherwise.
   */
  async visibleUserIds(principal: Principal): Promise<string[] | null> {
    if (can(principal.role, 'users:manage')) return null;
    if (!isTeamScoped(principal.role)) return [principal.userId];
    return [...new Set([principal.userId, ...(await this.teams.managedUserIds(principal.userId))])];
  }

  /**
   * The team memberships the principal may see, for per-team reports: every team's for admins, the
   * managed teams' for managers, their own otherwise.
   */
  visibleMemberships(principal: Principal): Promise<Array<{ teamId: string; userId: string }>> {
    if (can(principal.role, 'users:manage')) return this.teams.memberships();
    if (isTeamScoped(principal.role)) return this.teams.memberships({ managedBy: principal.userId });
    return this.teams.memberships({ userId: principal.userId });
  }

  /**
   * Whether the principal may see this user: themselves, anyone for admins, team members for managers.
   * A malformed id (GraphQL IDs and query strings arrive unchecked) names no one anybody may see, so
   * callers answer "not found" instead of passing it on to a uuid column.
   */
  async maySee(principal: Principal, userId: string): Promise<boolean> {
    if (!isUUID(userId)) return false;
    if (principal.userId === userId || can(principal.role, 'users:manage')) return true;
    return isTeamScoped(principal.role) && this.teams.manages(principal.userId, userId);
  }
}
