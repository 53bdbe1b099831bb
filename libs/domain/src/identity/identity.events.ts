import { Role } from './role';

/** Facts other contexts react to (the ledger opens an account on registration, grants on verification). */
export type IdentityEvent =
  | { type: 'identity.user_registered'; userId: string; occurredAt: Date }
  | { type: 'identity.email_verified'; userId: string; occurredAt: Date }
  | { type: 'identity.role_changed'; userId: string; from: Role; to: Role; actorId: string; occurredAt: Date }
  | { type: 'identity.user_suspended'; userId: string; actorId: string; occurredAt: Date }
  | { type: 'identity.user_reinstated'; userId: string; actorId: string; occurredAt: Date }
  | { type: 'identity.password_changed'; userId: string; occurredAt: Date }
  | { type: 'identity.account_deletion_requested'; userId: string; deleteAfter: string; occurredAt: Date }
  | { type: 'identity.account_deletion_cancelled'; userId: string; occurredAt: Date }
  // Asked for, not changed: recorded so the mail that carries the code or link is not lost.
  | { type: 'identity.verification_code_requested'; userId: string; occurredAt: Date }
  | { type: 'identity.password_reset_requested'; userId: string; occurredAt: Date }
  // Someone tried to register the address of an existing account: its owner is told, the caller is not.
  | { type: 'identity.sign_up_attempted'; userId: string; occurredAt: Date };
