import { assertManagerRemains, invitationRefusal, TeamInvitationState } from './team-invitation';

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
});
