import { COUNTER_ACCOUNT, Credits, DomainError, insufficientCredits, TransactionType } from '@sah/domain';
import { DataSource } from 'typeorm';
import type { CommitMode } from '../commit-mode';
import { violatedConstraint } from '../constraint-violation';
import { groupCommit } from '../group-commit';
import { Hold, holdRow, onlyResult, preparedPerCommitMode, writeLedgerBatch } from './ledger-batch';
import { HoldRow, toHold } from './ledger.rows';
import { inTransaction } from './sql-transaction';
import type { CreditHold, HoldBudget, IdempotencyKey } from './ledger.types';

export interface TeamWalletState {
  teamId: string;
  balance: Credits;
  reserved: Credits;
}

/** One movement of a team wallet, as the wallet saw it. */
export interface TeamWalletEntry {
  transactionId: string;
  type: TransactionType;
  /** Signed effect on the wallet. */
  amount: Credits;
  balanceAfter: Credits;
  reason: string | null;
  /** Who acted: the admin who adjusted, the member who transferred or spent. */
  actorId: string | null;
  metadata: Record<string, unknown>;
  createdAt: Date;
}

export interface TeamMemberLimits {
  userId: string;
  dailyCredits: Credits | null;
  monthlyCredits: Credits | null;
}

/** What a member's (or, with userId null, the whole team's) holds took in a period: captured plus still held. */
export interface TeamSpend {
  userId: string | null;
  period: 'day' | 'month';
  used: Credits;
}

export interface TeamHoldRequest {
  teamId: string;
  /** The member who spends. */
  userId: string;
  amount: Credits;
  expiresAt: Date;
  /** The UTC day (YYYY-MM-DD) the hold counts in; its month for the monthly limits. */
  day: string;
  description?: string | null;
  idempotency?: IdempotencyKey;
  metadata?: Record<string, unknown>;
  /** The API key's own monthly budget, checked in the same call. */
  budget?: HoldBudget | null;
  /** As a user's hold (see HoldRequest). */
  commit?: CommitMode;
}

export type TeamLimit = 'member_daily' | 'member_monthly' | 'team_monthly' | 'api_key';

interface TeamResult {
  status: 'posted' | 'replayed' | 'held' | 'not_found' | 'not_member' | 'reused' | 'insufficient' | 'over_budget';
  transaction?: { id: string; amount: string; balance_after: string };
  hold?: HoldRow;
  account?: { team_id: string; balance: string; reserved: string };
  available?: string;
  missing?: 'user' | 'team';
  limit?: TeamLimit;
  budget?: string;
  used?: string;
  period?: string;
}

const IDEMPOTENCY_INDEXES = new Set(['uq_ledger_transaction_idempotency', 'uq_credit_hold_idempotency']);

/**
 * Team wallets over the ledger functions of migration TeamWallets1796500000000: each operation locks
 * the team's account inside the database, as the user ledger does, and a member's holds check every
 * team limit under that lock.
 */
export class TeamWalletRepository {
  /** Holds without an idempotency key, group-committed per commit mode (see LedgerRepository's). */
  private readonly holds: Record<CommitMode, (hold: TeamHold) => Promise<TeamResult>> = {
    durable: groupCommit((batch) => this.holdBatch(batch, 'durable')),
    relaxed: groupCommit((batch) => this.holdBatch(batch, 'relaxed')),
  };

  constructor(
    private readonly dataSource: DataSource,
    private readonly lowBalanceThreshold: Credits,
  ) {}

  /** Opens the team's wallet if it has none. */
  async openWallet(teamId: string): Promise<void> {
    await this.dataSource.query(`INSERT INTO credit_account (team_id) VALUES ($1) ON CONFLICT (team_id) DO NOTHING`, [teamId]);
  }

  async wallet(teamId: string): Promise<TeamWalletState | null> {
    const rows = (await this.dataSource.query(`SELECT balance, reserved FROM credit_account WHERE team_id = $1`, [teamId])) as Array<{
      balance: string;
      reserved: string;
    }>;
    const row = rows[0];
    return row ? { teamId, balance: Credits.fromMillis(row.balance), reserved: Credits.fromMillis(row.reserved) } : null;
  }

  /** An admin's signed correction of the wallet (never below what it holds in reserve). */
  adjust(input: { teamId: string; amount: Credits; reason: string; actorId: string; idempotency?: IdempotencyKey }) {
    return this.post({ ...input, type: 'adjustment' });
  }

  /**
   * A Stripe payment's effect on the wallet, `actorId` the member who paid: a purchase's credits in,
   * or (negative) a refund's chargeback out, never below what the wallet holds in reserve.
   */
  postPayment(input: {
    teamId: string;
    type: 'purchase' | 'chargeback';
    amount: Credits;
    reason: string;
    actorId: string;
    idempotency: IdempotencyKey;
    metadata: Record<string, unknown>;
  }) {
    return this.post(input);
  }

  private async post(input: {
    teamId: string;
    type: 'adjustment' | 'purchase' | 'chargeback';
    amount: Credits;
    reason: string;
    actorId: string;
    idempotency?: IdempotencyKey;
    metadata?: Record<string, unknown>;
  }) {
    const result = await this.retrying(() =>
      this.call(`SELECT ledger_team_post($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) AS result`, [
        input.teamId,
        input.type,
        input.amount.millis.toString(),
        input.reason,
        input.actorId,
        input.idempotency?.scope ?? null,
        input.idempotency?.key ?? null,
        input.idempotency?.requestHash ?? null,
        JSON.stringify(input.metadata ?? {}),
        COUNTER_ACCOUNT[input.type],
      ]),
    );
    refuse(result, input.amount.millis < 0n ? input.amount.negate() : input.amount);
    return posted(result);
  }

  /** The user's credits into the team's wallet, as one ledger transaction. */
  async transferFromUser(input: { userId: string; teamId: string; amount: Credits; reason: string; actorId: string; idempotency: IdempotencyKey }) {
    const result = await this.retrying(() =>
      this.call(`SELECT ledger_transfer_to_team($1, $2, $3, $4, $5, $6, $7, $8, '{}', $9) AS result`, [
        input.userId,
        input.teamId,
        input.amount.millis.toString(),
        input.reason,
        input.actorId,
        input.idempotency.scope,
        input.idempotency.key,
        input.idempotency.requestHash,
        this.lowBalanceThreshold.millis.toString(),
      ]),
    );
    refuse(result, input.amount);
    return posted(result);
  }

  /**
   * A member's hold on the wallet; refused (402 BUDGET_EXCEEDED) past any limit, before anything is written.
   * A hold without an idempotency key goes with the holds arriving beside it, in one statement.
   */
  async hold(request: TeamHoldRequest): Promise<{ hold: CreditHold; replayed: boolean }> {
    const hold = teamHoldRow(request);
    const commit = request.commit ?? 'durable';
    const result = await this.retrying(async () =>
      // A keyed hold is written alone: its race with a replay is settled by the idempotency key's unique index.
      request.idempotency ? onlyResult(await TEAM_HOLD[commit].run(this.dataSource, teamHoldArguments(hold, request.idempotency))) : this.holds[commit](hold),
    );
    // A team that was never funded has nothing to spend.
    if (result.status === 'not_found') throw insufficientCredits(Credits.ZERO, request.amount);
    if (result.status === 'not_member') {
      throw new DomainError('FORBIDDEN', "This API key spends a team's credits, and its owner is no longer a member of that team", {
        team_id: request.teamId,
      });
    }
    if (result.status === 'over_budget') throw overLimit(result);
    refuse(result, request.amount);
    if (!result.hold) throw new Error(`ledger_team_hold answered ${result.status} without a hold`);
    return { hold: toHold(result.hold), replayed: result.status === 'replayed' };
  }

  /** The team and member of a team hold, with the day it counts in; null for a user's hold. */
  async teamHold(holdId: string): Promise<{ teamId: string; memberId: string; day: string } | null> {
    const rows = (await this.dataSource.query(
      `SELECT team_id, user_id, to_char(team_day, 'YYYY-MM-DD') AS day FROM credit_hold WHERE id = $1 AND team_id IS NOT NULL`,
      [holdId],
    )) as Array<{ team_id: string; user_id: string; day: string }>;
    const row = rows[0];
    return row ? { teamId: row.team_id, memberId: row.user_id, day: row.day } : null;
  }

  /**
   * Usage charged on the wallet after its hold was released (work that finished past its deadline),
   * once per idempotency key, with the member as actor. It counts in the member's and the team's spend
   * of the hold's day and month, as a capture would; the limits are not checked again (the work is done).
   */
  async chargeLate(input: {
    teamId: string;
    memberId: string;
    day: string;
    amount: Credits;
    reason: string;
    metadata: Record<string, unknown>;
    idempotency: IdempotencyKey;
  }): Promise<{ transactionId: string; replayed: boolean }> {
    const result = await this.retrying(() =>
      inTransaction(this.dataSource, async (tx) => {
        const [row] = await tx.rows<{ result: TeamResult }>(`SELECT ledger_team_post($1, 'usage', $2, $3, $4, $5, $6, $7, $8, $9) AS result`, [
          input.teamId,
          input.amount.negate().millis.toString(),
          input.reason,
          input.memberId,
          input.idempotency.scope,
          input.idempotency.key,
          input.idempotency.requestHash,
          { ...input.metadata, teamId: input.teamId, memberId: input.memberId },
          COUNTER_ACCOUNT.usage,
        ]);
        if (!row) throw new Error('ledger_team_post returned no row');
        if (row.result.status === 'posted') {
          await tx.rows(
            `INSERT INTO team_spend AS s (team_id, user_id, period, starts, spent)
             VALUES ($1, $2, 'day', $3::date, $4), ($1, $2, 'month', date_trunc('month', $3::date)::date, $4),
                    ($1, NULL, 'month', date_trunc('month', $3::date)::date, $4)
             ON CONFLICT (team_id, coalesce(user_id, team_id), period, starts) DO UPDATE SET spent = s.spent + EXCLUDED.spent`,
            [input.teamId, input.memberId, input.day, input.amount.millis.toString()],
          );
        }
        return row.result;
      }),
    );
    refuse(result, input.amount);
    const { transactionId, replayed } = posted(result);
    return { transactionId, replayed };
  }

  /** Newest first; each row's balance is the wallet's after it, from the wallet's own entries. */
  async history(teamId: string, page: { offset: number; limit: number }): Promise<{ items: TeamWalletEntry[]; total: number }> {
    const rows = (await this.dataSource.query(
      `WITH wallet AS (SELECT id FROM credit_account WHERE team_id = $1),
            moves AS (SELECT e.id AS entry_id, e.transaction_id, e.amount,
                             sum(e.amount) OVER (ORDER BY e.id) AS balance_after, count(*) OVER () AS total
                        FROM ledger_entry e JOIN wallet w ON e.account_id = w.id)
       SELECT t.id, t.type, m.amount, m.balance_after, t.reason, t.actor_id, t.metadata, t.created_at, m.total
         FROM moves m JOIN ledger_transaction t ON t.id = m.transaction_id
        ORDER BY m.entry_id DESC OFFSET $2 LIMIT $3`,
      [teamId, page.offset, page.limit],
    )) as Array<{
      id: string;
      type: TransactionType;
      amount: string;
      balance_after: string;
      reason: string | null;
      actor_id: string | null;
      metadata: Record<string, unknown>;
      created_at: Date;
      total: string;
    }>;
    const total = rows[0] ? Number(rows[0].total) : page.offset > 0 ? await this.countEntries(teamId) : 0;
    return {
      total,
      items: rows.map((row) => ({
        transactionId: row.id,
        type: row.type,
        amount: Credits.fromMillis(row.amount),
        balanceAfter: Credits.fromMillis(row.balance_after),
        reason: row.reason,
        actorId: row.actor_id,
        metadata: row.metadata,
        createdAt: row.created_at,
      })),
    };
  }

  async monthlyCap(teamId: string): Promise<Credits | null> {
    const rows = (await this.dataSource.query(`SELECT monthly_cap FROM team_spending_limit WHERE team_id = $1`, [teamId])) as Array<{
      monthly_cap: string | null;
    }>;
    return rows[0]?.monthly_cap ? Credits.fromMillis(rows[0].monthly_cap) : null;
  }

  async setMonthlyCap(teamId: string, cap: Credits | null): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO team_spending_limit (team_id, monthly_cap) VALUES ($1, $2)
       ON CONFLICT (team_id) DO UPDATE SET monthly_cap = EXCLUDED.monthly_cap, updated_at = now()`,
      [teamId, cap?.millis.toString() ?? null],
    );
  }

  /** The team's own budget alert thresholds (whole percentages of the monthly cap); null: the default. */
  async alertThresholds(teamId: string): Promise<number[] | null> {
    const rows = (await this.dataSource.query(`SELECT alert_thresholds FROM team_spending_limit WHERE team_id = $1`, [teamId])) as Array<{
      alert_thresholds: number[] | null;
    }>;
    return rows[0]?.alert_thresholds ?? null;
  }

  async setAlertThresholds(teamId: string, thresholds: readonly number[] | null): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO team_spending_limit (team_id, alert_thresholds) VALUES ($1, $2::smallint[])
       ON CONFLICT (team_id) DO UPDATE SET alert_thresholds = EXCLUDED.alert_thresholds, updated_at = now()`,
      [teamId, thresholds === null ? null : [...thresholds]],
    );
  }

  async memberLimits(teamId: string): Promise<TeamMemberLimits[]> {
    const rows = (await this.dataSource.query(
      `SELECT user_id, daily_credits, monthly_credits FROM team_member_spending_limit WHERE team_id = $1`,
      [teamId],
    )) as Array<{ user_id: string; daily_credits: string | null; monthly_credits: string | null }>;
    return rows.map((row) => ({
      userId: row.user_id,
      dailyCredits: row.daily_credits ? Credits.fromMillis(row.daily_credits) : null,
      monthlyCredits: row.monthly_credits ? Credits.fromMillis(row.monthly_credits) : null,
    }));
  }

  async setMemberLimits(teamId: string, limits: TeamMemberLimits): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO team_member_spending_limit (team_id, user_id, daily_credits, monthly_credits) VALUES ($1, $2, $3, $4)
       ON CONFLICT (team_id, user_id) DO UPDATE
         SET daily_credits = EXCLUDED.daily_credits, monthly_credits = EXCLUDED.monthly_credits, updated_at = now()`,
      [teamId, limits.userId, limits.dailyCredits?.millis.toString() ?? null, limits.monthlyCredits?.millis.toString() ?? null],
    );
  }

  /** What the team's holds took on `day` (per member) and in its month (per member and in all). */
  async spending(teamId: string, day: string): Promise<TeamSpend[]> {
    const rows = (await this.dataSource.query(
      `SELECT user_id, period, spent + reserved AS used FROM team_spend
        WHERE team_id = $1 AND ((period = 'day' AND starts = $2::date) OR (period = 'month' AND starts = date_trunc('month', $2::date)::date))`,
      [teamId, day],
    )) as Array<{ user_id: string | null; period: 'day' | 'month'; used: string }>;
    return rows.map((row) => ({ userId: row.user_id, period: row.period, used: Credits.fromMillis(row.used) }));
  }

  private async countEntries(teamId: string): Promise<number> {
    const rows = (await this.dataSource.query(
      `SELECT count(*)::int AS total FROM ledger_entry e JOIN credit_account a ON a.id = e.account_id WHERE a.team_id = $1`,
      [teamId],
    )) as Array<{ total: number }>;
    return rows[0]?.total ?? 0;
  }

  private holdBatch(batch: readonly TeamHold[], commit: CommitMode): Promise<TeamResult[]> {
    return writeLedgerBatch(this.dataSource, batch, TEAM_HOLD_BATCH[commit], [JSON.stringify(batch)], (lone) =>
      TEAM_HOLD[commit].run(this.dataSource, teamHoldArguments(lone)),
    );
  }

  private async call(sql: string, params: unknown[]): Promise<TeamResult> {
    const rows = (await this.dataSource.query(sql, params)) as Array<{ result: TeamResult }>;
    if (!rows[0]) throw new Error('a ledger function returned no row');
    return rows[0].result;
  }

  /** Two requests racing with one new idempotency key: the loser runs again and finds the winner's result. */
  private async retrying(work: () => Promise<TeamResult>): Promise<TeamResult> {
    try {
      return await work();
    } catch (error) {
      if (IDEMPOTENCY_INDEXES.has(violatedConstraint(error) ?? '')) return work();
      throw error;
    }
  }
}

/** One hold as `ledger_team_hold_batch` reads it. */
interface TeamHold extends Hold {
  team_id: string;
  day: string;
}

function teamHoldRow(request: TeamHoldRequest): TeamHold {
  return { ...holdRow(request), team_id: request.teamId, day: request.day };
}

/** `ledger_team_hold`'s arguments, in its order. */
function teamHoldArguments(hold: TeamHold, idempotency?: IdempotencyKey): unknown[] {
  return [
    hold.team_id,
    hold.user_id,
    hold.amount,
    hold.expires_at,
    hold.description,
    idempotency?.scope ?? null,
    idempotency?.key ?? null,
    idempotency?.requestHash ?? null,
    hold.metadata,
    hold.day,
    hold.budget_key,
    hold.budget_month,
    hold.budget,
  ];
}

const TEAM_HOLD = preparedPerCommitMode<{ result: TeamResult }>(
  'ledger_team_hold',
  `SELECT ledger_team_hold($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) AS result`,
);
const TEAM_HOLD_BATCH = preparedPerCommitMode<{ results: TeamResult[] }>('ledger_team_hold_batch', `SELECT ledger_team_hold_batch($1) AS results`);

function refuse(result: TeamResult, required: Credits): void {
  switch (result.status) {
    case 'not_found':
      throw DomainError.notFound(result.missing === 'user' ? 'Credit account' : 'Team wallet');
    case 'reused':
      throw new DomainError(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was already used for a different request: use a new key for a new request',
      );
    case 'insufficient':
      throw insufficientCredits(Credits.fromMillis(result.available ?? '0'), required);
    default:
  }
}

function posted(result: TeamResult): { transactionId: string; wallet: TeamWalletState; replayed: boolean } {
  if (!result.transaction || !result.account) throw new Error(`a team ledger function answered ${result.status} without a transaction`);
  return {
    transactionId: result.transaction.id,
    wallet: {
      teamId: result.account.team_id,
      balance: Credits.fromMillis(result.account.balance),
      reserved: Credits.fromMillis(result.account.reserved),
    },
    replayed: result.status === 'replayed',
  };
}

const LIMIT_NAMES: Record<TeamLimit, string> = {
  member_daily: "the member's daily limit",
  member_monthly: "the member's monthly limit",
  team_monthly: "the team's monthly cap",
  api_key: "this API key's monthly budget",
};

function overLimit(result: TeamResult): DomainError {
  const limit = result.limit ?? 'team_monthly';
  const budget = Credits.fromMillis(result.budget ?? '0');
  const used = Credits.fromMillis(result.used ?? '0');
  return new DomainError(
    'BUDGET_EXCEEDED',
    `This call would exceed ${LIMIT_NAMES[limit]} of ${budget.toString()} credits (${result.period ?? ''}: ${used.toString()} spent or held); ` +
      'a team manager can raise it, or wait for the next period',
    { limit, period: result.period ?? null, budget: budget.toNumber(), spent_or_held: used.toNumber() },
  );
}
