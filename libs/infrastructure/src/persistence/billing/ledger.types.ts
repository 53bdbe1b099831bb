import type { Credits, SystemAccount, TransactionType } from '@sah/domain';
import type { CommitMode } from '../commit-mode';

export interface IdempotencyKey {
  /** Keys are unique within a scope (e.g. one partner key, one user). */
  scope: string;
  key: string;
  /** SHA-256 of the request's parameters: a replay must match it. */
  requestHash: string;
}

export interface PostingRequest {
  userId: string;
  type: TransactionType;
  /** The signed effect on the user's balance. */
  amount: Credits;
  reason?: string | null;
  actorId?: string | null;
  idempotency?: IdempotencyKey;
  reversesId?: string;
  metadata?: Record<string, unknown>;
  /** Positive amounts only: these credits lapse at this time unless spent first. */
  expiresAt?: Date;
  /** Defaults to the type's counter account. */
  counterAccount?: SystemAccount;
}

export interface LedgerTransaction {
  id: string;
  type: TransactionType;
  userId: string;
  amount: Credits;
  balanceAfter: Credits;
  reason: string | null;
  actorId: string | null;
  reversesId: string | null;
  metadata: Record<string, unknown>;
  createdAt: Date;
}

export interface AccountState {
  userId: string;
  balance: Credits;
  reserved: Credits;
}

export interface Posting {
  transaction: LedgerTransaction;
  account: AccountState;
  /** True when an earlier request with the same idempotency key already did the work. */
  replayed: boolean;
}

export type HoldStatus = 'active' | 'captured' | 'released' | 'expired';

export interface CreditHold {
  id: string;
  userId: string;
  amount: Credits;
  captured: Credits;
  status: HoldStatus;
  description: string | null;
  captureTransactionId: string | null;
  metadata: Record<string, unknown>;
  createdAt: Date;
  expiresAt: Date;
  settledAt: Date | null;
}

/** An API key's monthly credit budget: its holds and captures of one calendar month stay within `credits`. */
export interface HoldBudget {
  apiKeyId: string;
  credits: Credits;
  /** The first day of the month (UTC) the hold counts in. */
  month: string;
}

export interface HoldRequest {
  userId: string;
  amount: Credits;
  expiresAt: Date;
  description?: string | null;
  idempotency?: IdempotencyKey;
  metadata?: Record<string, unknown>;
  budget?: HoldBudget | null;
  /** Relaxed only when the caller makes up for its loss in a crash (see CommitMode, LedgerService.hold). */
  commit?: CommitMode;
}

export interface HoldResult {
  hold: CreditHold;
  account: AccountState;
  replayed: boolean;
}
