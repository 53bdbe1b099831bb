/** What a ledger transaction did. Each posts entries that sum to zero across accounts. */
export const TRANSACTION_TYPES = [
  'welcome',
  'grant',
  'promo',
  'purchase',
  'adjustment',
  'debit',
  'usage',
  'refund',
  'expiry',
  'chargeback',
  // A user's credits into a team's wallet: the other side is the team's account, not a system one.
  'transfer',
] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];

export function isTransactionType(value: string): value is TransactionType {
  return (TRANSACTION_TYPES as readonly string[]).includes(value);
}

/**
 * The platform's own accounts, the other side of every user entry. Their balances are the sums of
 * their entries (never a stored running total: one row every transaction would wait for).
 */
export const SYSTEM_ACCOUNTS = {
  welcome: 'system:welcome',
  promotions: 'system:promotions',
  purchases: 'system:purchases',
  adjustments: 'system:adjustments',
  grants: 'system:grants',
  usageRevenue: 'system:usage_revenue',
  expired: 'system:expired',
} as const;
export type SystemAccount = (typeof SYSTEM_ACCOUNTS)[keyof typeof SYSTEM_ACCOUNTS];

/** Where the credits of each kind of transaction come from (credits) or go to (debits). */
export const COUNTER_ACCOUNT: Readonly<Record<TransactionType, SystemAccount>> = {
  welcome: SYSTEM_ACCOUNTS.welcome,
  grant: SYSTEM_ACCOUNTS.grants,
  promo: SYSTEM_ACCOUNTS.promotions,
  purchase: SYSTEM_ACCOUNTS.purchases,
  adjustment: SYSTEM_ACCOUNTS.adjustments,
  debit: SYSTEM_ACCOUNTS.usageRevenue,
  usage: SYSTEM_ACCOUNTS.usageRevenue,
  // A refund goes back to the account the refunded transaction touched (chosen from it).
  refund: SYSTEM_ACCOUNTS.usageRevenue,
  expiry: SYSTEM_ACCOUNTS.expired,
  chargeback: SYSTEM_ACCOUNTS.purchases,
  // Never posted through a counter account (ledger_transfer_to_team writes both sides); a transfer
  // is only ever corrected by an admin adjustment, as grants are.
  transfer: SYSTEM_ACCOUNTS.adjustments,
};

/** Only what users spend can be refunded by an admin; grants are corrected by adjustments. */
export const REFUNDABLE_TYPES: ReadonlySet<TransactionType> = new Set(['debit', 'usage']);
