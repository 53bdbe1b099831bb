import { Injectable } from '@nestjs/common';
import { normalizePromoCode, promoCreditsExpiry } from '@sah/domain';
import { Posting, PromoCodeRecord, PromoRedemptionRepository } from '@sah/infrastructure';
import { LedgerService, requestHash } from '../../application/ledger.service';

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
  constructor(
    private readonly redemptions: PromoRedemptionRepository,
    private readonly ledger: LedgerService,
  ) {}

  async execute(userId: string, input: string): Promise<Redeemed> {
    const { code, redemption } = await this.redemptions.reserve(normalizePromoCode(input), userId, new Date());
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
