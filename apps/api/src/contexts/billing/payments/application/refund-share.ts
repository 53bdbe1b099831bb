import { Credits } from '@sah/domain';

/**
 * The credits a refund of `refundedCents` out of a `chargeCents` charge stands for: the same
 * fraction of the credits bought, rounded down to the milli-credit (a full refund is all of them).
 */
export function refundedCredits(credits: Credits, refundedCents: number, chargeCents: number): Credits {
  if (refundedCents <= 0) return Credits.ZERO;
  if (refundedCents >= chargeCents) return credits;
  return Credits.fromMillis((credits.millis * BigInt(refundedCents)) / BigInt(chargeCents));
}

/**
 * What a step of refunds owes: Stripe reports the cumulative refunded amount, so a step owes the
 * share of the new total less the share of the total already handled.
 */
export function creditsOwed(
  credits: Credits,
  previousRefundedCents: number,
  refundedCents: number,
  chargeCents: number,
): Credits {
  return refundedCredits(credits, refundedCents, chargeCents).minus(
    refundedCredits(credits, previousRefundedCents, chargeCents),
  );
}
