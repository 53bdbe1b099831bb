import { Injectable } from '@nestjs/common';
import { Credits, DomainError, insufficientCredits } from '@sah/domain';
import { isUUID } from 'class-validator';
import { AppConfig } from '../../../config/app-config';
import type { Principal } from '../../../platform/auth/principal';
import { LedgerService, requestHash } from './ledger.service';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
const MAX_METADATA_BYTES = 4096;

export interface CheckResult {
  sufficient: boolean;
  balance: number;
}

export interface DeductResult {
  status: 'ok';
  new_balance: number;
  transaction_id: string;
  replayed: boolean;
}

/**
 * Check and deduct for partners: a partner's server with a `partner.credits` API key names the user
 * in `X-User-ID`; a tool holding the user's VERIFIED code acts for that user only.
 */
@Injectable()
export class PartnerCredits {
  constructor(
    private readonly ledger: LedgerService,
    private readonly config: AppConfig,
  ) {}

  async check(principal: Principal, userIdHeader: string | undefined, cost: number): Promise<CheckResult> {
    const userId = this.targetUser(principal, userIdHeader);
    const amount = this.parseCost(cost);
    const account = await this.ledger.balance(userId);
    const available = account.balance.minus(account.reserved);
    if (amount.isGreaterThan(available)) throw insufficientCredits(available, amount);
    return { sufficient: true, balance: available.toNumber() };
  }

  async deduct(
    principal: Principal,
    userIdHeader: string | undefined,
    body: { service: string; cost: number; metadata?: Record<string, unknown> },
    idempotencyKey: string | undefined,
  ): Promise<DeductResult> {
    const userId = this.targetUser(principal, userIdHeader);
    const amount = this.parseCost(body.cost);
    const metadata = body.metadata ?? {};
    if (Buffer.byteLength(JSON.stringify(metadata)) > MAX_METADATA_BYTES) {
      throw DomainError.badInput(`metadata must be at most ${MAX_METADATA_BYTES} bytes of JSON`, { field: 'metadata' });
    }
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw DomainError.badInput('Idempotency-Key must be 1-255 visible ASCII characters', { field: 'Idempotency-Key' });
    }
    const { transaction, replayed } = await this.ledger.debit({
      userId,
      type: 'debit',
      amount,
      reason: body.service,
      metadata: { ...metadata, service: body.service, caller: callerOf(principal) },
      idempotency: idempotencyKey
        ? {
            scope: `partner:${callerOf(principal)}`,
            key: idempotencyKey,
            requestHash: requestHash({ userId, service: body.service, cost: amount.millis.toString(), metadata }),
          }
        : undefined,
    });
    return { status: 'ok', new_balance: transaction.balanceAfter.toNumber(), transaction_id: transaction.id, replayed };
  }

  private targetUser(principal: Principal, userIdHeader: string | undefined): string {
    if (principal.via === 'verified_session') {
      if (userIdHeader !== undefined && userIdHeader !== principal.userId) {
        throw new DomainError('FORBIDDEN', 'A session code acts for its own user only: X-User-ID names someone else');
      }
      return principal.userId;
    }
    if (principal.via !== 'api_key') {
      throw new DomainError('FORBIDDEN', 'Call this API with a partner API key (scope partner.credits) or a VERIFIED session code');
    }
    if (!userIdHeader) throw DomainError.badInput('X-User-ID header is required with an API key', { field: 'X-User-ID' });
    if (!isUUID(userIdHeader)) throw DomainError.notFound('User', { userId: userIdHeader });
    return userIdHeader;
  }

  private parseCost(cost: number): Credits {
    const amount = Credits.parsePositive(cost, 'cost');
    const max = this.config.billing.partnerMaxCost;
    if (amount.isGreaterThan(max)) {
      throw DomainError.badInput(`cost must not exceed ${max.toString()} credits`, { field: 'cost', max: max.toNumber() });
    }
    return amount;
  }
}

/** Idempotency keys and metadata name the calling key, or the session's user. */
function callerOf(principal: Principal): string {
  return principal.via === 'api_key' ? `key:${principal.apiKeyId}` : `session:${principal.userId}`;
}
