import { Injectable } from '@nestjs/common';
import { DomainError, normalizePromoCode, promoCreditsExpiry } from '@sah/domain';
import { AttemptCounter, Posting, PromoCodeRecord, PromoRedemptionRecord, PromoRedemptionRepository } from '@sah/infrastructure';
import Redis from 'ioredis';
import { LedgerService, requestHash } from '../../application/ledger.service';

/** Wrong codes a user may try per window before being told to wait: codes must not be guessable. */
const MAX_FAILED_ATTEMPTS = 10;
const ATTEMPT_WINDOW_MS = 60 * 60 * 1000;

export interface Redeemed {
  code: PromoCodeRecord;
  posting: Posting;
}

/**
 * A user redeems a promo code: one use is claimed (never past the limit, once per user), then the
 * credits are granted through the ledger. The grant's idempotency key is derived from (code, user),
 * so a retry after a failure between the two steps completes the redemption without paying twice.
 */
@Injectable()
export class RedeemPromoCode {
  private readonly failures: AttemptCounter;

  constructor(
    private readonly redemptions: PromoRedemptionRepository,
    private readonly ledger: LedgerService,
    redis: Redis,
  ) {
    this.failures = new AttemptCounter(redis, 'billing:promo-failures', ATTEMPT_WINDOW_MS);
  }

  /**
   * For the housekeeping job: finishes redemptions a crash left without their credits, so nobody
   * has to try the code again to be paid. Returns how many it completed.
   */
  async completeUnpaid(olderThanMs = 60_000): Promise<{ completed: number; failed: number }> {
    const unpaid = await this.redemptions.unpaid(new Date(Date.now() - olderThanMs), 500);
    let completed = 0;
    for (const { code, userId } of unpaid) {
      // One that fails again stays unpaid for the next run; it must not hold up the others.
      if (await this.pay(userId, code).then(() => true, () => false)) completed += 1;
    }
    return { completed, failed: unpaid.length - completed };
  }

  async execute(userId: string, input: string): Promise<Redeemed> {
    if ((await this.failures.count(userId)) >= MAX_FAILED_ATTEMPTS) {
      throw new DomainError('TOO_MANY_ATTEMPTS', 'Too many wrong promo codes: try again later', {
        retry_after_seconds: Math.ceil((await this.failures.remainingMs(userId)) / 1000),
      });
    }
    const { code, redemption } = await this.redemptions
      .reserve(normalizePromoCode(input), userId, new Date())
      .catch(async (error: unknown) => {
        if (error instanceof DomainError && error.code === 'NOT_FOUND') await this.failures.increment(userId);
        throw error;
      });
    return this.grant(userId, code, redemption);
  }

  private async pay(userId: string, normalizedCode: string): Promise<Redeemed> {
    const { code, redemption } = await this.redemptions.reserve(normalizedCode, userId, new Date());
    return this.grant(userId, code, redemption);
  }

  private async grant(userId: string, code: PromoCodeRecord, redemption: PromoRedemptionRecord): Promise<Redeemed> {
    // Everything that shapes the grant comes from stored rows, so every attempt asks for the same grant.
    const expiresAt = promoCreditsExpiry(redemption.redeemedAt, code.creditsValidDays);
    const parameters = { promoCodeId: code.id, userId, credits: code.credits.millis.toString(), expiresAt: expiresAt?.toISOString() };
    const posting = await this.ledger.grant({
      userId,
      amount: code.credits,
      type: 'promo',
      reason: `Promo code ${code.code}`,
      metadata: { promoCodeId: code.id, code: code.code, redemptionId: redemption.id },
      idempotency: { scope: 'promotions', key: `promo:${code.id}:${userId}`, requestHash: requestHash(parameters) },
      expiresAt,
    });
    await this.redemptions.complete(redemption.id, posting.transaction.id);
    return { code, posting };
  }
}
