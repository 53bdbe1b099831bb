import { Injectable, OnModuleInit } from '@nestjs/common';
import { User, UserRepository } from '@sah/domain';
import { AppConfig } from '../../../config/app-config';
import { MailQueue } from '../../../platform/mail/mail-queue';
import { MailRenderers } from '../../../platform/mail/mail-renderers';
import { OutboxEvent } from '../../../platform/outbox/outbox-handlers';
import { AccountsService } from './accounts.service';
import { EmailVerification } from './email-verification.service';
import { identityMail } from './identity-mail';

const KIND = {
  verificationCode: 'identity.verification-code',
  passwordReset: 'identity.password-reset',
  passwordChanged: 'identity.password-changed',
  roleChanged: 'identity.role-changed',
  signUpAttempted: 'identity.sign-up-attempted',
  deletionRequested: 'identity.account-deletion-requested',
  deletionCancelled: 'identity.account-deletion-cancelled',
} as const;

/**
 * Identity's mails: which stored events send which mail, and how each is rendered when it is sent.
 * Codes and reset links are made at that moment, so they are never stored in the outbox or a job,
 * and a mail delayed by a stalled SMTP server still arrives with a code that works.
 */
@Injectable()
export class IdentityMails implements OnModuleInit {
  constructor(
    private readonly mail: MailQueue,
    private readonly renderers: MailRenderers,
    private readonly users: UserRepository,
    private readonly verification: EmailVerification,
    private readonly accounts: AccountsService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.mail.onEvent('identity.user_registered', KIND.verificationCode, toUser);
    this.mail.onEvent('identity.verification_code_requested', KIND.verificationCode, toUser);
    this.mail.onEvent('identity.password_reset_requested', KIND.passwordReset, toUser);
    this.mail.onEvent('identity.password_changed', KIND.passwordChanged, toUser);
    this.mail.onEvent('identity.sign_up_attempted', KIND.signUpAttempted, toUser);
    this.mail.onEvent('identity.role_changed', KIND.roleChanged, (event) => ({ ...toUser(event), params: { role: String(event.payload['to']) } }));
    this.mail.onEvent('identity.account_deletion_requested', KIND.deletionRequested, (event) => ({
      ...toUser(event),
      params: { deleteAfter: String(event.payload['deleteAfter']) },
    }));
    this.mail.onEvent('identity.account_deletion_cancelled', KIND.deletionCancelled, toUser);

    // Google and bootstrap accounts start verified: their registration needs no code.
    this.render(KIND.verificationCode, async (user) =>
      user.emailVerified ? null : identityMail.verificationCode(user.email.value, user.name, await this.verification.issueCode(user)),
    );
    this.render(KIND.passwordReset, async (user) => identityMail.passwordReset(user.email.value, await this.accounts.issueResetLink(user)));
    this.render(KIND.passwordChanged, async (user) => identityMail.passwordChanged(user.email.value));
    this.render(KIND.signUpAttempted, async (user) => identityMail.signUpAttempted(user.email.value));
    this.render(KIND.roleChanged, async (user, params) => identityMail.roleChanged(user.email.value, String(params['role'])));
    // Sent after the erasure, the account is gone and so is the mail (render answers null).
    this.render(KIND.deletionRequested, async (user, params) =>
      identityMail.deletionRequested(user.email.value, new Date(String(params['deleteAfter'])), this.config.http.appUrl),
    );
    this.render(KIND.deletionCancelled, async (user) => identityMail.deletionCancelled(user.email.value));
  }

  private render(kind: string, build: (user: User, params: Record<string, string | number>) => ReturnType<MailRenderers['render']>): void {
    this.renderers.register(kind, async (userId, params) => {
      const user = await this.users.findById(userId);
      return user ? build(user, params) : null;
    });
  }
}

function toUser(event: OutboxEvent): { userId: string } {
  const userId = event.payload['userId'];
  if (typeof userId !== 'string') throw new Error(`outbox event ${event.id} (${event.type}) has no userId`);
  return { userId };
}
