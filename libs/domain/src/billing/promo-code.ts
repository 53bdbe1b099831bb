import { Credits } from '../shared/credits';
import { DomainError } from '../shared/domain-error';

/** Letters, digits, `-` and `_`: easy to type and to read out, and safe in URLs and mail. */
const CODE = /^[A-Za-z0-9_-]{3,32}$/;
const DAY_MS = 86_400_000;

export const PROMO_CODE_MAX_USES = 1_000_000_000;
export const PROMO_CREDITS_MAX_VALID_DAYS = 3650;

/**
 * Codes are case-insensitive: stored and looked up upper-case. Surrounding spaces (a pasted code)
 * are forgiven; anything else outside the charset is refused rather than silently changed.
 */
export function normalizePromoCode(input: string): string {
  const code = input.trim();
  if (!CODE.test(code)) {
    throw DomainError.badInput('A promo code is 3 to 32 letters, digits, "-" or "_"', { field: 'code' });
  }
  return code.toUpperCase();
}

export interface PromoCodeTerms {
  code: string;
  credits: Credits;
  /** `null`: unlimited. */
  maxUses: number | null;
  /** `null`: never expires. */
  expiresAt: Date | null;
  /** Granted credits lapse this many days after redemption; `null`: they never do. */
  creditsValidDays: number | null;
}

/** Validates what an admin asks for when creating a code. */
export function promoCodeTerms(
  input: { code: string; credits: unknown; maxUses?: number | null; expiresAt?: Date | null; creditsValidDays?: number | null },
  now: Date,
): PromoCodeTerms {
  const code = normalizePromoCode(input.code);
  const credits = Credits.parsePositive(input.credits, 'credits');
  const maxUses = input.maxUses ?? null;
  if (maxUses !== null && !(Number.isInteger(maxUses) && maxUses >= 1 && maxUses <= PROMO_CODE_MAX_USES)) {
    throw DomainError.badInput(`maxUses must be a whole number from 1 to ${PROMO_CODE_MAX_USES}`, { field: 'maxUses' });
  }
  const expiresAt = input.expiresAt ?? null;
  if (expiresAt !== null && !(expiresAt.getTime() > now.getTime())) {
    throw DomainError.badInput('expiresAt must be in the future', { field: 'expiresAt' });
  }
  const creditsValidDays = input.creditsValidDays ?? null;
  if (
    creditsValidDays !== null &&
    !(Number.isInteger(creditsValidDays) && creditsValidDays >= 1 && creditsValidDays <= PROMO_CREDITS_MAX_VALID_DAYS)
  ) {
    throw DomainError.badInput(`creditsValidDays must be a whole number from 1 to ${PROMO_CREDITS_MAX_VALID_DAYS}`, {
      field: 'creditsValidDays',
    });
  }
  return {
    code,
    credits,
    maxUses,
    expiresAt,
    creditsValidDays,
  };
}

/** What decides whether a code can be redeemed now. */
export interface PromoCodeState {
  active: boolean;
  uses: number;
  maxUses: number | null;
  expiresAt: Date | null;
}

export type RedemptionRefusal = 'inactive' | 'expired' | 'exhausted';

/** Why the code cannot be redeemed now, or `null` when it can. */
export function redemptionRefusal(code: PromoCodeState, now: Date): RedemptionRefusal | null {
  if (!code.active) return 'inactive';
  if (code.expiresAt !== null && code.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (code.maxUses !== null && code.uses >= code.maxUses) return 'exhausted';
  return null;
}

/** `null`: unlimited. */
export function remainingUses(code: PromoCodeState): number | null {
  return code.maxUses === null ? null : Math.max(code.maxUses - code.uses, 0);
}

/**
 * Unknown, deactivated and expired codes get one answer: a caller guessing codes learns nothing
 * about which ones exist. A fully redeemed code is a different story: the user holds a real code
 * and deserves to know why it did nothing.
 */
export function promoCodeNotFound(): DomainError {
  return new DomainError('NOT_FOUND', 'This promo code does not exist or is no longer valid');
}

export function redemptionRefused(refusal: RedemptionRefusal): DomainError {
  return refusal === 'exhausted' ? new DomainError('CONFLICT', 'This code has been fully redeemed') : promoCodeNotFound();
}

export function alreadyRedeemed(): DomainError {
  return new DomainError('CONFLICT', 'You have already redeemed this code');
}

/** When credits granted by a redemption lapse; `undefined`: never. Counted from the redemption. */
export function promoCreditsExpiry(redeemedAt: Date, creditsValidDays: number | null): Date | undefined {
  return creditsValidDays === null ? undefined : new Date(redeemedAt.getTime() + creditsValidDays * DAY_MS);
}
