import { Credits } from '@sah/domain';

export const PAYMENT_STATUSES = [
  'pending',
  'paid',
  'failed',
  'refunded',
  'partially_refunded',
  'expired',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export interface CreditPackage {
  id: string;
  /** Stable, lower-case handle used by clients (`starter`, `pro`, `business`). */
  code: string;
  name: string;
  credits: Credits;
  /** Minor units of `currency` (cents for usd). */
  priceCents: number;
  currency: string;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface Payment {
  id: string;
  /** Who paid. */
  userId: string;
  /** The team whose wallet the credits go to; null: the buyer's own balance. */
  teamId: string | null;
  packageId: string;
  packageCode: string;
  packageName: string;
  credits: Credits;
  amountCents: number;
  currency: string;
  status: PaymentStatus;
  stripeSessionId: string | null;
  stripePaymentIntent: string | null;
  creditedTransactionId: string | null;
  /** What Stripe has refunded so far (cumulative, cents). */
  refundedCents: number;
  /** Credits taken back for refunds. */
  creditsReversed: Credits;
  /** Credits a refund should have taken back but the balance no longer held: flagged for finance. */
  refundShortfall: Credits;
  failureReason: string | null;
  createdAt: Date;
  updatedAt: Date;
  paidAt: Date | null;
}

/** One refund step: what Stripe's cumulative refunded amount newly asks to take back. */
export interface PaymentRefundStep {
  id: string;
  paymentId: string;
  stripeChargeId: string;
  amountRefundedCents: number;
  creditsOwed: Credits;
  creditsTaken: Credits | null;
  chargebackTransactionId: string | null;
  status: 'pending' | 'applying' | 'applied';
}

/** Rows as `pg` returns them: bigint columns arrive as strings. */
export interface CreditPackageRow {
  id: string;
  code: string;
  name: string;
  credits: string;
  price_cents: number;
  currency: string;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface PaymentRow {
  id: string;
  user_id: string;
  team_id: string | null;
  package_id: string;
  package_code: string;
  package_name: string;
  credits: string;
  amount_cents: number;
  currency: string;
  status: PaymentStatus;
  stripe_session_id: string | null;
  stripe_payment_intent: string | null;
  credited_transaction_id: string | null;
  refunded_cents: number;
  credits_reversed: string;
  refund_shortfall: string;
  failure_reason: string | null;
  created_at: Date;
  updated_at: Date;
  paid_at: Date | null;
}

export interface PaymentRefundRow {
  id: string;
  payment_id: string;
  stripe_charge_id: string;
  amount_refunded_cents: number;
  credits_owed: string;
  credits_taken: string | null;
  chargeback_transaction_id: string | null;
  status: PaymentRefundStep['status'];
}

export function toCreditPackage(row: CreditPackageRow): CreditPackage {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    credits: Credits.fromMillis(row.credits),
    priceCents: row.price_cents,
    currency: row.currency,
    active: row.active,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toPayment(row: PaymentRow): Payment {
  return {
    id: row.id,
    userId: row.user_id,
    teamId: row.team_id,
    packageId: row.package_id,
    packageCode: row.package_code,
    packageName: row.package_name,
    credits: Credits.fromMillis(row.credits),
    amountCents: row.amount_cents,
    currency: row.currency,
    status: row.status,
    stripeSessionId: row.stripe_session_id,
    stripePaymentIntent: row.stripe_payment_intent,
    creditedTransactionId: row.credited_transaction_id,
    refundedCents: row.refunded_cents,
    creditsReversed: Credits.fromMillis(row.credits_reversed),
    refundShortfall: Credits.fromMillis(row.refund_shortfall),
    failureReason: row.failure_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    paidAt: row.paid_at,
  };
}

export function toRefundStep(row: PaymentRefundRow): PaymentRefundStep {
  return {
    id: row.id,
    paymentId: row.payment_id,
    stripeChargeId: row.stripe_charge_id,
    amountRefundedCents: row.amount_refunded_cents,
    creditsOwed: Credits.fromMillis(row.credits_owed),
    creditsTaken: row.credits_taken === null ? null : Credits.fromMillis(row.credits_taken),
    chargebackTransactionId: row.chargeback_transaction_id,
    status: row.status,
  };
}
