import { Injectable } from '@nestjs/common';
import { DomainError, EmailAddress, invitationRefusal, TeamMemberRole, UserRepository } from '@sah/domain';
import { SlidingWindowRateLimiter, TeamInvitation, TeamInvitationStore, TeamMembershipStore } from '@sah/infrastructure';
import { isUUID } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../../../config/app-config';
import type { Principal } from '../../../platform/auth/principal';
import { AuditLog } from '../application/audit-log.service';
import { randomToken, sha256 } from '../application/secrets';
import { TeamAccess } from './team-access';
import { TeamSeats } from './team-seats';

const DAY_MS = 24 * 60 * 60_000;
const HOUR_MS = 60 * 60_000;

/**
 * Invitations to a team by e-mail. The link carries a 256-bit random token made when the mail is
 * sent; only its SHA-256 is stored, and accepting it closes the invitation in the same transaction
 * that adds the member, so a link works once. Invitations and acceptances need a free seat when
 * the team's plan has seats (TeamSeats); administrators adding members directly are not held to them.
 */
@Injectable()
export class TeamInvitations {
  constructor(
    private readonly invitations: TeamInvitationStore,
    private readonly memberships: TeamMembershipStore,
    private readonly access: TeamAccess,
    private readonly seats: TeamSeats,
    private readonly users: UserRepository,
    private readonly limiter: SlidingWindowRateLimiter,
    private readonly audit: AuditLog,
    private readonly config: AppConfig,
  ) {}

  async invite(principal: Principal, teamId: string, emailInput: string, role: TeamMemberRole): Promise<TeamInvitation> {
    await this.access.assertManages(principal, teamId);
    const email = EmailAddress.parse(emailInput).normalized;
    const existing = await this.users.findByEmail(email);
    if (existing && (await this.memberships.roleOf(teamId, existing.id))) {
      throw new DomainError('CONFLICT', 'This person is already a member of the team', { reason: 'ALREADY_MEMBER' });
    }
    await this.assertWithinRate(principal.userId);
    const now = new Date();
    const invitation = await this.invitations.create(
      {
        id: randomUUID(),
        teamId,
        email,
        role,
        invitedBy: principal.userId,
        createdAt: now,
        expiresAt: new Date(now.getTime() + this.config.identity.teamInvitationTtlDays * DAY_MS),
      },
      await this.seats.check(teamId, 'invitation'),
    );
    await this.audit.record(principal.userId, 'team.invitation_created', {
      targetType: 'team',
      targetId: teamId,
      details: { invitationId: invitation.id, role },
    });
    return invitation;
  }

  /** Another team's invitation, or one the caller cannot see, is NOT_FOUND. */
  async revoke(principal: Principal, invitationId: string): Promise<TeamInvitation> {
    const found = isUUID(invitationId) ? await this.invitations.findById(invitationId) : null;
    const reach = found ? await this.access.reach(principal, found.teamId).catch(unlessNotFound) : null;
    if (!found || !reach) throw DomainError.notFound('Invitation', { id: invitationId });
    if (!reach.manages) throw new DomainError('FORBIDDEN', "Only the team's managers can do this", { reason: 'NOT_TEAM_MANAGER' });
    const revoked = await this.invitations.revoke(found.id, new Date());
    if (!revoked) throw new DomainError('CONFLICT', `This invitation is no longer pending (${found.status})`, { status: found.status });
    await this.audit.record(principal.userId, 'team.invitation_revoked', { targetType: 'team', targetId: found.teamId, details: { invitationId: found.id } });
    return revoked;
  }

  async pending(principal: Principal, teamId: string): Promise<TeamInvitation[]> {
    await this.access.assertManages(principal, teamId);
    return this.invitations.pending(teamId);
  }

  /** Only the account the invitation was sent to, signed in, can accept it. */
  async accept(principal: Principal, token: string): Promise<TeamInvitation> {
    const user = await this.users.findById(principal.userId);
    if (!user) throw new DomainError('UNAUTHENTICATED', 'Sign in to accept the invitation');
    const now = new Date();
    const tokenHash = sha256(token);
    const teamId = await this.invitations.teamOfToken(tokenHash);
    if (!teamId) throw DomainError.notFound('Invitation');
    const seats = await this.seats.check(teamId, 'acceptance');
    try {
      const invitation = await this.invitations.accept(
        tokenHash,
        user.id,
        now,
        (candidate) => {
          const refusal = invitationRefusal(candidate, user.email.normalized, now);
          if (refusal) throw refusal;
        },
        seats,
      );
      await this.audit.record(user.id, 'team.invitation_accepted', {
        targetType: 'team',
        targetId: invitation.teamId,
        details: { invitationId: invitation.id, role: invitation.role },
      });
      return invitation;
    } catch (error) {
      if (error instanceof DomainError && error.code === 'FORBIDDEN') {
        await this.audit.record(user.id, 'team.invitation_refused', { targetType: 'team', details: { reason: error.details?.['reason'] } });
      }
      throw error;
    }
  }

  /** Called when the mail is sent: a fresh link for a still pending invitation, or null (no mail). */
  async issueLink(invitationId: string): Promise<{ invitation: TeamInvitation; link: string; teamName: string; inviter: string | null } | null> {
    const token = randomToken(32);
    const invitation = await this.invitations.issueToken(invitationId, sha256(token), new Date());
    if (!invitation) return null;
    const team = await this.memberships.team(invitation.teamId);
    if (!team) return null;
    const inviter = invitation.invitedBy ? await this.users.findById(invitation.invitedBy) : null;
    const link = `${this.config.http.appUrl}/admin/invitations/accept?token=${encodeURIComponent(token)}`;
    return { invitation, link, teamName: team.name, inviter: inviter?.name ?? null };
  }

  private async assertWithinRate(userId: string): Promise<void> {
    const limit = this.config.identity.teamInvitationsPerHour;
    const decision = await this.limiter.hit(`team-invitations:${userId}`, limit, HOUR_MS);
    if (!decision.allowed) {
      throw new DomainError('RATE_LIMITED', `You can send at most ${limit} invitations an hour`, {
        retry_after_seconds: Math.ceil(decision.resetMs / 1000),
      });
    }
  }
}

function unlessNotFound(error: unknown): null {
  if (error instanceof DomainError && error.code === 'NOT_FOUND') return null;
  throw error;
}
