import { DomainError, TeamInvitationStatus, TeamMemberRole, TeamOccupancy } from '@sah/domain';
import { DataSource, EntityManager } from 'typeorm';
import { violatedConstraint } from '../constraint-violation';

/** Refuses (throws) when the team, as counted under its lock, has no seat for one more person. */
export type SeatCheck = (occupancy: TeamOccupancy) => void;

export interface TeamInvitation {
  id: string;
  teamId: string;
  email: string;
  role: TeamMemberRole;
  status: TeamInvitationStatus;
  invitedBy: string | null;
  createdAt: Date;
  expiresAt: Date;
  acceptedBy: string | null;
  finishedAt: Date | null;
}

interface Row {
  id: string;
  team_id: string;
  email: string;
  role: TeamMemberRole;
  status: TeamInvitationStatus;
  invited_by: string | null;
  created_at: Date;
  expires_at: Date;
  accepted_by: string | null;
  finished_at: Date | null;
}

const COLUMNS = 'id, team_id, email, role, status, invited_by, created_at, expires_at, accepted_by, finished_at';
const toInvitation = (row: Row): TeamInvitation => ({
  id: row.id,
  teamId: row.team_id,
  email: row.email,
  role: row.role,
  status: row.status,
  invitedBy: row.invited_by,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  acceptedBy: row.accepted_by,
  finishedAt: row.finished_at,
});

/** Team invitations. Callers check the team's reach before acting on an invitation found by id. */
export class TeamInvitationStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * A new pending invitation and the event that mails it; one already pending for the address in this
   * team is a CONFLICT (an expired one is closed first). `seats` sees the team counted under its lock,
   * so concurrent invitations cannot take more seats than there are.
   */
  async create(invitation: Omit<TeamInvitation, 'status' | 'acceptedBy' | 'finishedAt'>, seats: SeatCheck): Promise<TeamInvitation> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE identity_team_invitation SET status = 'expired', finished_at = $3
          WHERE team_id = $1 AND email = $2 AND status = 'pending' AND expires_at <= $3`,
        [invitation.teamId, invitation.email, invitation.createdAt],
      );
      const occupancy = await lockedOccupancy(manager, invitation.teamId, invitation.createdAt);
      // Under the lock, an address already invited is told so, whether or not a seat is free.
      const live = (await manager.query(`SELECT 1 FROM identity_team_invitation WHERE team_id = $1 AND email = $2 AND status = 'pending'`, [
        invitation.teamId,
        invitation.email,
      ])) as unknown[];
      if (live.length > 0) throw alreadyInvited();
      seats(occupancy);
      try {
        const rows = (await manager.query(
          `INSERT INTO identity_team_invitation (id, team_id, email, role, invited_by, created_at, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
          [invitation.id, invitation.teamId, invitation.email, invitation.role, invitation.invitedBy, invitation.createdAt, invitation.expiresAt],
        )) as Row[];
        // The invitation mail follows from this event, stored with the invitation.
        await manager.query(`INSERT INTO outbox_event (type, payload, occurred_at) VALUES ('identity.team_invitation_created', $1::jsonb, $2)`, [
          JSON.stringify({ invitationId: invitation.id, teamId: invitation.teamId }),
          invitation.createdAt,
        ]);
        return toInvitation(rows[0]);
      } catch (error) {
        if (violatedConstraint(error) === 'uq_identity_team_invitation_pending') throw alreadyInvited();
        throw error;
      }
    });
  }

  /** Gives a pending, unexpired invitation a new link token (the previous link stops working); null otherwise. */
  async issueToken(id: string, tokenHash: string, now: Date): Promise<TeamInvitation | null> {
    const [rows] = (await this.dataSource.query(
      `UPDATE identity_team_invitation SET token_hash = $2 WHERE id = $1 AND status = 'pending' AND expires_at > $3 RETURNING ${COLUMNS}`,
      [id, tokenHash, now],
    )) as [Row[], number];
    return rows[0] ? toInvitation(rows[0]) : null;
  }

  /** How the team's seats are taken now (for display: checks count under the team's lock). */
  occupancy(teamId: string, now: Date): Promise<TeamOccupancy> {
    return occupancyOf(this.dataSource, teamId, now);
  }

  /** The team of the invitation a link's token names, if any. */
  async teamOfToken(tokenHash: string): Promise<string | null> {
    const rows = (await this.dataSource.query(`SELECT team_id FROM identity_team_invitation WHERE token_hash = $1`, [tokenHash])) as Array<{ team_id: string }>;
    return rows[0]?.team_id ?? null;
  }

  async findById(id: string): Promise<TeamInvitation | null> {
    const rows = (await this.dataSource.query(`SELECT ${COLUMNS} FROM identity_team_invitation WHERE id = $1`, [id])) as Row[];
    return rows[0] ? toInvitation(rows[0]) : null;
  }

  /** The team's pending invitations, expired ones included until a new one replaces them, newest first. */
  async pending(teamId: string): Promise<TeamInvitation[]> {
    const rows = (await this.dataSource.query(
      `SELECT ${COLUMNS} FROM identity_team_invitation WHERE team_id = $1 AND status = 'pending' ORDER BY created_at DESC, id`,
      [teamId],
    )) as Row[];
    return rows.map(toInvitation);
  }

  /** Revokes a pending invitation; null when it is no longer pending (used or revoked already). */
  async revoke(id: string, now: Date): Promise<TeamInvitation | null> {
    const [rows] = (await this.dataSource.query(
      `UPDATE identity_team_invitation SET status = 'revoked', finished_at = $2
        WHERE id = $1 AND status = 'pending' RETURNING ${COLUMNS}`,
      [id, now],
    )) as [Row[], number];
    return rows[0] ? toInvitation(rows[0]) : null;
  }

  /**
   * Accepts the invitation the token names, once: the row is locked, `check` may refuse it (wrong
   * account, used, revoked, expired), then the membership is added and the invitation closed in the
   * same transaction, so two acceptances of one link cannot both succeed. Someone not yet a member
   * takes a seat: `seats` sees the team counted under its lock and may refuse.
   */
  async accept(
    tokenHash: string,
    userId: string,
    now: Date,
    check: (invitation: TeamInvitation) => void,
    seats: SeatCheck,
  ): Promise<TeamInvitation> {
    return this.dataSource.transaction(async (manager: EntityManager) => {
      const rows = (await manager.query(`SELECT ${COLUMNS} FROM identity_team_invitation WHERE token_hash = $1 FOR UPDATE`, [tokenHash])) as Row[];
      if (!rows[0]) throw DomainError.notFound('Invitation');
      const invitation = toInvitation(rows[0]);
      check(invitation);
      const occupancy = await lockedOccupancy(manager, invitation.teamId, now);
      const member = (await manager.query(`SELECT 1 FROM identity_team_member WHERE team_id = $1 AND user_id = $2`, [invitation.teamId, userId])) as unknown[];
      if (member.length === 0) seats(occupancy);
      // Already a member (added meanwhile): the invitation may raise the role, never lower it.
      await manager.query(
        `INSERT INTO identity_team_member (team_id, user_id, role, added_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (team_id, user_id) DO UPDATE SET role = CASE WHEN EXCLUDED.role = 'manager' THEN 'manager' ELSE identity_team_member.role END`,
        [invitation.teamId, userId, invitation.role, now],
      );
      const [updated] = (await manager.query(
        `UPDATE identity_team_invitation SET status = 'accepted', accepted_by = $2, finished_at = $3 WHERE id = $1 RETURNING ${COLUMNS}`,
        [invitation.id, userId, now],
      )) as [Row[], number];
      return toInvitation(updated[0]);
    });
  }
}

function alreadyInvited(): DomainError {
  return new DomainError('CONFLICT', 'This address already has a pending invitation to the team: revoke it to send a new one', {
    reason: 'ALREADY_INVITED',
  });
}

/** Locks the team's row (as membership changes do) and counts how its seats are taken. */
async function lockedOccupancy(manager: EntityManager, teamId: string, now: Date): Promise<TeamOccupancy> {
  const locked = (await manager.query(`SELECT id FROM identity_team WHERE id = $1 FOR UPDATE`, [teamId])) as unknown[];
  if (locked.length === 0) throw DomainError.notFound('Team', { id: teamId });
  return occupancyOf(manager, teamId, now);
}

async function occupancyOf(db: DataSource | EntityManager, teamId: string, now: Date): Promise<TeamOccupancy> {
  const rows = (await db.query(
    `SELECT (SELECT count(*) FROM identity_team_member WHERE team_id = $1)::int AS members,
            (SELECT count(*) FROM identity_team_invitation WHERE team_id = $1 AND status = 'pending' AND expires_at > $2)::int AS pending`,
    [teamId, now],
  )) as Array<{ members: number; pending: number }>;
  return { members: rows[0]?.members ?? 0, pendingInvitations: rows[0]?.pending ?? 0 };
}
