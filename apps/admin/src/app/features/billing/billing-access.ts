import type { Permission } from '@sah/domain';

/**
 * Which permission opens which billing page or action, as the API checks them. Managers reach the
 * ledger and (bulk) adjustments for their teams' accounts (the API scopes them); the rest is for admins.
 */
export const BILLING_ACCESS = {
  ledger: 'credits:adjust',
  adjust: 'credits:adjust',
  refund: 'credits:refund',
  bulkAdjust: 'credits:adjust',
  promoCodes: 'billing:manage',
  payments: 'billing:manage',
  plans: 'billing:manage',
} as const satisfies Record<string, Permission>;
