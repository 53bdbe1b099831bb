import { Injectable } from '@nestjs/common';
import { Credits, DomainError, TransactionType, UserRepository } from '@sah/domain';
import {
  AccountState,
  HoldResult,
  CommitMode,
  IdempotencyKey,
  LedgerQuery,
  LedgerRepository,
  Posting,
  TeamWalletRepository,
} from '@sah/infrastructure';
import { isUUID } from 'class-validator';
import { createHash } from 'node:crypto';
import { AppConfig } from '../../../config/app-config';
import { inSpan } from '../../../platform/tracing/in-span';
import { BalanceChanges } from './balance-changes';
import { BudgetClock } from './budget-clock';
import type { SpendingBudget } from './spending-budget';

export type GrantType = Extract<TransactionType, 'welcome' | 'grant' | 'promo' | 'purchase' | 'adjustment'>;
export type DebitType = Extract<TransactionType, 'debit' | 'usage' | 'adjustment' | 'chargeback'>;

export interface GrantInput {
  userId: string;
  amount: Credits;
  type: GrantType;
  reason?: string | null;
  actorId?: string | null;
  idempotency?: IdempotencyKey;
  metadata?: Record<string, unknown>;
  /** These credits lapse at this time unless spent first. */
  expiresAt?: Date;
}

export interface DebitInput {
  userId: string;
  amount: Credits;
  type: DebitType;
  reason?: string | null;
  actorId?: string | null;
  idempotency?: IdempotencyKey;
  metadata?: Record<string, unknown>;
}

/** The fingerprint of a request's parameters, stored with its idempotency key. */
export function requestHash(parameters: unknown): string {
  return createHash('sha256').update(JSON.stringify(parameters)).digest('hex');
}

/**
 * The billing context's public service: every credit movement of every context goes through here.
 * Accounts open on registration; one missing for an existing user (created before the ledger, or
 * whose event is still in the outbox) is opened on first use.
 */
@Injectable()
export class LedgerService {
  constructor(
    private readonly ledger: LedgerRepository,
    private readonly query: LedgerQuery,
    private readonly users: UserRepository,
    private readonly balanceChanges: BalanceChanges,
    private readonly config: AppConfig,
    private readonly budgetClock: BudgetClock,
    private readonly teamWallets: TeamWalletRepository,
  ) {}

  openAccount(userId: string): Promise<boolean> {
    return this.ledger.openAccount(userId);
  }

  async balance(userId: string): Promise<AccountState> {
    const account = await this.query.account(userId);
    if (account) return account;
    await this.ensureAccount(userId);
    const opened = await this.query.account(userId);
    if (!opened) throw DomainError.notFound('Credit account', { userId });
    return opened;
  }

  grant(input: GrantInput): Promise<Posting> {
    if (!input.amount.isPositive()) throw DomainError.badInput('A grant must be positive');
    return this.posting(input.userId, () => this.ledger.post(input));
  }

  debit(input: DebitInput): Promise<Posting> {
    if (!input.amount.isPositive()) throw DomainError.badInput('A debit must be positive');
    return this.posting(input.userId, () => this.ledger.post({ ...input, amount: input.amount.negate() }));
  }

  /**
   * Admin adjustments applied all or nothing, in one database transaction (bulk CSV). Amounts are
   * signed: positive credits the user, negative debits them (never below what the account has).
   */
  async postAdjustments(requests: ReadonlyArray<Omit<GrantInput, 'type' | 'expiresAt'>>): Promise<Posting[]> {
    if (requests.some((request) => request.amount.millis === 0n)) throw DomainError.badInput('Every adjustment must move credits');
    // Missing accounts are opened (unknown users refused) before the batch, which needs them all.
    for (const userId of new Set(requests.map((request) => request.userId))) await this.balance(userId);
    const postings = await this.ledger.postBatch(requests.map((request) => ({ ...request, type: 'adjustment' as const })));
    for (const posting of postings) if (!posting.replayed) this.balanceChanges.publish(posting.account);
    return postings;
  }

  refund(transactionId: string, amount: Credits | null, details: { reason: string; actorId: string; idempotency?: IdempotencyKey }) {
    return this.published(this.ledger.refund(transactionId, amount, details));
  }

  async hold(input: {
    userId: string;
    amount: Credits;
    description?: string;
    idempotency?: IdempotencyKey;
    metadata?: Record<string, unknown>;
    ttlSeconds?: number;
    /** Refuses the hold (BUDGET_EXCEEDED) when it would take the key's month past its budget. */
    budget?: SpendingBudget | null;
    /** Held on this team's wallet instead, `userId` the member who spends (within the member's and the team's limits). */
    teamId?: string | null;
    /**
     * Relaxed only when the caller makes up for a hold a database crash loses: a durable write of its own
     * flushes it (a media job's insert), or the work it covers goes uncharged, as when the database is
     * down at its end (an AI call: its capture finds no hold).
     */
    commit?: CommitMode;
  }): Promise<Pick<HoldResult, 'hold' | 'replayed'>> {
    if (!input.amount.isPositive()) throw DomainError.badInput('A hold must be positive');
    const expiresAt = new Date(Date.now() + (input.ttlSeconds ?? this.config.billing.holdTtlSeconds) * 1000);
    const budget = input.budget
      ? { apiKeyId: input.budget.apiKeyId, credits: input.budget.monthlyCredits, month: this.budgetClock.month() }
      : null;
    const teamId = input.teamId;
    if (teamId) {
      return inSpan('billing.hold', { 'sah.team_id': teamId }, () =>
        this.teamWallets.hold({ ...input, teamId, expiresAt, budget, day: this.budgetClock.day() }),
      );
    }
    return inSpan('billing.hold', {}, () =>
      this.withAccount(input.userId, () => this.published(this.ledger.hold({ ...input, expiresAt, budget }))),
    );
  }

  /**
   * Relaxed (`details.commit`) only when a durable write of the caller flushes it next (an AI call's usage
   * record), or a durable record of the caller has the capture repeated after a crash (a media job's end).
   */
  capture(holdId: string, amount: Credits, details?: { reason?: string; metadata?: Record<string, unknown>; commit?: CommitMode }): Promise<HoldResult> {
    return inSpan('billing.capture', { 'sah.hold_id': holdId }, () => this.published(this.ledger.capture(holdId, amount, details)));
  }

  /** Relaxed under the same condition as a capture. */
  release(holdId: string, commit?: CommitMode): Promise<HoldResult> {
    return inSpan('billing.release', { 'sah.hold_id': holdId }, () => this.published(this.ledger.release(holdId, 'released', commit)));
  }

  /**
   * Charges work whose hold was already released (a media job that finished after its deadline), once
   * per idempotency key, on the account the hold was on: a team hold's wallet (the member as actor,
   * counted in the member's and the team's spend), else the user's own credits.
   */
  async chargeAfterRelease(input: {
    holdId: string;
    userId: string;
    amount: Credits;
    reason: string;
    metadata: Record<string, unknown>;
    idempotency: IdempotencyKey;
  }): Promise<void> {
    if (!input.amount.isPositive()) return; // a free job's late success owes nothing
    const team = await this.teamWallets.teamHold(input.holdId);
    if (team) {
      await this.teamWallets.chargeLate({ ...team, amount: input.amount, reason: input.reason, metadata: input.metadata, idempotency: input.idempotency });
      return;
    }
    await this.debit({ userId: input.userId, amount: input.amount, type: 'usage', reason: input.reason, metadata: input.metadata, idempotency: input.idempotency });
  }

  /** For the housekeeping job: a hold nobody settled in time. */
  expireHold(holdId: string): Promise<HoldResult> {
    return this.published(this.ledger.release(holdId, 'expired'));
  }

  /** For the housekeeping job: expires what is left of the user's lapsed grants, if anything. */
  async expireLapsedCredits(userId: string, now: Date): Promise<Posting | null> {
    const posting = await this.ledger.expireLapsedCredits(userId, now);
    if (posting) this.balanceChanges.publish(posting.account);
    return posting;
  }

  private posting(userId: string, work: () => Promise<Posting>): Promise<Posting> {
    return this.withAccount(userId, () => this.published(work()));
  }

  private async published<T extends { account: AccountState; replayed: boolean }>(work: Promise<T>): Promise<T> {
    const result = await work;
    // A team hold's settlement answers the team's account, which has no user to tell.
    if (!result.replayed && result.account.userId) this.balanceChanges.publish(result.account);
    return result;
  }

  private async withAccount<T>(userId: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'NOT_FOUND' && error.details?.['userId'] === userId)) throw error;
      await this.ensureAccount(userId);
      return work();
    }
  }

  private async ensureAccount(userId: string): Promise<void> {
    const user = isUUID(userId) ? await this.users.findById(userId) : null;
    if (!user) throw DomainError.notFound('User', { userId });
    await this.ledger.openAccount(userId);
  }
}
