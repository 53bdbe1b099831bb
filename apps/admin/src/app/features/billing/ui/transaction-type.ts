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
};
