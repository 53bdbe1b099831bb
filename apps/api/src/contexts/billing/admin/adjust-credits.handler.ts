import { Injectable } from '@nestjs/common';
import { normalizeAdjustmentReason, parseAdjustmentAmount } from '@sah/domain';
import type { LedgerTransaction } from '@sah/infrastructure';
import type { Principal } from '../../../platform/auth/principal';
import { AuditLog } from '../../identity/application/audit-log.service';
import { LedgerService, requestHash } from '../application/ledger.service';
import { AdjustmentLimits } from './adjustment-limits';
import { CreditScope } from './credit-scope';

export interface AdjustCreditsCommand {
  userId: string;
  /** Signed: positive adds credits, negative takes them (never below zero). */
  amount: number;
  reason: string;
  idempotencyKey?: string;
}

/** A manual correction of one user's balance by an administrator, or a manager for their team. */
@Injectable()
export class AdjustCredits {
  constructor(
    private readonly ledger: LedgerService,
    private readonly scope: CreditScope,
    private readonly audit: AuditLog,
    private readonly limits: AdjustmentLimits,
  ) {}

  async execute(principal: Principal, command: AdjustCreditsCommand): Promise<LedgerTransaction> {
    const amount = parseAdjustmentAmount(command.amount);
    const reason = normalizeAdjustmentReason(command.reason);
    await this.scope.assertMayAdjust(principal, command.userId);
    const size = amount.isPositive() ? amount : amount.negate();
    const request = {
      userId: command.userId,
      amount: size,
      type: 'adjustment' as const,
      reason,
      actorId: principal.userId,
      idempotency: command.idempotencyKey
        ? {
            scope: `adjust:${principal.userId}`,
            key: command.idempotencyKey,
            requestHash: requestHash({ userId: command.userId, amount: amount.toString(), reason }),
          }
        : undefined,
    };
    const reservation = await this.limits.reserve(principal, [size]);
    let posting;
    try {
      posting = amount.isPositive() ? await this.ledger.grant(request) : await this.ledger.debit(request);
    } catch (error) {
      await reservation.release();
      throw error;
    }
    if (posting.replayed) await reservation.release();
    if (!posting.replayed) {
      await this.audit.record(principal.userId, 'credits.adjusted', {
        targetType: 'user',
        targetId: command.userId,
        details: { transactionId: posting.transaction.id, amount: amount.toNumber(), reason, balanceAfter: posting.transaction.balanceAfter.toNumber() },
      });
    }
    return posting.transaction;
  }
}
