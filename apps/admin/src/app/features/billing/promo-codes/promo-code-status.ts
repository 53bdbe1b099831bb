import type { StatusTone } from '../../../shared/ui/status-chip/status-chip.component';
import type { PromoCode } from '../data-access/billing.types';

export type PromoCodeStatus = 'active' | 'expired' | 'used-up' | 'inactive';

export const PROMO_STATUS_LABELS: Readonly<Record<PromoCodeStatus, string>> = {
  active: 'Active',
  expired: 'Expired',
  'used-up': 'Used up',
  inactive: 'Deactivated',
};

/** A code that can be redeemed plain, the rest muted. */
export const PROMO_STATUS_TONES: Readonly<Record<PromoCodeStatus, StatusTone>> = {
  active: 'good',
  expired: 'muted',
  'used-up': 'muted',
  inactive: 'muted',
};

/** Why a code can or cannot be redeemed now; the API's `redeemable` decides, this names the reason. */
export function promoCodeStatus(code: PromoCode, now = Date.now()): PromoCodeStatus {
  if (!code.active) return 'inactive';
  if (code.redeemable) return 'active';
  if (code.expiresAt && Date.parse(code.expiresAt) <= now) return 'expired';
  return code.remainingUses === 0 ? 'used-up' : 'inactive';
}
