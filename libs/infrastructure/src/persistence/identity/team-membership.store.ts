import { DomainError, TeamMemberRole } from '@sah/domain';
import { DataSource } from 'typeorm';

export interface TeamWithRole {
  id: string;
  name: string;
  createdAt: Date;
  /** The user's role in the team; null where they are not a member. */
  role: TeamMemberRole | null;
}

export interface MemberChange {
  /** The team's managers before the change. */
  managers: string[];
  /** The member's role before the change. */
  previous: TeamMemberRole;
}

/**
 * Membership changes made by a team's managers. Each runs under a lock on the team's row, so two
 * managers demoting each other at once cannot leave the team without one.
 */
export class TeamMembershipStore {
  constructor(private readonly dataSource: DataSource) {}

  async team(teamId: string): Promise<{ id: string; name: string; createdAt: Date } | null> {
    const rows = (await this.dataSource.query(`SELECT id, name, created_at FROM identity_team WHERE id = $1`, [teamId])) as Array<{
      id: string;
      name: string;
      created_at: Date;
    }>;
    return rows[0] ? { id: rows[0].id, name: rows[0].name, createdAt: rows[0].created_at } : null;
  }

  async roleOf(teamId: string, userId: string): Promise<TeamMemberRole | null> {
    const rows = (await this.dataSource.query(`SELECT role FROM identity_team_member WHERE team_id = $1 AND user_id = $2`, [teamId, userId])) as Array<{
      role: TeamMemberRole;
    }>;
    return rows[0]?.role ?? null;
  }

  async memberIds(teamId: string): Promise<string[]> {
    const rows = (await this.dataSource.query(`SELECT user_id FROM identity_team_member WHERE team_id = $1`, [teamId])) as Array<{ user_id: string }>;
    return rows.map((row) => row.user_id);
  }

  async managerIds(teamId: string): Promise<string[]> {
    const rows = (await this.dataSource.query(`SELECT user_id FROM identity_team_member WHERE team_id = $1 AND role = 'manager'`, [teamId])) as Array<{
      user_id: string;
    }>;
    return rows.map((row) => row.user_id);
  }

  /** The teams the user belongs to (or every team, `all`), by name, with the user's role in each (null where not a member). */
  async teamsOf(userId: string, all: boolean): Promise<TeamWithRole[]> {
    const rows = (await this.dataSource.query(
      `SELECT t.id, t.name, t.created_at, m.role FROM identity_team t
         ${all ? 'LEFT' : ''} JOIN identity_team_member m ON m.team_id = t.id AND m.user_id = $1
        ORDER BY lower(t.name)`,
      [userId],
    )) as Array<{ id: string; name: string; created_at: Date; role: TeamMemberRole | null }>;
    return rows.map((row) => ({ id: row.id, name: row.name, createdAt: row.created_at, role: row.role }));
  }

  /**
   * Sets the member's role, or removes them with `role` null. `check` sees the managers and the
   * member's current role under the lock and may refuse. A user who is not a member is NOT_FOUND.
   */
  async change(teamId: string, userId: string, role: TeamMemberRole | null, check: (change: MemberChange) => void): Promise<MemberChange> {
    return this.dataSource.transaction(async (manager) => {
      const team = (await manager.query(`SELECT id FROM identity_team WHERE id = $1 FOR UPDATE`, [teamId])) as unknown[];
      if (team.length === 0) throw DomainError.notFound('Team', { id: teamId });
      const members = (await manager.query(`SELECT user_id, role FROM identity_team_member WHERE team_id = $1`, [teamId])) as Array<{
        user_id: string;
        role: TeamMemberRole;
      }>;
      const member = members.find((row) => row.user_id === userId);
      if (!member) throw DomainError.notFound('Team member', { userId });
      const change = { managers: members.filter((row) => row.role === 'manager').map((row) => row.user_id), previous: member.role };
      check(change);
      if (role === null) {
        await manager.query(`DELETE FROM identity_team_member WHERE team_id = $1 AND user_id = $2`, [teamId, userId]);
      } else {
        await manager.query(`UPDATE identity_team_member SET role = $3 WHERE team_id = $1 AND user_id = $2`, [teamId, userId, role]);
      }
      return change;
    });
  }
}
