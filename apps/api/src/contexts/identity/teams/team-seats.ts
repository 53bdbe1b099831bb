import { Injectable } from '@nestjs/common';
import { seatRefusal } from '@sah/domain';
import { SeatCheck, TeamInvitationStore, TeamMembershipStore } from '@sah/infrastructure';

/** How many seats a team whose managers are these users has; null for no seat limit. */
export type SeatSource = (managerIds: readonly string[]) => Promise<number | null>;

/**
 * Where a team's seats come from. Identity owns the teams, not the plans that sell seats: the plans
 * register their source at start (as contexts register their account erasers), so identity never
 * reads billing's tables. With no source registered, teams have no seat limit.
 */
@Injectable()
export class TeamSeats {
  private source: SeatSource = () => Promise.resolve(null);

  constructor(
    private readonly memberships: TeamMembershipStore,
    private readonly invitations: TeamInvitationStore,
  ) {}

  provideFrom(source: SeatSource): void {
    this.source = source;
  }

  /**
   * The seat check for a new invitation to the team, or an invited person joining it. The seats are
   * read before the team is locked (a lookup while holding the lock could wait for a connection that
   * the lock's other waiters hold); the members and invitations that take them are counted under it.
   */
  async check(teamId: string, joining: 'invitation' | 'acceptance'): Promise<SeatCheck> {
    const seats = await this.seatsOf(teamId);
    return (occupancy) => {
      const refusal = seatRefusal(seats, occupancy, joining);
      if (refusal) throw refusal;
    };
  }

  /** The team's seats and how many are taken (members and pending invitations); null when it has no seat limit. */
  async usage(teamId: string): Promise<{ limit: number; taken: number } | null> {
    const limit = await this.seatsOf(teamId);
    if (limit === null) return null;
    const occupancy = await this.invitations.occupancy(teamId, new Date());
    return { limit, taken: occupancy.members + occupancy.pendingInvitations };
  }

  private async seatsOf(teamId: string): Promise<number | null> {
    return this.source(await this.memberships.managerIds(teamId));
  }
}
