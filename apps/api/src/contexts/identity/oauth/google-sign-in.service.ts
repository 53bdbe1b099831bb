import { Injectable } from '@nestjs/common';
import { DomainError, EmailAddress, isDomainError, User, UserRepository } from '@sah/domain';
import { randomUUID } from 'node:crypto';
import { AuditLog } from '../application/audit-log.service';
import { GoogleIdentity } from './google-identity';

const MAX_NAME_LENGTH = 100;

/**
 * Turns a Google sign-in into an account: the one linked to that Google id, else the one with that
 * (Google-verified) e-mail address, which gets linked, else a new verified account. Every outcome is
 * audited.
 */
@Injectable()
export class GoogleSignIn {
  constructor(
    private readonly users: UserRepository,
    private readonly audit: AuditLog,
  ) {}

  async resolveUser(identity: GoogleIdentity): Promise<User> {
    if (!identity.email || !identity.emailVerified) {
      await this.refuse(null, 'email_unverified');
      throw new DomainError('FORBIDDEN', 'Your Google account has no verified e-mail address', {
        reason: 'email_unverified',
      });
    }
    const email = EmailAddress.parse(identity.email);
    const linked = await this.users.findByGoogleId(identity.googleId);
    const existing = linked ?? (await this.users.findByEmail(email.normalized));
    const user = existing ?? (await this.register(identity, email));
    if (user.status === 'suspended') {
      await this.refuse(user.id, 'suspended');
      throw new DomainError('ACCOUNT_SUSPENDED', 'This account is suspended', { reason: 'suspended' });
    }
    if (existing && !linked) await this.link(existing, identity.googleId);
    await this.audit.record(user.id, 'user.signed_in', {
      targetType: 'user',
      targetId: user.id,
      details: { method: 'google' },
    });
    return user;
  }

  private async register(identity: GoogleIdentity, email: EmailAddress): Promise<User> {
    const user = User.registerWithGoogle({
      id: randomUUID(),
      email,
      name: displayName(identity, email),
      googleId: identity.googleId,
      now: new Date(),
    });
    await this.users.save(user, user.pullEvents());
    await this.audit.record(user.id, 'user.registered', {
      targetType: 'user',
      targetId: user.id,
      details: { method: 'google' },
    });
    return user;
  }

  private async link(user: User, googleId: string): Promise<void> {
    const wasVerified = user.emailVerified;
    try {
      user.linkGoogle(googleId, new Date());
    } catch (error) {
      if (!isDomainError(error) || error.code !== 'CONFLICT') throw error;
      await this.refuse(user.id, 'linked_to_another_google_account');
      throw new DomainError('CONFLICT', error.message, { reason: 'linked_to_another_google_account' });
    }
    await this.users.save(user, user.pullEvents());
    await this.audit.record(user.id, 'user.google_linked', {
      targetType: 'user',
      targetId: user.id,
      details: { verifiedByGoogle: !wasVerified },
    });
  }

  private refuse(userId: string | null, reason: string): Promise<void> {
    return this.audit.record(userId, 'user.google_sign_in_refused', {
      ...(userId ? { targetType: 'user', targetId: userId } : {}),
      details: { reason },
    });
  }
}

/** Google's display name, trimmed to ours; the address's local part when there is none. */
function displayName(identity: GoogleIdentity, email: EmailAddress): string {
  const name = identity.name?.trim().slice(0, MAX_NAME_LENGTH).trim();
  return name || email.value.split('@')[0].slice(0, MAX_NAME_LENGTH);
}
