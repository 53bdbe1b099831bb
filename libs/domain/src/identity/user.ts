import { DomainError } from '../shared/domain-error';
import { EmailAddress } from './email-address';
import { IdentityEvent } from './identity.events';
import { outranks, Role } from './role';

export type UserStatus = 'active' | 'suspended';

export interface UserState {
  id: string;
  email: EmailAddress;
  name: string;
  passwordHash: string | null;
  role: Role;
  status: UserStatus;
  emailVerifiedAt: Date | null;
  googleId: string | null;
  createdAt: Date;
  /** The owner asked for the account to be deleted: suspended until then, erased after the grace period. */
  deletionRequestedAt: Date | null;
}

export interface Actor {
  id: string;
  role: Role;
}

/** A person's account. Collects the events its changes cause; the application layer publishes them. */
export class User {
  private events: IdentityEvent[] = [];

  private constructor(private state: UserState) {}

  static register(input: { id: string; email: EmailAddress; name: string; passwordHash: string; now: Date }): User {
    const user = new User({
      id: input.id,
      email: input.email,
      name: normalizeName(input.name),
      passwordHash: input.passwordHash,
      role: 'USER',
      status: 'active',
      emailVerifiedAt: null,
      googleId: null,
      createdAt: input.now,
      deletionRequestedAt: null,
    });
    user.events.push({ type: 'identity.user_registered', userId: input.id, occurredAt: input.now });
    return user;
  }

  /**
   * Someone who signed in with Google for the first time: Google vouched for the address, so the
   * account starts verified and records the same events as an e-mail sign-up (welcome credits follow).
   */
  static registerWithGoogle(input: { id: string; email: EmailAddress; name: string; googleId: string; now: Date }): User {
    const user = new User({
      id: input.id,
      email: input.email,
      name: normalizeName(input.name),
      passwordHash: null,
      role: 'USER',
      status: 'active',
      emailVerifiedAt: null,
      googleId: assertGoogleId(input.googleId),
      createdAt: input.now,
      deletionRequestedAt: null,
    });
    user.events.push({ type: 'identity.user_registered', userId: input.id, occurredAt: input.now });
    user.verifyEmail(input.now);
    return user;
  }

  /** The first administrator, created from configuration at start: verified, at the top of the hierarchy. */
  static createSuperAdmin(input: { id: string; email: EmailAddress; name: string; passwordHash: string; now: Date }): User {
    const user = User.register(input);
    user.state.role = 'SUPER_ADMIN';
    user.verifyEmail(input.now);
    return user;
  }

  static restore(state: UserState): User {
    return new User({ ...state });
  }

  get id(): string {
    return this.state.id;
  }
  get email(): EmailAddress {
    return this.state.email;
  }
  get name(): string {
    return this.state.name;
  }
  get role(): Role {
    return this.state.role;
  }
  get status(): UserStatus {
    return this.state.status;
  }
  get passwordHash(): string | null {
    return this.state.passwordHash;
  }
  get googleId(): string | null {
    return this.state.googleId;
  }
  get emailVerified(): boolean {
    return this.state.emailVerifiedAt !== null;
  }
  get deletionRequestedAt(): Date | null {
    return this.state.deletionRequestedAt;
  }
  /** What every request checks: tokens, API keys and session codes act only for such an account. */
  get mayAct(): boolean {
    return this.state.status === 'active' && this.emailVerified && this.state.deletionRequestedAt === null;
  }
  get snapshot(): Readonly<UserState> {
    return { ...this.state };
  }

  verifyEmail(now: Date): void {
    if (this.emailVerified) return;
    this.state.emailVerifiedAt = now;
    this.events.push({ type: 'identity.email_verified', userId: this.id, occurredAt: now });
  }

  /** Why this account may not sign in, if it may not. Checked after the password. */
  assertMaySignIn(): void {
    if (this.state.status === 'suspended') throw new DomainError('ACCOUNT_SUSPENDED', 'This account is suspended');
    if (!this.emailVerified) {
      throw new DomainError('EMAIL_NOT_VERIFIED', 'Verify your e-mail address before signing in', { email: this.email.value });
    }
  }

  /**
   * Links the Google account that proved it owns this e-mail address. An unverified account is
   * verified by that proof, and its password dropped: whoever chose it never proved the address, and
   * keeping it would let them into the account the real owner just claimed.
   */
  linkGoogle(googleId: string, now: Date): void {
    if (this.state.googleId === googleId) return;
    if (this.state.googleId !== null) {
      throw new DomainError('CONFLICT', 'This account is already linked to another Google account');
    }
    this.state.googleId = assertGoogleId(googleId);
    if (!this.emailVerified) {
      this.state.passwordHash = null;
      this.verifyEmail(now);
    }
  }

  setPasswordHash(hash: string, now: Date): void {
    this.state.passwordHash = hash;
    this.events.push({ type: 'identity.password_changed', userId: this.id, occurredAt: now });
  }

  /** Only to a role below the actor's own, never on oneself, never on someone at or above the actor. */
  changeRole(role: Role, actor: Actor, now: Date): void {
    this.assertActorOutranks(actor);
    if (!outranks(actor.role, role)) {
      throw new DomainError('FORBIDDEN', 'You can only assign roles below your own', { role });
    }
    if (role === this.state.role) return;
    this.events.push({ type: 'identity.role_changed', userId: this.id, from: this.state.role, to: role, actorId: actor.id, occurredAt: now });
    this.state.role = role;
  }

  suspend(actor: Actor, now: Date): void {
    this.assertActorOutranks(actor);
    if (this.state.status === 'suspended') return;
    this.state.status = 'suspended';
    this.events.push({ type: 'identity.user_suspended', userId: this.id, actorId: actor.id, occurredAt: now });
  }

  reinstate(actor: Actor, now: Date): void {
    this.assertActorOutranks(actor);
    if (this.state.status === 'active') return;
    this.state.status = 'active';
    this.events.push({ type: 'identity.user_reinstated', userId: this.id, actorId: actor.id, occurredAt: now });
  }

  /**
   * The owner asks for the account to be deleted: it stops working at once and is erased after
   * `deleteAfter` unless they sign in before then. Asking again changes nothing.
   */
  requestDeletion(now: Date, deleteAfter: Date): void {
    if (this.state.deletionRequestedAt !== null) return;
    this.state.deletionRequestedAt = now;
    this.events.push({ type: 'identity.account_deletion_requested', userId: this.id, deleteAfter: deleteAfter.toISOString(), occurredAt: now });
  }

  /** Signing in during the grace period keeps the account. Says whether a deletion was cancelled. */
  cancelDeletion(now: Date): boolean {
    if (this.state.deletionRequestedAt === null) return false;
    this.state.deletionRequestedAt = null;
    this.events.push({ type: 'identity.account_deletion_cancelled', userId: this.id, occurredAt: now });
    return true;
  }

  pullEvents(): IdentityEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }

  private assertActorOutranks(actor: Actor): void {
    if (actor.id === this.id) throw new DomainError('FORBIDDEN', 'You cannot change your own role or status');
    if (!outranks(actor.role, this.state.role)) {
      throw new DomainError('FORBIDDEN', 'You can only manage users below your own role');
    }
  }
}

function normalizeName(name: string): string {
  const value = name.trim().replace(/\s+/g, ' ');
  if (value.length < 1 || value.length > 100) {
    throw DomainError.badInput('Name must be 1 to 100 characters', { field: 'name' });
  }
  return value;
}

/** Google's `sub`: at most 255 printable ASCII characters. */
function assertGoogleId(googleId: string): string {
  if (!/^[\x21-\x7e]{1,255}$/.test(googleId)) throw DomainError.badInput('Google account id is malformed', { field: 'googleId' });
  return googleId;
}
