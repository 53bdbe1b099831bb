import type { StatusTone } from '../../../shared/ui/status-chip/status-chip.component';
import type { CreditTransactionType } from '../data-access/billing.types';

export const TRANSACTION_TYPE_LABELS: Readonly<Record<CreditTransactionType, string>> = {
  WELCOME: 'Welcome',
  GRANT: 'Grant',
  PROMO: 'Promo code',
  PURCHASE: 'Purchase',
  ADJUSTMENT: 'Adjustment',
  DEBIT: 'Debit',
  USAGE: 'Usage',
  REFUND: 'Refund',
  EXPIRY: 'Expiry',
  CHARGEBACK: 'Chargeback',
  TRANSFER: 'Transfer to a team',
};

/** Spending and losses stand out (`notice`) from what adds credits. */
export const TRANSACTION_TYPE_TONES: Readonly<Record<CreditTransactionType, StatusTone>> = {
  WELCOME: 'good',
  GRANT: 'good',
  PROMO: 'good',
  PURCHASE: 'good',
  ADJUSTMENT: 'good',
  DEBIT: 'notice',
  USAGE: 'notice',
  REFUND: 'good',
  EXPIRY: 'notice',
  CHARGEBACK: 'notice',
  TRANSFER: 'notice',
};
