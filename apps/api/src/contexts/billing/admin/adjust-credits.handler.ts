import { Injectable } from '@nestjs/common';
import { normalizeAdjustmentReason, parseAdjustmentAmount } from '@sah/domain';
import type { LedgerTransaction } from '@sah/infrastructure';
import type { Principal } from '../../../platform/auth/principal';
import { AuditLog } from '../../identity/application/audit-log.service';
import { LedgerService, requestHash } from '../application/ledger.service';
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
  ) {}

  async execute(principal: Principal, command: AdjustCreditsCommand): Promise<LedgerTransaction> {
    const amount = parseAdjustmentAmount(command.amount);
    const reason = normalizeAdjustmentReason(command.reason);
    await this.scope.assertMayAdjust(principal, command.userId);
    const request = {
      userId: command.userId,
      amount: amount.isPositive() ? amount : amount.negate(),
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
    const posting = amount.isPositive() ? await this.ledger.grant(request) : await this.ledger.debit(request);
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
