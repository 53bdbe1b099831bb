import { alertLevel, alertsForMove, COUNTER_ACCOUNT, Credits, DomainError, REFUNDABLE_TYPES } from '@sah/domain';
import { DataSource } from 'typeorm';
import { violatedConstraint } from '../constraint-violation';
import { AccountRow, HoldRow, toAccountState, toHold, toTransaction, TransactionRow } from './ledger.rows';
import type { AccountState, HoldRequest, HoldResult, IdempotencyKey, Posting, PostingRequest } from './ledger.types';
import { inTransaction, SqlTransaction } from './sql-transaction';

const IDEMPOTENCY_INDEXES = new Set(['uq_ledger_transaction_idempotency', 'uq_credit_hold_idempotency']);

/**
 * The ledger's write side. Every operation runs in one database transaction that first locks the
 * user's account row: operations on one account are serialised, on different accounts they run in
 * parallel. Balances never go below what is reserved, and never below zero.
 */
export class LedgerRepository {
  private systemAccounts?: Promise<Map<string, string>>;

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

  post(request: PostingRequest): Promise<Posting> {
    return this.retryingIdempotencyRace(() =>
      inTransaction(this.dataSource, async (tx) => {
        const account = await this.lockAccount(tx, request.userId);
        const replay = request.idempotency && (await this.findReplay(tx, request.idempotency, account));
        return replay ?? this.apply(tx, account, request);
      }),
    );
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
        for (const request of requests) {
          // Read again (already locked): a second posting to one account must see the first.
          const account = await this.lockAccount(tx, request.userId);
          const replay = request.idempotency && (await this.findReplay(tx, request.idempotency, account));
          postings.push(replay ?? (await this.apply(tx, account, request)));
        }
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
        const account = await this.lockAccount(tx, original.user_id);
        const replay = details.idempotency && (await this.findReplay(tx, details.idempotency, account));
        if (replay) return replay;
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
        return this.apply(tx, account, {
          userId: original.user_id,
          type: 'refund',
          amount: refund,
          reason: details.reason,
          actorId: details.actorId,
          reversesId: transactionId,
          idempotency: details.idempotency,
          counterAccount: COUNTER_ACCOUNT[original.type],
        });
      }),
    );
  }

  /** Reserves credits for work whose cost is known later; they stay in the balance but are unavailable. */
  hold(request: HoldRequest): Promise<HoldResult> {
    return this.retryingIdempotencyRace(() =>
      inTransaction(this.dataSource, async (tx) => {
        const account = await this.lockAccount(tx, request.userId);
        if (request.idempotency) {
          const existing = await tx.one<HoldRow>(
            `SELECT * FROM credit_hold WHERE idempotency_scope = $1 AND idempotency_key = $2`,
            [request.idempotency.scope, request.idempotency.key],
          );
          if (existing) {
            assertSameRequest(existing.request_hash, request.idempotency);
            return { hold: toHold(existing), account: toAccountState(account), replayed: true };
          }
        }
        const available = BigInt(account.balance) - BigInt(account.reserved);
        if (available < request.amount.millis) throw insufficient(available, request.amount);
        const updated = await this.saveAccount(tx, account, { reserved: BigInt(account.reserved) + request.amount.millis });
        const hold = await tx.only<HoldRow>(
          `INSERT INTO credit_hold (account_id, user_id, amount, description, idempotency_scope, idempotency_key,
                                    request_hash, metadata, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
          [
            account.id,
            account.user_id,
            request.amount.millis.toString(),
            request.description ?? null,
            request.idempotency?.scope ?? null,
            request.idempotency?.key ?? null,
            request.idempotency?.requestHash ?? null,
            request.metadata ?? {},
            request.expiresAt,
          ],
        );
        return { hold: toHold(hold), account: updated, replayed: false };
      }),
    );
  }

  /**
   * Settles a hold at its final cost (at most what was held): the cost is debited as usage and the
   * rest is available again. Capturing again with the same amount answers the first result.
   */
  capture(holdId: string, amount: Credits, details: { reason?: string; metadata?: Record<string, unknown> } = {}): Promise<HoldResult> {
    return inTransaction(this.dataSource, async (tx) => {
      const { account, hold } = await this.lockHold(tx, holdId);
      if (hold.status !== 'active') {
        if (hold.status === 'captured' && BigInt(hold.captured) === amount.millis) {
          return { hold: toHold(hold), account: toAccountState(account), replayed: true };
        }
        throw new DomainError('CONFLICT', `This hold is already ${hold.status}`, { holdId, status: hold.status });
      }
      if (amount.millis < 0n || amount.millis > BigInt(hold.amount)) {
        throw DomainError.badInput(`The captured amount must be between 0 and the ${Credits.fromMillis(hold.amount).toString()} held`, {
          held: Credits.fromMillis(hold.amount).toNumber(),
        });
      }
      account.reserved = (BigInt(account.reserved) - BigInt(hold.amount)).toString();
      let transactionId: string | null = null;
      let state: AccountState;
      if (amount.isPositive()) {
        const posting = await this.apply(tx, account, {
          userId: account.user_id,
          type: 'usage',
          amount: amount.negate(),
          reason: details.reason ?? hold.description,
          metadata: { ...hold.metadata, ...details.metadata, holdId },
        });
        transactionId = posting.transaction.id;
        state = posting.account;
      } else {
        state = await this.saveAccount(tx, account, {});
      }
      const settled = await tx.only<HoldRow>(
        `UPDATE credit_hold SET status = 'captured', captured = $2, capture_transaction_id = $3, settled_at = now()
          WHERE id = $1 RETURNING *`,
        [holdId, amount.millis.toString(), transactionId],
      );
      return { hold: toHold(settled), account: state, replayed: false };
    });
  }

  /** Frees a hold without charging; releasing twice is harmless. */
  release(holdId: string, status: 'released' | 'expired' = 'released'): Promise<HoldResult> {
    return inTransaction(this.dataSource, async (tx) => {
      const { account, hold } = await this.lockHold(tx, holdId);
      if (hold.status === 'released' || hold.status === 'expired') {
        return { hold: toHold(hold), account: toAccountState(account), replayed: true };
      }
      if (hold.status === 'captured') throw new DomainError('CONFLICT', 'This hold is already captured', { holdId });
      const state = await this.saveAccount(tx, account, { reserved: BigInt(account.reserved) - BigInt(hold.amount) });
      const released = await tx.only<HoldRow>(
        `UPDATE credit_hold SET status = $2, settled_at = now() WHERE id = $1 RETURNING *`,
        [holdId, status],
      );
      return { hold: toHold(released), account: state, replayed: false };
    });
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
      const account = await this.lockAccount(tx, userId);
      const lots = await tx.rows<{ id: string; remaining: string }>(
        `UPDATE credit_lot l SET remaining = 0 FROM credit_lot old
          WHERE l.id = old.id AND l.account_id = $1 AND l.remaining > 0 AND l.expires_at <= $2
          RETURNING l.id, old.remaining`,
        [account.id, now],
      );
      if (lots.length === 0) return null;
      const lapsed = lots.reduce((sum, lot) => sum + BigInt(lot.remaining), 0n);
      account.expiring = (BigInt(account.expiring) - lapsed).toString();
      const available = BigInt(account.balance) - BigInt(account.reserved);
      const expired = lapsed < available ? lapsed : available;
      if (expired <= 0n) {
        await this.saveAccount(tx, account, {});
        return null;
      }
      return this.apply(tx, account, {
        userId,
        type: 'expiry',
        amount: Credits.fromMillis(-expired),
        reason: 'Credits reached their expiry date',
        metadata: { lots: lots.map((lot) => lot.id) },
      });
    });
  }

  /** Locks the user's account row for the rest of the transaction. */
  private async lockAccount(tx: SqlTransaction, userId: string): Promise<AccountRow> {
    const account = await tx.one<AccountRow>(`SELECT * FROM credit_account WHERE user_id = $1 FOR UPDATE`, [userId]);
    if (!account) throw DomainError.notFound('Credit account', { userId });
    return account;
  }

  private async lockHold(tx: SqlTransaction, holdId: string): Promise<{ account: AccountRow; hold: HoldRow }> {
    const found = await tx.one<{ user_id: string }>(`SELECT user_id FROM credit_hold WHERE id = $1`, [holdId]);
    if (!found) throw DomainError.notFound('Hold', { holdId });
    const account = await this.lockAccount(tx, found.user_id);
    const hold = await tx.only<HoldRow>(`SELECT * FROM credit_hold WHERE id = $1`, [holdId]);
    return { account, hold };
  }

  private async findReplay(tx: SqlTransaction, idempotency: IdempotencyKey, account: AccountRow): Promise<Posting | undefined> {
    const existing = await tx.one<TransactionRow>(
      `SELECT * FROM ledger_transaction WHERE idempotency_scope = $1 AND idempotency_key = $2`,
      [idempotency.scope, idempotency.key],
    );
    if (!existing) return undefined;
    assertSameRequest(existing.request_hash, idempotency);
    if (existing.user_id !== account.user_id) throw reused();
    return { transaction: toTransaction(existing), account: toAccountState(account), replayed: true };
  }

  /** Posts one transaction against an account this transaction has locked. */
  private async apply(tx: SqlTransaction, account: AccountRow, request: PostingRequest): Promise<Posting> {
    const amount = request.amount.millis;
    const balance = BigInt(account.balance) + amount;
    const reserved = BigInt(account.reserved);
    if (amount < 0n && balance < reserved) throw insufficient(BigInt(account.balance) - reserved, request.amount.negate());
    let expiring = BigInt(account.expiring);
    if (request.expiresAt && amount > 0n) expiring += amount;
    // Spending uses the soonest-expiring credits first (expiry itself has already emptied its lots).
    if (amount < 0n && expiring > 0n && request.type !== 'expiry') {
      await tx.rows(
        `UPDATE credit_lot l SET remaining = l.remaining - LEAST(l.remaining, $2::bigint - o.before)
           FROM (SELECT id, sum(remaining) OVER (ORDER BY expires_at, id) - remaining AS before
                   FROM credit_lot WHERE account_id = $1 AND remaining > 0) o
          WHERE l.id = o.id AND o.before < $2::bigint`,
        [account.id, (-amount).toString()],
      );
      expiring = expiring + amount > 0n ? expiring + amount : 0n;
    }
    const state = await this.saveAccount(tx, account, { balance, expiring });

    const counterAccount = request.counterAccount ?? COUNTER_ACCOUNT[request.type];
    const systemAccountId = (await this.systemAccountIds(tx)).get(counterAccount);
    if (!systemAccountId) throw new Error(`system account ${counterAccount} is missing: are the migrations applied?`);
    const row = await tx.only<TransactionRow>(
      `WITH t AS (
         INSERT INTO ledger_transaction (type, user_id, amount, balance_after, reason, actor_id, idempotency_scope,
                                         idempotency_key, request_hash, reverses_id, metadata)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *
       ), e AS (
         INSERT INTO ledger_entry (transaction_id, account_id, amount)
         SELECT t.id, v.account_id, v.amount FROM t, (VALUES ($12::uuid, $3::bigint), ($13::uuid, -$3::bigint)) AS v (account_id, amount)
       )
       SELECT * FROM t`,
      [
        request.type,
        account.user_id,
        amount.toString(),
        balance.toString(),
        request.reason ?? null,
        request.actorId ?? null,
        request.idempotency?.scope ?? null,
        request.idempotency?.key ?? null,
        request.idempotency?.requestHash ?? null,
        request.reversesId ?? null,
        request.metadata ?? {},
        account.id,
        systemAccountId,
      ],
    );
    if (request.expiresAt && amount > 0n) {
      await tx.rows(
        `INSERT INTO credit_lot (account_id, transaction_id, amount, remaining, expires_at) VALUES ($1, $2, $3, $3, $4)`,
        [account.id, row.id, amount.toString(), request.expiresAt],
      );
    }
    return { transaction: toTransaction(row), account: state, replayed: false };
  }

  /**
   * Writes the account's new totals and its alert level; crossing down into `low` or `depleted`
   * records `credit.low` / `credit.depleted` in the outbox, once per crossing.
   */
  private async saveAccount(
    tx: SqlTransaction,
    account: AccountRow,
    changes: { balance?: bigint; reserved?: bigint; expiring?: bigint },
  ) {
    const balance = changes.balance ?? BigInt(account.balance);
    const reserved = changes.reserved ?? BigInt(account.reserved);
    const expiring = changes.expiring ?? BigInt(account.expiring);
    const level = alertLevel(balance - reserved, this.lowBalanceThreshold.millis);
    const updated = await tx.only<AccountRow>(
      `UPDATE credit_account SET balance = $2, reserved = $3, expiring = $4, alert_level = $5, updated_at = now()
        WHERE id = $1 RETURNING *`,
      [account.id, balance.toString(), reserved.toString(), expiring.toString(), level],
    );
    const events = alertsForMove(account.alert_level, level);
    if (events.length > 0) {
      const payload = {
        userId: account.user_id,
        from: account.alert_level,
        to: level,
        available: Credits.fromMillis(balance - reserved).toNumber(),
        threshold: this.lowBalanceThreshold.toNumber(),
      };
      await tx.rows(
        `INSERT INTO outbox_event (type, payload, occurred_at) SELECT unnest($1::text[]), $2::jsonb, now()`,
        [events, payload],
      );
    }
    return toAccountState(updated);
  }

  /**
   * Read through the caller's transaction: a separate pool connection here could deadlock a pool
   * whose every connection is a transaction waiting for this very lookup.
   */
  private systemAccountIds(tx: SqlTransaction): Promise<Map<string, string>> {
    this.systemAccounts ??= tx
      .rows<{ id: string; code: string }>(`SELECT id, code FROM credit_account WHERE code IS NOT NULL`)
      .then((rows) => new Map(rows.map((row) => [row.code, row.id])));
    this.systemAccounts.catch(() => (this.systemAccounts = undefined));
    return this.systemAccounts;
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

function assertSameRequest(storedHash: string | null, idempotency: IdempotencyKey): void {
  if (storedHash !== idempotency.requestHash) throw reused();
}

function reused(): DomainError {
  return new DomainError(
    'IDEMPOTENCY_KEY_REUSED',
    'This Idempotency-Key was already used for a different request: use a new key for a new request',
  );
}

function insufficient(availableMillis: bigint, required: Credits): DomainError {
  const available = Credits.fromMillis(availableMillis);
  return new DomainError('INSUFFICIENT_CREDITS', `Not enough credits: ${available.toString()} available, ${required.toString()} required`, {
    balance: available.toNumber(),
    required: required.toNumber(),
  });
}
