import { Injectable } from '@nestjs/common';
import {
  AdjustmentBatch,
  AdjustmentRow,
  CheckedAdjustment,
  checkAdjustments,
  Credits,
  DomainError,
  EmailAddress,
  isUserIdReference,
  parseAdjustmentCsv,
  User,
  UserRepository,
} from '@sah/domain';
import { LedgerReportsQuery, Posting } from '@sah/infrastructure';
import type { Principal } from '../../../platform/auth/principal';
import { AuditLog } from '../../identity/application/audit-log.service';
import { LedgerService, requestHash } from '../application/ledger.service';
import { AdjustmentLimits } from './adjustment-limits';
import { CreditScope } from './credit-scope';

export interface AdjustmentPreviewRow extends CheckedAdjustment {
  email: string | null;
  name: string | null;
}

export interface AdjustmentPreview extends AdjustmentBatch {
  rows: AdjustmentPreviewRow[];
}

/** How many row errors an error's details list; the preview shows them all. */
const ERRORS_IN_DETAILS = 50;

/**
 * Adjustments from a CSV file (`user,amount,reason`): previewed row by row, then applied all or
 * nothing in one ledger transaction. Rows name users by id or e-mail; users out of the caller's
 * reach (managers: outside their teams, or themselves) are "unknown", as a single adjustment would
 * find them NOT_FOUND.
 */
@Injectable()
export class BulkAdjustments {
  constructor(
    private readonly ledger: LedgerService,
    private readonly reports: LedgerReportsQuery,
    private readonly users: UserRepository,
    private readonly scope: CreditScope,
    private readonly audit: AuditLog,
    private readonly limits: AdjustmentLimits,
  ) {}

  async preview(principal: Principal, csv: string): Promise<AdjustmentPreview> {
    const rows = parseAdjustmentCsv(csv);
    const users = await this.resolveUsers(principal, rows);
    const balances = await this.reports.availableBalances([...new Set([...users.values()].map((user) => user.id))]);
    const batch = checkAdjustments(rows, (reference) => {
      const user = users.get(referenceKey(reference));
      return user && { userId: user.id, available: balances.get(user.id) ?? Credits.ZERO };
    });
    return {
      ...batch,
      rows: batch.rows.map((row) => {
        const user = row.userId ? users.get(referenceKey(row.user)) : undefined;
        return { ...row, email: user?.email.value ?? null, name: user?.name ?? null };
      }),
    };
  }

  /**
   * Balances are not checked ahead: the ledger checks each debit under the account's lock, and a
   * replay of an applied file must not be refused because balances moved since. Each row's posting
   * carries the key `<batch key>:<line>` and a hash of the whole file, so the same key with a
   * different file is refused rather than half-replayed.
   */
  async apply(principal: Principal, csv: string, batchKey: string): Promise<Posting[]> {
    const rows = parseAdjustmentCsv(csv);
    const users = await this.resolveUsers(principal, rows);
    const batch = checkAdjustments(rows, (reference) => {
      const user = users.get(referenceKey(reference));
      return user && { userId: user.id };
    });
    if (!batch.valid) {
      throw DomainError.badInput(`Nothing was applied: ${batch.errorCount} row(s) cannot be applied; preview the file to see why`, {
        errors: rowErrors(batch.rows),
      });
    }
    const fileHash = requestHash(batch.rows.map((row) => [row.line, row.userId, row.amount!.toString(), row.reason]));
    const requests = batch.rows.map((row) => ({
      userId: row.userId!,
      amount: row.amount!,
      reason: row.reason,
      actorId: principal.userId,
      metadata: { batchKey, line: row.line },
      idempotency: { scope: `adjust-batch:${principal.userId}`, key: `${batchKey}:${row.line}`, requestHash: fileHash },
    }));
    const reservation = await this.limits.reserve(
      principal,
      requests.map((request) => (request.amount.isPositive() ? request.amount : request.amount.negate())),
    );
    let postings: Posting[];
    try {
      postings = await this.ledger.postAdjustments(requests);
    } catch (error) {
      await reservation.release();
      throw await this.explained(error, principal, csv);
    }
    if (postings.every((posting) => posting.replayed)) await reservation.release();
    if (postings.some((posting) => !posting.replayed)) {
      await this.audit.record(principal.userId, 'credits.bulk_adjusted', {
        targetType: 'credit_adjustment_batch',
        targetId: batchKey,
        details: { rows: postings.length, totalCredit: batch.totalCredit.toNumber(), totalDebit: batch.totalDebit.toNumber() },
      });
    }
    return postings;
  }

  /** The ledger says some debit was too large, not which: the preview against current balances does. */
  private async explained(error: unknown, principal: Principal, csv: string): Promise<unknown> {
    if (!(error instanceof DomainError) || error.code !== 'INSUFFICIENT_CREDITS') return error;
    const errors = rowErrors((await this.preview(principal, csv)).rows);
    if (errors.length === 0) return error;
    return new DomainError('INSUFFICIENT_CREDITS', `Nothing was applied: line ${errors[0]!.line}: ${errors[0]!.error}`, { errors });
  }

  /** The users the file names that the caller may adjust, by normalised reference. */
  private async resolveUsers(principal: Principal, rows: readonly AdjustmentRow[]): Promise<Map<string, User>> {
    const found = new Map<string, User>();
    for (const reference of new Set(rows.filter((row) => row.user).map((row) => referenceKey(row.user)))) {
      const user = await this.findUser(reference);
      if (user && (await this.scope.mayAdjust(principal, user.id))) found.set(reference, user);
    }
    return found;
  }

  private findUser(reference: string): Promise<User | null> {
    if (isUserIdReference(reference)) return this.users.findById(reference);
    try {
      return this.users.findByEmail(EmailAddress.parse(reference).normalized);
    } catch {
      return Promise.resolve(null);
    }
  }
}

/** Ids and e-mail addresses are both case-insensitive. */
function referenceKey(user: string): string {
  return user.trim().toLowerCase();
}

function rowErrors(rows: readonly CheckedAdjustment[]): Array<{ line: number; error: string }> {
  return rows
    .filter((row) => row.error !== null)
    .slice(0, ERRORS_IN_DETAILS)
    .map((row) => ({ line: row.line, error: row.error! }));
}
