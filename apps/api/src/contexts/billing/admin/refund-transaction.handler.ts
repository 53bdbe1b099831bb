import { Injectable } from '@nestjs/common';
import { Credits, normalizeAdjustmentReason } from '@sah/domain';
import type { LedgerTransaction } from '@sah/infrastructure';
import type { Principal } from '../../../platform/auth/principal';
import { AuditLog } from '../../identity/application/audit-log.service';
import { LedgerService, requestHash } from '../application/ledger.service';

export interface RefundTransactionCommand {
  transactionId: string;
  /** Part of the spend; omitted: all that is still refundable. */
  amount?: number | null;
  reason: string;
  idempotencyKey?: string;
}

/**
 * Gives back all or part of what a user spent (administrators only). The ledger refuses refunds of
 * anything but spending, and more than was spent across all refunds of a transaction.
 */
@Injectable()
export class RefundTransaction {
  constructor(
    private readonly ledger: LedgerService,
    private readonly audit: AuditLog,
  ) {}

  async execute(principal: Principal, command: RefundTransactionCommand): Promise<LedgerTransaction> {
    const amount = command.amount === undefined || command.amount === null ? null : Credits.parsePositive(command.amount, 'amount');
    const reason = normalizeAdjustmentReason(command.reason);
    const idempotency = command.idempotencyKey
      ? {
          scope: `refund:${principal.userId}`,
          key: command.idempotencyKey,
          requestHash: requestHash({ transactionId: command.transactionId, amount: amount?.toString() ?? null, reason }),
        }
      : undefined;
    const posting = await this.ledger.refund(command.transactionId, amount, { reason, actorId: principal.userId, idempotency });
    if (!posting.replayed) {
      await this.audit.record(principal.userId, 'credits.refunded', {
        targetType: 'credit_transaction',
        targetId: command.transactionId,
        details: { refundTransactionId: posting.transaction.id, userId: posting.transaction.userId, amount: posting.transaction.amount.toNumber(), reason },
      });
    }
    return posting.transaction;
  }
}
