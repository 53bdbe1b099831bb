import type { Page } from '../../identity/data-access/identity.models';

/**
 * Hand-written to match apps/api/schema.graphql (`CreditBalance`, `CreditTransaction`, `PromoCode`, …).
 * Credit amounts are GraphQL Floats with at most 3 decimals: the console formats them (CreditsPipe)
 * and passes them on, it never adds or subtracts them.
 */

export type { Page, PageInfo } from '../../identity/data-access/identity.models';

/** The GraphQL enum `CreditTransactionType`, newest kinds last. */
export const CREDIT_TRANSACTION_TYPES = [
  'WELCOME',
  'GRANT',
  'PROMO',
  'PURCHASE',
  'ADJUSTMENT',
  'DEBIT',
  'USAGE',
  'REFUND',
  'EXPIRY',
  'CHARGEBACK',
] as const;
export type CreditTransactionType = (typeof CREDIT_TRANSACTION_TYPES)[number];

export function isCreditTransactionType(value: string): value is CreditTransactionType {
  return (CREDIT_TRANSACTION_TYPES as readonly string[]).includes(value);
}

/** Only what users spend can be refunded (grants are corrected with an adjustment). */
export const REFUNDABLE_TYPES: ReadonlySet<CreditTransactionType> = new Set(['DEBIT', 'USAGE']);

export interface CreditBalance {
  readonly userId: string;
  /** Everything in the account, reserved credits included. */
  readonly balance: number;
  /** Held for work under way (AI streams, media jobs). */
  readonly reserved: number;
  /** What can be spent now. */
  readonly available: number;
}

export interface CreditTransaction {
  readonly id: string;
  readonly type: CreditTransactionType;
  readonly userId: string;
  /** Signed effect on the balance. */
  readonly amount: number;
  readonly balanceAfter: number;
  readonly reason: string | null;
  readonly actorId: string | null;
  /** The transaction a refund gives back. */
  readonly reversesId: string | null;
  readonly metadata: Readonly<Record<string, unknown>>;
  /** ISO date-time. */
  readonly createdAt: string;
}

/** `CreditTransactionsFilterInput`; absent fields are not sent. */
export interface CreditTransactionsFilter {
  readonly userId?: string;
  /** Administrators: every account; managers: their teams' accounts. */
  readonly allUsers?: boolean;
  readonly types?: readonly CreditTransactionType[];
  /** ISO date-time, inclusive. */
  readonly from?: string;
  /** ISO date-time, inclusive. */
  readonly to?: string;
  readonly page?: number;
  readonly perPage?: number;
}

export type CreditTransactionPage = Page<CreditTransaction>;

export interface CreditForecast {
  /** Null when nothing was spent in the window. */
  readonly daysUntilEmpty: number | null;
  readonly averageDailySpend: number;
  readonly windowDays: number;
}

export interface AdjustCreditsInput {
  readonly userId: string;
  /** Signed: positive grants, negative takes away. */
  readonly amount: number;
  readonly reason: string;
  /** One per dialog: a retried submit cannot adjust twice. */
  readonly idempotencyKey: string;
}

export interface RefundTransactionInput {
  readonly transactionId: string;
  /** Absent: the whole remaining amount. */
  readonly amount?: number;
  readonly reason: string;
  /** One per dialog, as for adjustments. */
  readonly idempotencyKey: string;
}

export interface CreditAdjustmentPreviewRow {
  /** 1-based line of the CSV file. */
  readonly line: number;
  /** The user column as written (id or e-mail). */
  readonly user: string;
  readonly userId: string | null;
  readonly email: string | null;
  readonly name: string | null;
  /** Null when the amount is not valid. */
  readonly amount: number | null;
  readonly reason: string;
  /** Why the row cannot be applied. */
  readonly error: string | null;
}

export interface CreditAdjustmentPreview {
  readonly rows: readonly CreditAdjustmentPreviewRow[];
  readonly valid: boolean;
  readonly errorCount: number;
  /** Credits added by the valid rows. */
  readonly totalCredit: number;
  /** Credits taken by the valid rows, as a positive number. */
  readonly totalDebit: number;
}

export interface AppliedCreditAdjustments {
  readonly applied: number;
  readonly transactions: readonly CreditTransaction[];
}

export interface PromoCode {
  readonly id: string;
  readonly code: string;
  readonly credits: number;
  /** Null: no limit. */
  readonly maxUses: number | null;
  readonly uses: number;
  /** Null: no limit. */
  readonly remainingUses: number | null;
  readonly expiresAt: string | null;
  /** Redeemed credits expire this many days after redemption; null: never. */
  readonly creditsValidDays: number | null;
  readonly active: boolean;
  /** Active, not expired and not fully redeemed. */
  readonly redeemable: boolean;
  readonly createdAt: string;
  readonly deactivatedAt: string | null;
}

export interface PromoCodesFilter {
  readonly active?: boolean;
  /** Part of the code, any case. */
  readonly search?: string;
  readonly page?: number;
  /** At most 100. */
  readonly perPage?: number;
}

export interface CreatePromoCodeInput {
  readonly code: string;
  readonly credits: number;
  readonly maxUses?: number;
  /** ISO date-time. */
  readonly expiresAt?: string;
  readonly creditsValidDays?: number;
}

export interface RedeemedPromoCode {
  readonly code: string;
  readonly credits: number;
  readonly transaction: CreditTransaction;
  readonly balance: CreditBalance;
}

export interface CreditPackage {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly credits: number;
  /** Integer minor units (cents) of `currency`. */
  readonly priceCents: number;
  /** ISO 4217, e.g. "usd". */
  readonly currency: string;
  readonly active: boolean;
}

export interface CheckoutSession {
  readonly sessionId: string;
  /** Stripe's hosted payment page. */
  readonly url: string;
}

export const PAYMENT_STATUSES = ['PENDING', 'PAID', 'FAILED', 'REFUNDED', 'PARTIALLY_REFUNDED', 'EXPIRED'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** A Stripe top-up; package name, credits and price are as sold (later package edits do not change them). */
export interface Payment {
  readonly id: string;
  readonly userId: string;
  readonly packageCode: string;
  readonly packageName: string;
  readonly credits: number;
  /** Integer minor units of `currency`. */
  readonly amountCents: number;
  readonly currency: string;
  readonly status: PaymentStatus;
  /** What Stripe has refunded so far, in minor units. */
  readonly refundedCents: number;
  /** Credits a refund should have taken back but the balance no longer held. */
  readonly refundShortfall: number;
  /** A refund left a shortfall: finance should follow up. */
  readonly flagged: boolean;
  readonly failureReason: string | null;
  readonly createdAt: string;
  readonly paidAt: string | null;
}

/** `PaymentsFilterInput`; absent fields are not sent. */
export interface PaymentsFilter {
  readonly status?: PaymentStatus;
  readonly userId?: string;
  /** Only payments whose refunds left a shortfall. */
  readonly flagged?: boolean;
  readonly page?: number;
  readonly perPage?: number;
}
