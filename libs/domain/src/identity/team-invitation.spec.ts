import { assertManagerRemains, invitationRefusal, seatRefusal, TeamInvitationState } from './team-invitation';

describe('team invitations', () => {
  const now = new Date('2026-01-10T00:00:00Z');
  const pending: TeamInvitationState = { status: 'pending', email: 'ann@example.com', expiresAt: new Date('2026-01-11T00:00:00Z') };

  it('lets the invited address accept a pending, unexpired invitation', () => {
    expect(invitationRefusal(pending, 'ann@example.com', now)).toBeNull();
  });

  it('refuses another address, a used, a revoked and an expired invitation, each with its own code', () => {
    expect(invitationRefusal(pending, 'bob@example.com', now)?.details).toEqual({ reason: 'INVITATION_FOR_ANOTHER_ACCOUNT' });
    expect(invitationRefusal({ ...pending, status: 'accepted' }, 'ann@example.com', now)?.code).toBe('INVITATION_ALREADY_ACCEPTED');
    expect(invitationRefusal({ ...pending, status: 'revoked' }, 'ann@example.com', now)?.code).toBe('INVITATION_REVOKED');
    expect(invitationRefusal({ ...pending, expiresAt: now }, 'ann@example.com', now)?.code).toBe('INVITATION_EXPIRED');
    expect(invitationRefusal({ ...pending, status: 'expired' }, 'ann@example.com', now)?.code).toBe('INVITATION_EXPIRED');
    // A used link says so to anyone holding it, not "wrong account".
    expect(invitationRefusal({ ...pending, status: 'accepted' }, 'bob@example.com', now)?.code).toBe('INVITATION_ALREADY_ACCEPTED');
  });

  it('keeps the last manager', () => {
    expect(() => assertManagerRemains(['m1'], 'm1', null)).toThrow(/at least one manager/);
    expect(() => assertManagerRemains(['m1'], 'm1', 'member')).toThrow(/at least one manager/);
    expect(() => assertManagerRemains(['m1'], 'm1', 'manager')).not.toThrow();
    expect(() => assertManagerRemains(['m1', 'm2'], 'm1', null)).not.toThrow();
    expect(() => assertManagerRemains(['m1'], 'u2', null)).not.toThrow();
  });

  it('counts pending invitations against the seats of a new invitation, only members against an acceptance', () => {
    expect(seatRefusal(null, { members: 50, pendingInvitations: 50 }, 'invitation')).toBeNull();
    expect(seatRefusal(3, { members: 2, pendingInvitations: 0 }, 'invitation')).toBeNull();
    const full = seatRefusal(3, { members: 2, pendingInvitations: 1 }, 'invitation');
    expect(full?.code).toBe('CONFLICT');
    expect(full?.details).toEqual({ reason: 'NO_SEAT_LEFT', seats: 3, members: 2, pending_invitations: 1 });
    // The accepted invitation is one of the pending ones: its seat is already counted.
    expect(seatRefusal(3, { members: 2, pendingInvitations: 1 }, 'acceptance')).toBeNull();
    const joining = seatRefusal(3, { members: 3, pendingInvitations: 1 }, 'acceptance');
    expect(joining?.details?.['reason']).toBe('NO_SEAT_LEFT');
    // Each is told what they can do: the manager frees a seat, the invited person asks for one.
    expect(full?.message).toMatch(/remove a member, revoke an invitation/);
    expect(joining?.message).toMatch(/ask its managers to free one/);
    // A team already past its seats (formed before the plan) takes no one more.
    expect(seatRefusal(2, { members: 5, pendingInvitations: 0 }, 'invitation')?.code).toBe('CONFLICT');
  });
});
