import { Injectable, OnModuleInit } from '@nestjs/common';
import { MailQueue } from '../../../platform/mail/mail-queue';
import { MailRenderers } from '../../../platform/mail/mail-renderers';
import { plainMail } from '../../../platform/mail/plain-mail';
import { TeamInvitations } from './team-invitations.service';

const KIND = 'identity.team-invitation';

/**
 * The invitation mail. The job names the invitation (in the mail job's `userId` slot: the invitee may
 * have no account yet); the link's token is made when the mail is rendered, so it is never stored in
 * the outbox or Redis, and a revoked or expired invitation sends nothing.
 */
@Injectable()
export class TeamInvitationMails implements OnModuleInit {
  constructor(
    private readonly mail: MailQueue,
    private readonly renderers: MailRenderers,
    private readonly invitations: TeamInvitations,
  ) {}

  onModuleInit(): void {
    this.mail.onEvent('identity.team_invitation_created', KIND, (event) => {
      const invitationId = event.payload['invitationId'];
      return typeof invitationId === 'string' ? { userId: invitationId } : null;
    });
    this.renderers.register(KIND, async (invitationId) => {
      const issued = await this.invitations.issueLink(invitationId);
      if (!issued) return null;
      const { invitation, link, teamName, inviter } = issued;
      return plainMail(invitation.email, `You are invited to join ${teamName} on Smart AI Hub`, [
        `${inviter ?? 'A manager'} invited you to the team ${teamName} as ${invitation.role === 'manager' ? 'a manager' : 'a member'}.`,
        `Sign in with this e-mail address (or create an account with it), then open this link to join: ${link}`,
        `The link works once, until ${invitation.expiresAt.toUTCString()}.`,
        'If you did not expect this invitation, ignore this message.',
      ]);
    });
  }
}
