import { COUNTER_ACCOUNT, Credits, DomainError, insufficientCredits, REFUNDABLE_TYPES } from '@sah/domain';
import { DataSource } from 'typeorm';
import { committed, CommitMode } from '../commit-mode';
import { violatedConstraint } from '../constraint-violation';
import { groupCommit } from '../group-commit';
import { Hold, holdRow, onlyResult, preparedPerCommitMode as prepared, writeLedgerBatch } from './ledger-batch';
import { AccountRow, HoldRow, toAccountState, toHold, toTransaction, TransactionRow } from './ledger.rows';
import type { HoldBudget, HoldRequest, HoldResult, IdempotencyKey, Posting, PostingRequest } from './ledger.types';
import { inTransaction, SqlTransaction } from './sql-transaction';

const IDEMPOTENCY_INDEXES = new Set(['uq_ledger_transaction_idempotency', 'uq_credit_hold_idempotency']);

/** What the ledger functions (migration LedgerFunctions1764000300000) answer. */
interface LedgerResult {
  status:
    | 'posted'
    | 'replayed'
    | 'held'
    | 'captured'
    | 'released'
    | 'not_found'
    | 'reused'
    | 'insufficient'
    | 'settled'
    | 'out_of_range'
    | 'over_budget';
  transaction?: TransactionRow;
  hold?: HoldRow;
  account?: AccountRow;
  available?: string;
  held?: string;
  hold_status?: string;
  /** over_budget: the key's budget and what its month already spent and holds. */
  budget?: string;
  spent?: string;
  reserved?: string;
}

/**
 * The ledger's write side, over the PL/pgSQL ledger functions: each operation locks the user's
 * account row inside the database, so operations on one account are serialised and those on
 * different accounts run in parallel. Balances never go below what is reserved, nor below zero.
 */
export class LedgerRepository {
  /** Holds and captures arriving together, per commit mode, go in one statement each (`ledger_*_batch`). */
  private readonly holds: Record<CommitMode, (hold: Hold) => Promise<LedgerResult>> = {
    durable: groupCommit((batch) => this.holdBatch(batch, 'durable')),
    relaxed: groupCommit((batch) => this.holdBatch(batch, 'relaxed')),
  };
  private readonly captures: Record<CommitMode, (capture: Capture) => Promise<LedgerResult>> = {
    durable: groupCommit((batch) => this.captureBatch(batch, 'durable')),
    relaxed: groupCommit((batch) => this.captureBatch(batch, 'relaxed')),
  };

  constructor(
    private readonly dataSource: DataSource,
    private readonly lowBalanceThreshold: Credits,
  ) {}

  /** Opens the user's account if it has none; true when this call opened it. */
  async openAccount(userId: string): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `INSERT INTO credit_account (user_id) VALUES ($1) ON CONFLICT (user_id) DO NOTHING RETURNING id`,
      [userId],
    )) as unknown[];
    return rows.length > 0;
  }

  /** One round trip, in its own transaction. */
  post(request: PostingRequest): Promise<Posting> {
    return this.retryingIdempotencyRace(async () => posting(await this.callPost(this.dataSource, request), request));
  }

  /**
   * Posts every request or none (one database transaction). Accounts are locked up front in user id
   * order, so two batches touching the same accounts queue instead of deadlocking.
   */
  postBatch(requests: readonly PostingRequest[]): Promise<Posting[]> {
    return this.retryingIdempotencyRace(() =>
      inTransaction(this.dataSource, async (tx) => {
        for (const userId of [...new Set(requests.map((r) => r.userId))].sort()) await this.lockAccount(tx, userId);
        const postings: Posting[] = [];
        for (const request of requests) postings.push(posting(await this.callPost(tx, request), request));
        return postings;
      }),
    );
  }

  /**
   * Gives back all (`amount` omitted) or part of a spend. Refunds of one transaction never add up to
   * more than it took.
   */
  refund(
    transactionId: string,
    amount: Credits | null,
    details: { reason: string; actorId: string; idempotency?: IdempotencyKey },
  ): Promise<Posting> {
    return this.retryingIdempotencyRace(() =>
      inTransaction(this.dataSource, async (tx) => {
        const original = await tx.one<TransactionRow>(`SELECT * FROM ledger_transaction WHERE id = $1`, [transactionId]);
        if (!original) throw DomainError.notFound('Transaction', { transactionId });
        // A team wallet's spending has no user account to refund to; an admin adjusts the wallet instead.
        if (!original.user_id) {
          throw DomainError.badInput('A team wallet transaction is corrected by adjusting the team wallet', { transactionId });
        }
        await this.lockAccount(tx, original.user_id);
        const request: PostingRequest = {
          userId: original.user_id,
          type: 'refund',
          amount: Credits.ZERO,
          reason: details.reason,
          actorId: details.actorId,
          reversesId: transactionId,
          idempotency: details.idempotency,
          counterAccount: COUNTER_ACCOUNT[original.type],
        };
        // A replay must answer even when nothing is left to refund since.
        if (details.idempotency && (await this.isKnown(tx, details.idempotency))) {
          return posting(await this.callPost(tx, request), request);
        }
        if (!REFUNDABLE_TYPES.has(original.type)) {
          throw DomainError.badInput(`A ${original.type} transaction cannot be refunded`, { transactionId });
        }
        const refunded = await tx.only<{ total: string }>(
          `SELECT coalesce(sum(amount), 0) AS total FROM ledger_transaction WHERE reverses_id = $1`,
          [transactionId],
        );
        const refundable = Credits.fromMillis(-BigInt(original.amount) - BigInt(refunded.total));
        const refund = amount ?? refundable;
        if (!refund.isPositive() || refund.isGreaterThan(refundable)) {
          throw DomainError.badInput(`At most ${refundable.toString()} credits of this transaction can still be refunded`, {
            refundable: refundable.toNumber(),
          });
        }
        return posting(await this.callPost(tx, { ...request, amount: refund }), request);
      }),
    );
  }

  /**
   * Reserves credits for work whose cost is known later; they stay in the balance but are unavailable.
   * A hold without an idempotency key goes with the holds arriving beside it, in one statement.
   */
  hold(request: HoldRequest): Promise<HoldResult> {
    return this.retryingIdempotencyRace(async () => {
      const hold = holdRow(request);
      const commit = request.commit ?? 'durable';
      // A keyed hold is written alone: its race with a replay is settled by the idempotency key's unique index.
      const result = request.idempotency
        ? onlyResult(await HOLD[commit].run(this.dataSource, this.holdArguments(hold, request.idempotency)))
        : await this.holds[commit](hold);
      if (result.status === 'over_budget' && request.budget) throw overBudget(request.budget, result);
      refuse(result, noAccount(request.userId), request.amount);
      return holdResult(result);
    });
  }

  private holdBatch(batch: readonly Hold[], commit: CommitMode): Promise<LedgerResult[]> {
    const threshold = this.lowBalanceThreshold.millis.toString();
    return writeLedgerBatch(this.dataSource, batch, HOLD_BATCH[commit], [JSON.stringify(batch), threshold], (lone) => HOLD[commit].run(this.dataSource, this.holdArguments(lone)));
  }

  /** `ledger_hold`'s arguments, in its order. */
  private holdArguments(hold: Hold, idempotency?: HoldRequest['idempotency']): unknown[] {
    return [
      hold.user_id,
      hold.amount,
      hold.expires_at,
      hold.description,
      idempotency?.scope ?? null,
      idempotency?.key ?? null,
      idempotency?.requestHash ?? null,
      hold.metadata,
      this.lowBalanceThreshold.millis.toString(),
      hold.budget_key,
      hold.budget_month,
      hold.budget,
    ];
  }

  /**
   * Settles a hold at its final cost (at most what was held): the cost is debited as usage and the
   * rest is available again. Capturing again with the same amount answers the first result.
   */
  async capture(
    holdId: string,
    amount: Credits,
    details: { reason?: string; metadata?: Record<string, unknown>; commit?: CommitMode } = {},
  ): Promise<HoldResult> {
    const result = await this.captures[details.commit ?? 'durable']({
      hold_id: holdId,
      amount: amount.millis.toString(),
      reason: details.reason ?? null,
      metadata: details.metadata ?? {},
    });
    if (result.status === 'out_of_range') {
      const held = Credits.fromMillis(result.held ?? '0');
      throw DomainError.badInput(`The captured amount must be between 0 and the ${held.toString()} held`, { held: held.toNumber() });
    }
    refuse(result, noHold(holdId), amount);
    return holdResult(result);
  }

  private captureBatch(batch: readonly Capture[], commit: CommitMode): Promise<LedgerResult[]> {
    const counter = COUNTER_ACCOUNT.usage;
    const threshold = this.lowBalanceThreshold.millis.toString();
    return writeLedgerBatch(this.dataSource, batch, CAPTURE_BATCH[commit], [JSON.stringify(batch), counter, threshold], (lone) =>
      CAPTURE[commit].run(this.dataSource, [lone.hold_id, lone.amount, lone.reason, lone.metadata, counter, threshold]),
    );
  }

  /** Frees a hold without charging; releasing twice is harmless. */
  async release(holdId: string, status: 'released' | 'expired' = 'released', commit?: CommitMode): Promise<HoldResult> {
    const result = await this.call(this.dataSource, committed(`SELECT ledger_release($1, $2, $3) AS result`, commit), [
      holdId,
      status,
      this.lowBalanceThreshold.millis.toString(),
    ]);
    refuse(result, noHold(holdId), Credits.ZERO);
    return holdResult(result);
  }

  /** Holds past their expiry, oldest first, for the release job. */
  async dueHolds(now: Date, limit: number): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT id FROM credit_hold WHERE status = 'active' AND expires_at <= $1 ORDER BY expires_at LIMIT $2`,
      [now, limit],
    )) as Array<{ id: string }>;
    return rows.map((row) => row.id);
  }

  /** Users with expiring credits whose time has come, for the expiry job. */
  async usersWithLapsedCredits(now: Date, limit: number): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT a.user_id FROM credit_lot l JOIN credit_account a ON a.id = l.account_id
        WHERE l.remaining > 0 AND l.expires_at <= $1 LIMIT $2`,
      [now, limit],
    )) as Array<{ user_id: string }>;
    return rows.map((row) => row.user_id);
  }

  /**
   * Expires what is left of the user's lapsed grants with one `expiry` transaction. Credits reserved
   * by a hold are not taken: the work they pay for is already under way.
   */
  expireLapsedCredits(userId: string, now: Date): Promise<Posting | null> {
    return inTransaction(this.dataSource, async (tx) => {
      await this.lockAccount(tx, userId);
      const lapsed = await tx.only<{ total: string }>(
        `WITH emptied AS (
           UPDATE credit_lot l SET remaining = 0 FROM credit_lot old, credit_account a
            WHERE l.id = old.id AND a.id = l.account_id AND a.user_id = $1 AND l.remaining > 0 AND l.expires_at <= $2
           RETURNING old.remaining
         )
         SELECT coalesce(sum(remaining), 0) AS total FROM emptied`,
        [userId, now],
      );
      if (lapsed.total === '0') return null;
      const account = await tx.only<{ balance: string; reserved: string }>(
        `UPDATE credit_account SET expiring = expiring - $2 WHERE user_id = $1 RETURNING balance, reserved`,
        [userId, lapsed.total],
      );
      const available = BigInt(account.balance) - BigInt(account.reserved);
      const expired = BigInt(lapsed.total) < available ? BigInt(lapsed.total) : available;
      if (expired <= 0n) return null;
      const request: PostingRequest = {
        userId,
        type: 'expiry',
        amount: Credits.fromMillis(-expired),
        reason: 'Credits reached their expiry date',
      };
      return posting(await this.callPost(tx, request), request);
    });
  }

  private async lockAccount(tx: SqlTransaction, userId: string): Promise<void> {
    const account = await tx.one(`SELECT 1 FROM credit_account WHERE user_id = $1 FOR UPDATE`, [userId]);
    if (!account) throw DomainError.notFound('Credit account', { userId });
  }

  private async isKnown(tx: SqlTransaction, idempotency: IdempotencyKey): Promise<boolean> {
    return Boolean(
      await tx.one(`SELECT 1 FROM ledger_transaction WHERE idempotency_scope = $1 AND idempotency_key = $2`, [
        idempotency.scope,
        idempotency.key,
      ]),
    );
  }

  private callPost(on: DataSource | SqlTransaction, request: PostingRequest): Promise<LedgerResult> {
    return this.call(on, `SELECT ledger_post($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) AS result`, [
      request.userId,
      request.type,
      request.amount.millis.toString(),
      request.reason ?? null,
      request.actorId ?? null,
      request.idempotency?.scope ?? null,
      request.idempotency?.key ?? null,
      request.idempotency?.requestHash ?? null,
      request.reversesId ?? null,
      request.metadata ?? {},
      request.expiresAt ?? null,
      request.counterAccount ?? COUNTER_ACCOUNT[request.type],
      this.lowBalanceThreshold.millis.toString(),
    ]);
  }

  private async call(on: DataSource | SqlTransaction, sql: string, params: unknown[]): Promise<LedgerResult> {
    return onlyResult(
      on instanceof SqlTransaction ? await on.rows<{ result: LedgerResult }>(sql, params) : ((await on.query(sql, params)) as Array<{ result: LedgerResult }>),
    );
  }

  /**
   * Two requests with one new idempotency key can both miss it and race to insert; the loser's
   * insert fails on the unique index. Running it again finds the winner's result (or refuses a key
   * reused for something else).
   */
  private async retryingIdempotencyRace<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (IDEMPOTENCY_INDEXES.has(violatedConstraint(error) ?? '')) return work();
      throw error;
    }
  }
}

/** One capture as `ledger_capture_batch` reads it. */
interface Capture {
  hold_id: string;
  amount: string;
  reason: string | null;
  metadata: Record<string, unknown>;
}

const HOLD = prepared<{ result: LedgerResult }>('ledger_hold', `SELECT ledger_hold($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) AS result`);
const HOLD_BATCH = prepared<{ results: LedgerResult[] }>('ledger_hold_batch', `SELECT ledger_hold_batch($1, $2) AS results`);
const CAPTURE = prepared<{ result: LedgerResult }>('ledger_capture', `SELECT ledger_capture($1, $2, $3, $4, $5, $6) AS result`);
const CAPTURE_BATCH = prepared<{ results: LedgerResult[] }>('ledger_capture_batch', `SELECT ledger_capture_batch($1, $2, $3) AS results`);

/** Turns the refusals every ledger function may answer into domain errors. */
function refuse(result: LedgerResult, notFound: () => DomainError, required: Credits): void {
  switch (result.status) {
    case 'not_found':
      throw notFound();
    case 'reused':
      throw new DomainError(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was already used for a different request: use a new key for a new request',
      );
    case 'insufficient':
      throw insufficientCredits(Credits.fromMillis(result.available ?? '0'), required);
    case 'settled':
      throw new DomainError('CONFLICT', `This hold is already ${result.hold_status}`, { status: result.hold_status });
    default:
  }
}

function overBudget(budget: HoldBudget, result: LedgerResult): DomainError {
  const committed = Credits.fromMillis(BigInt(result.spent ?? '0') + BigInt(result.reserved ?? '0'));
  const month = budget.month.slice(0, 7);
  return new DomainError(
    'BUDGET_EXCEEDED',
    `This API key's monthly budget of ${budget.credits.toString()} credits would be exceeded (${month}: ${committed.toString()} spent or held); ` +
      `its owner can raise the budget, or the key can be used again next month`,
    { api_key_id: budget.apiKeyId, month, budget: budget.credits.toNumber(), spent_or_held: committed.toNumber() },
  );
}

/** The user has no account yet: LedgerService opens one (if the user exists) and tries again. */
const noAccount = (userId: string) => () => DomainError.notFound('Credit account', { userId });
const noHold = (holdId: string) => () => DomainError.notFound('Hold', { holdId });

function posting(result: LedgerResult, request: PostingRequest): Posting {
  refuse(result, noAccount(request.userId), request.amount.millis < 0n ? request.amount.negate() : request.amount);
  if (!result.transaction || !result.account) throw new Error(`ledger_post answered ${result.status} without a transaction`);
  return { transaction: toTransaction(result.transaction), account: toAccountState(result.account), replayed: result.status === 'replayed' };
}

function holdResult(result: LedgerResult): HoldResult {
  if (!result.hold || !result.account) throw new Error(`a hold operation answered ${result.status} without a hold`);
  return { hold: toHold(result.hold), account: toAccountState(result.account), replayed: result.status === 'replayed' };
}
