import { DomainError } from '../shared/domain-error';
import { Role } from './role';

/** How many single-use recovery codes an enrolment hands out (shown once, stored hashed). */
export const RECOVERY_CODE_COUNT = 10;

export interface TwoFactorState {
  userId: string;
  /** The shared TOTP secret, base32 as authenticator apps show it. Encrypted at rest by the repository. */
  secret: string;
  /** Null while enrolment waits for its first code: an unconfirmed secret protects nothing. */
  enabledAt: Date | null;
  /** The TOTP time step of the last code accepted; a code of that step or earlier is refused (replay). */
  lastUsedStep: number | null;
  createdAt: Date;
}

/**
 * A user's second factor (RFC 6238 TOTP). The arithmetic of codes lives behind a port; this holds the
 * rules: enrolment is confirmed by a code, and no time step is accepted twice.
 */
export class TwoFactor {
  private constructor(private state: TwoFactorState) {}

  static start(input: { userId: string; secret: string; now: Date }): TwoFactor {
    return new TwoFactor({
      userId: input.userId,
      secret: input.secret,
      enabledAt: null,
      lastUsedStep: null,
      createdAt: input.now,
    });
  }

  static restore(state: TwoFactorState): TwoFactor {
    return new TwoFactor({ ...state });
  }

  get userId(): string {
    return this.state.userId;
  }
  get secret(): string {
    return this.state.secret;
  }
  get enabled(): boolean {
    return this.state.enabledAt !== null;
  }
  get lastUsedStep(): number | null {
    return this.state.lastUsedStep;
  }
  get snapshot(): Readonly<TwoFactorState> {
    return { ...this.state };
  }

  /** The first good code switches the factor on. */
  confirm(step: number, now: Date): void {
    if (this.enabled) throw new DomainError('CONFLICT', 'Two-factor authentication is already on');
    this.accept(step);
    this.state.enabledAt = now;
  }

  /** Records a good code's time step; the same or an older step again is a replay. */
  accept(step: number): void {
    if (this.state.lastUsedStep !== null && step <= this.state.lastUsedStep) {
      throw new DomainError('UNAUTHENTICATED', 'This code was already used: wait for the next one');
    }
    this.state.lastUsedStep = step;
  }
}

/**
 * Roles that must have a second factor when the platform requires it for administrators
 * (`MFA_REQUIRED_FOR_ADMINS`): whoever can manage other people's accounts.
 */
export function mustEnrolTwoFactor(role: Role, requiredForAdmins: boolean): boolean {
  return requiredForAdmins && (role === 'SUPER_ADMIN' || role === 'ADMIN');
}

/** A TOTP code as typed: six digits, spaces allowed ("123 456"). Null when it is not one. */
export function parseTotpCode(input: string): string | null {
  const code = input.replace(/\s+/g, '');
  return /^\d{6}$/.test(code) ? code : null;
}

/** A recovery code as typed: case, spaces and dashes do not matter. */
export function normalizeRecoveryCode(input: string): string {
  return input.replace(/[\s-]+/g, '').toLowerCase();
}
