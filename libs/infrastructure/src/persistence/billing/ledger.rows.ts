import { Credits, TransactionType } from '@sah/domain';
import type { AccountState, CreditHold, HoldStatus, LedgerTransaction } from './ledger.types';

/**
 * Rows as `pg` returns them (bigint columns arrive as strings), or as the ledger functions' jsonb
 * renders them: only the columns read here.
 */
export interface AccountRow {
  user_id: string;
  balance: string;
  reserved: string;
}

export interface TransactionRow {
  id: string;
  type: TransactionType;
  user_id: string;
  amount: string;
  balance_after: string;
  reason: string | null;
  actor_id: string | null;
  reverses_id: string | null;
  metadata: Record<string, unknown>;
  /** A Date from a query, ISO text from the ledger functions' jsonb. */
  created_at: Date | string;
}

export interface HoldRow {
  id: string;
  user_id: string;
  amount: string;
  captured: string;
  status: HoldStatus;
  description: string | null;
  capture_transaction_id: string | null;
  metadata: Record<string, unknown>;
  created_at: Date | string;
  expires_at: Date | string;
  settled_at: Date | string | null;
}

export function toAccountState(row: AccountRow): AccountState {
  return {
    userId: row.user_id,
    balance: Credits.fromMillis(row.balance),
    reserved: Credits.fromMillis(row.reserved),
  };
}

export function toTransaction(row: TransactionRow): LedgerTransaction {
  return {
    id: row.id,
    type: row.type,
    userId: row.user_id,
    amount: Credits.fromMillis(row.amount),
    balanceAfter: Credits.fromMillis(row.balance_after),
    reason: row.reason,
    actorId: row.actor_id,
    reversesId: row.reverses_id,
    metadata: row.metadata,
    createdAt: new Date(row.created_at),
  };
}

export function toHold(row: HoldRow): CreditHold {
  return {
    id: row.id,
    userId: row.user_id,
    amount: Credits.fromMillis(row.amount),
    captured: Credits.fromMillis(row.captured),
    status: row.status,
    description: row.description,
    captureTransactionId: row.capture_transaction_id,
    metadata: row.metadata,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
    settledAt: row.settled_at === null ? null : new Date(row.settled_at),
  };
}
