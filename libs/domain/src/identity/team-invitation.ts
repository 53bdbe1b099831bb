import { DomainError } from '../shared/domain-error';
import type { TeamMemberRole } from './team';

export type TeamInvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export interface TeamInvitationState {
  status: TeamInvitationStatus;
  /** The invited address, normalised. */
  email: string;
  expiresAt: Date;
}

/**
 * Why an invitation cannot be accepted by the account with `email` at `now`, or null when it can.
 * Used, revoked and expired come first: they answer the same whoever holds the link.
 */
export function invitationRefusal(invitation: TeamInvitationState, email: string, now: Date): DomainError | null {
  if (invitation.status === 'accepted') return new DomainError('INVITATION_ALREADY_ACCEPTED', 'This invitation has already been used');
  if (invitation.status === 'revoked') return new DomainError('INVITATION_REVOKED', 'This invitation was revoked by the team');
  if (invitation.status === 'expired' || invitation.expiresAt <= now) {
    return new DomainError('INVITATION_EXPIRED', 'This invitation has expired: ask the team for a new one', { expiredAt: invitation.expiresAt.toISOString() });
  }
  if (invitation.email !== email) {
    return new DomainError('FORBIDDEN', 'This invitation was sent to another e-mail address: sign in as that account to accept it', {
      reason: 'INVITATION_FOR_ANOTHER_ACCOUNT',
    });
  }
  return null;
}

/**
 * A team keeps at least one manager: removing or demoting `target` is refused when it is the last.
 * `managers` are the team's managers before the change.
 */
export function assertManagerRemains(managers: readonly string[], target: string, newRole: TeamMemberRole | null): void {
  const stillManager = newRole === 'manager';
  if (!stillManager && managers.includes(target) && managers.length === 1) {
    throw new DomainError('CONFLICT', 'A team needs at least one manager: make someone else a manager first', { reason: 'LAST_MANAGER' });
  }
}

/** How a team's seats are taken: by its members and by its pending, unexpired invitations. */
export interface TeamOccupancy {
  members: number;
  pendingInvitations: number;
}

/**
 * Why the team has no seat for one more person, or null when it has one (or no seat limit: `seats`
 * null). A new invitation needs a seat beside every member and pending invitation; an invited person
 * joining already holds theirs through the invitation, so only the members count then.
 */
export function seatRefusal(seats: number | null, occupancy: TeamOccupancy, joining: 'invitation' | 'acceptance'): DomainError | null {
  if (seats === null) return null;
  const taken = occupancy.members + (joining === 'invitation' ? occupancy.pendingInvitations : 0);
  if (taken < seats) return null;
  // The manager inviting can free a seat; the person joining can only ask for one.
  const message =
    joining === 'invitation'
      ? `This team's plan has ${seats} seats and all are taken (${occupancy.members} members, ${occupancy.pendingInvitations} pending invitations): ` +
        'remove a member, revoke an invitation or move to a plan with more seats'
      : `All ${seats} seats of this team are taken: ask its managers to free one, then use this link again before it expires`;
  return new DomainError('CONFLICT', message, {
    reason: 'NO_SEAT_LEFT',
    seats,
    members: occupancy.members,
    pending_invitations: occupancy.pendingInvitations,
  });
}
