import { Credits } from '@sah/domain';

export interface PromoCodeRecord {
  id: string;
  /** Normalised (upper-case). */
  code: string;
  credits: Credits;
  maxUses: number | null;
  uses: number;
  expiresAt: Date | null;
  creditsValidDays: number | null;
  active: boolean;
  createdBy: string | null;
  createdAt: Date;
  deactivatedAt: Date | null;
}

export interface PromoRedemptionRecord {
  id: string;
  promoCodeId: string;
  userId: string;
  /** `null` while the claimed use still waits for its credits. */
  transactionId: string | null;
  redeemedAt: Date;
}

/** Rows as `pg` returns them: bigint columns arrive as strings. */
export interface PromoCodeRow {
  id: string;
  code: string;
  credits: string;
  max_uses: number | null;
  uses: number;
  expires_at: Date | null;
  credits_valid_days: number | null;
  active: boolean;
  created_by: string | null;
  created_at: Date;
  deactivated_at: Date | null;
}

export interface PromoRedemptionRow {
  id: string;
  promo_code_id: string;
  user_id: string;
  transaction_id: string | null;
  redeemed_at: Date;
}

export function toPromoCode(row: PromoCodeRow): PromoCodeRecord {
  return {
    id: row.id,
    code: row.code,
    credits: Credits.fromMillis(row.credits),
    maxUses: row.max_uses,
    uses: row.uses,
    expiresAt: row.expires_at,
    creditsValidDays: row.credits_valid_days,
    active: row.active,
    createdBy: row.created_by,
    createdAt: row.created_at,
    deactivatedAt: row.deactivated_at,
  };
}

export function toRedemption(row: PromoRedemptionRow): PromoRedemptionRecord {
  return {
    id: row.id,
    promoCodeId: row.promo_code_id,
    userId: row.user_id,
    transactionId: row.transaction_id,
    redeemedAt: row.redeemed_at,
  };
}
