import { Injectable } from '@nestjs/common';
import { can, DomainError } from '@sah/domain';
import { isUUID } from 'class-validator';
import type { Principal } from '../../../platform/auth/principal';
import { TeamsService } from '../../identity/teams/teams.service';

/** What the principal may do with one team's wallet. */
export interface TeamWalletReach {
  teamId: string;
  /** Administrators: any team, adjustments included. */
  admin: boolean;
  /** Administrators and the team's managers: transfers in, limits. */
  manages: boolean;
  memberIds: string[];
}

/**
 * Who reaches a team's wallet: its members (read), its managers (transfers in, limits) and
 * administrators (everything, adjustments included). Anyone else is told the team does not exist, so
 * team ids cannot be probed.
 */
@Injectable()
export class TeamWalletAccess {
  constructor(private readonly teams: TeamsService) {}

  async reach(principal: Principal, teamId: string): Promise<TeamWalletReach> {
    const notFound = DomainError.notFound('Team', { teamId });
    if (!isUUID(teamId)) throw notFound;
    const members = await this.teams.members(teamId);
    const admin = can(principal.role, 'teams:manage');
    const mine = members.find((member) => member.userId === principal.userId);
    if (admin ? !(await this.teams.list()).some((team) => team.id === teamId) : !mine) throw notFound;
    return { teamId, admin, manages: admin || mine?.role === 'manager', memberIds: members.map((member) => member.userId) };
  }

  async mustManage(principal: Principal, teamId: string): Promise<TeamWalletReach> {
    const reach = await this.reach(principal, teamId);
    if (!reach.manages) throw new DomainError('FORBIDDEN', "Only the team's managers and administrators may do this", { teamId });
    return reach;
  }
}
