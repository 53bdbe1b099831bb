import { DomainError, TeamMemberRole } from '@sah/domain';
import { DataSource } from 'typeorm';
import { violatedConstraint } from '../constraint-violation';
import { TeamEntity, TeamMemberEntity } from './team.entity';

export class TeamRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(team: TeamEntity): Promise<void> {
    try {
      await this.dataSource.getRepository(TeamEntity).insert(team);
    } catch (error) {
      if (violatedConstraint(error) === 'uq_identity_team_name') {
        throw new DomainError('CONFLICT', 'A team with this name already exists', { field: 'name' });
      }
      throw error;
    }
  }

  findById(id: string): Promise<TeamEntity | null> {
    return this.dataSource.getRepository(TeamEntity).findOneBy({ id });
  }

  /** Adds or updates a membership (a member can be made a manager of the team and back). */
  async setMember(teamId: string, userId: string, role: TeamMemberRole): Promise<void> {
    await this.dataSource
      .getRepository(TeamMemberEntity)
      .upsert({ teamId, userId, role, addedAt: new Date() }, ['teamId', 'userId']);
  }

  members(teamId: string): Promise<TeamMemberEntity[]> {
    return this.dataSource.getRepository(TeamMemberEntity).find({ where: { teamId }, order: { addedAt: 'ASC' } });
  }

  list(): Promise<TeamEntity[]> {
    return this.dataSource.getRepository(TeamEntity).find({ order: { name: 'ASC' } });
  }

  /** (team, member) pairs: of every team, of the teams `managedBy` manages, or of `userId` alone. */
  async memberships(filter: { managedBy?: string; userId?: string } = {}): Promise<Array<{ teamId: string; userId: string }>> {
    const rows = (await this.dataSource.query(
      `SELECT member.team_id, member.user_id FROM identity_team_member member
        WHERE ($1::uuid IS NULL OR member.user_id = $1)
          AND ($2::uuid IS NULL OR EXISTS (
                SELECT 1 FROM identity_team_member manager
                 WHERE manager.team_id = member.team_id AND manager.user_id = $2 AND manager.role = 'manager'))`,
      [filter.userId ?? null, filter.managedBy ?? null],
    )) as Array<{ team_id: string; user_id: string }>;
    return rows.map((row) => ({ teamId: row.team_id, userId: row.user_id }));
  }

  /** Whether `managerId` manages a team that `userId` belongs to. */
  /** Everyone in the teams this user manages, the manager included. */
  async managedUserIds(managerId: string): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT member.user_id FROM identity_team_member manager
         JOIN identity_team_member member ON member.team_id = manager.team_id
        WHERE manager.user_id = $1 AND manager.role = 'manager'`,
      [managerId],
    )) as Array<{ user_id: string }>;
    return rows.map((row) => row.user_id);
  }

  async manages(managerId: string, userId: string): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `SELECT 1 FROM identity_team_member manager
         JOIN identity_team_member member ON member.team_id = manager.team_id
        WHERE manager.user_id = $1 AND manager.role = 'manager' AND member.user_id = $2
        LIMIT 1`,
      [managerId, userId],
    )) as unknown[];
    return rows.length > 0;
  }
}
