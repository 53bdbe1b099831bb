import type {
  ApplyCreditAdjustmentsMutation,
  CreditBalanceFieldsFragment,
  CreditForecastQuery,
  CreditPackagesQuery,
  CreditTransactionFieldsFragment,
  CreditTransactionsFilterInput,
  CreditTransactionType,
  CreateCheckoutSessionMutation,
  PaymentStatus,
  PaymentsFilterInput,
  PaymentsQuery,
  PreviewCreditAdjustmentsQuery,
  PromoCodeFieldsFragment,
  PromoCodesFilterInput,
  RedeemPromoCodeMutation,
} from '../../../core/graphql/operations.generated';
import type { Page } from '../../../shared/data/page';

/**
 * The billing pages' names for the generated operation types (billing.graphql) and the option lists
 * they offer. Credit amounts are GraphQL Floats with at most 3 decimals: the console formats them
 * (CreditsPipe) and passes them on, it never adds or subtracts them.
 */

export type {
  AdjustCreditsInput,
  CreatePromoCodeInput,
  CreditTransactionType,
  PaymentStatus,
  RefundTransactionInput,
} from '../../../core/graphql/operations.generated';
export type { Page, PageInfo } from '../../../shared/data/page';

export type CreditBalance = CreditBalanceFieldsFragment;
export type CreditTransaction = CreditTransactionFieldsFragment;
export type CreditTransactionPage = Page<CreditTransaction>;
export type CreditTransactionsFilter = CreditTransactionsFilterInput;
export type CreditForecast = CreditForecastQuery['creditForecast'];
export type CreditAdjustmentPreview = PreviewCreditAdjustmentsQuery['previewCreditAdjustments'];
export type CreditAdjustmentPreviewRow = CreditAdjustmentPreview['rows'][number];
export type AppliedCreditAdjustments = ApplyCreditAdjustmentsMutation['applyCreditAdjustments'];
export type PromoCode = PromoCodeFieldsFragment;
export type PromoCodesFilter = PromoCodesFilterInput;
export type RedeemedPromoCode = RedeemPromoCodeMutation['redeemPromoCode'];
export type CreditPackage = CreditPackagesQuery['creditPackages'][number];
export type CheckoutSession = CreateCheckoutSessionMutation['createCheckoutSession'];
export type Payment = PaymentsQuery['payments']['items'][number];
export type PaymentsFilter = PaymentsFilterInput;

/** Every `CreditTransactionType`, in the order the filter offers them (newest kinds last). */
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
  'TRANSFER',
] as const satisfies readonly CreditTransactionType[];

export function isCreditTransactionType(value: string): value is CreditTransactionType {
  return (CREDIT_TRANSACTION_TYPES as readonly string[]).includes(value);
}

/** Only what users spend can be refunded (grants are corrected with an adjustment). */
export const REFUNDABLE_TYPES: ReadonlySet<CreditTransactionType> = new Set(['DEBIT', 'USAGE']);

export const PAYMENT_STATUSES = [
  'PENDING',
  'PAID',
  'FAILED',
  'REFUNDED',
  'PARTIALLY_REFUNDED',
  'EXPIRED',
] as const satisfies readonly PaymentStatus[];
