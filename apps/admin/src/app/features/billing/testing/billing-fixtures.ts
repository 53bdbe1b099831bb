import type {
  CreditAdjustmentPreview,
  CreditAdjustmentPreviewRow,
  CreditBalance,
  CreditPackage,
  CreditTransaction,
  Payment,
  PromoCode,
} from '../data-access/billing.types';

/** Server-shaped test data (with __typename, as Apollo's cache expects) for billing specs. */

export const USER_ID = '6f1c2d3e-0000-4000-8000-000000000002';
export const ADMIN_ID = '6f1c2d3e-0000-4000-8000-000000000001';

export function aBalance(overrides: Partial<CreditBalance> = {}): CreditBalance & { __typename: 'CreditBalance' } {
  return { __typename: 'CreditBalance', userId: USER_ID, balance: 1234.5, reserved: 4.5, available: 1230, ...overrides };
}

export function aTransaction(
  overrides: Partial<CreditTransaction> = {},
): CreditTransaction & { __typename: 'CreditTransaction' } {
  return {
    __typename: 'CreditTransaction',
    id: 'tx-1',
    type: 'ADJUSTMENT',
    userId: USER_ID,
    amount: 25,
    balanceAfter: 35,
    reason: 'Conference speaker',
    actorId: ADMIN_ID,
    reversesId: null,
    metadata: {},
    createdAt: '2026-03-01T10:00:00.000Z',
    ...overrides,
  };
}

export function aPromoCode(overrides: Partial<PromoCode> = {}): PromoCode & { __typename: 'PromoCode' } {
  return {
    __typename: 'PromoCode',
    id: 'p1',
    code: 'SPRING25',
    credits: 25,
    maxUses: 100,
    uses: 40,
    remainingUses: 60,
    expiresAt: '2099-01-01T00:00:00.000Z',
    creditsValidDays: 30,
    active: true,
    redeemable: true,
    createdAt: '2026-03-01T10:00:00.000Z',
    deactivatedAt: null,
    ...overrides,
  };
}

export function aPackage(overrides: Partial<CreditPackage> = {}): CreditPackage & { __typename: 'CreditPackage' } {
  return {
    __typename: 'CreditPackage',
    id: 'pkg-1',
    code: 'starter',
    name: 'Starter',
    credits: 100,
    priceCents: 1000,
    currency: 'usd',
    active: true,
    ...overrides,
  };
}

export function aPayment(overrides: Partial<Payment> = {}): Payment & { __typename: 'Payment' } {
  return {
    __typename: 'Payment',
    id: 'pay-1',
    userId: USER_ID,
    teamId: null,
    packageCode: 'pro',
    packageName: 'Pro',
    credits: 1000,
    amountCents: 8000,
    currency: 'usd',
    status: 'PAID',
    refundedCents: 0,
    refundShortfall: 0,
    flagged: false,
    failureReason: null,
    createdAt: '2026-03-01T10:00:00.000Z',
    paidAt: '2026-03-01T10:01:00.000Z',
    ...overrides,
  };
}

export function aPreviewRow(
  overrides: Partial<CreditAdjustmentPreviewRow> = {},
): CreditAdjustmentPreviewRow & { __typename: 'CreditAdjustmentRow' } {
  return {
    __typename: 'CreditAdjustmentRow',
    line: 2,
    user: 'ann@example.com',
    userId: USER_ID,
    email: 'ann@example.com',
    name: 'Ann User',
    amount: 25,
    reason: 'Conference speaker',
    error: null,
    ...overrides,
  };
}

export function aPreview(
  rows: CreditAdjustmentPreviewRow[],
  overrides: Partial<CreditAdjustmentPreview> = {},
): CreditAdjustmentPreview & { __typename: 'CreditAdjustmentPreview' } {
  const errorCount = rows.filter((row) => row.error).length;
  return {
    __typename: 'CreditAdjustmentPreview',
    rows,
    valid: errorCount === 0,
    errorCount,
    totalCredit: 25,
    totalDebit: 0,
    ...overrides,
  };
}
