import { HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { TypedDocumentNode } from '@apollo/client';
import { Apollo, gql } from 'apollo-angular';
import { map, type Observable } from 'rxjs';

import { requireData } from '../../../core/graphql/require-data';
import { AuthenticatedDownloads, type DownloadedFile } from '../../../shared/data/download';
import type {
  AdjustCreditsInput,
  AppliedCreditAdjustments,
  CheckoutSession,
  CreatePromoCodeInput,
  CreditAdjustmentPreview,
  CreditBalance,
  CreditForecast,
  CreditPackage,
  CreditTransaction,
  CreditTransactionPage,
  CreditTransactionsFilter,
  Page,
  Payment,
  PaymentsFilter,
  PromoCode,
  PromoCodesFilter,
  RedeemedPromoCode,
  RefundTransactionInput,
} from './billing.models';

const BALANCE_FIELDS = gql`
  fragment CreditBalanceFields on CreditBalance {
    userId
    balance
    reserved
    available
  }
`;

const TRANSACTION_FIELDS = gql`
  fragment CreditTransactionFields on CreditTransaction {
    id
    type
    userId
    amount
    balanceAfter
    reason
    actorId
    reversesId
    metadata
    createdAt
  }
`;

const PAGE_INFO_FIELDS = gql`
  fragment BillingPageInfoFields on PageInfo {
    page
    perPage
    total
    totalPages
  }
`;

const PROMO_CODE_FIELDS = gql`
  fragment PromoCodeFields on PromoCode {
    id
    code
    credits
    maxUses
    uses
    remainingUses
    expiresAt
    creditsValidDays
    active
    redeemable
    createdAt
    deactivatedAt
  }
`;

const CREDIT_BALANCE: TypedDocumentNode<{ creditBalance: CreditBalance }, { userId?: string }> = gql`
  query CreditBalance($userId: ID) {
    creditBalance(userId: $userId) {
      ...CreditBalanceFields
    }
  }
  ${BALANCE_FIELDS}
`;

const CREDIT_BALANCE_CHANGED: TypedDocumentNode<{ creditBalanceChanged: CreditBalance }, Record<string, never>> = gql`
  subscription CreditBalanceChanged {
    creditBalanceChanged {
      ...CreditBalanceFields
    }
  }
  ${BALANCE_FIELDS}
`;

const CREDIT_FORECAST: TypedDocumentNode<{ creditForecast: CreditForecast }, { userId?: string }> = gql`
  query CreditForecast($userId: ID) {
    creditForecast(userId: $userId) {
      daysUntilEmpty
      averageDailySpend
      windowDays
    }
  }
`;

const CREDIT_TRANSACTIONS: TypedDocumentNode<
  { creditTransactions: CreditTransactionPage },
  { filter: CreditTransactionsFilter }
> = gql`
  query CreditTransactions($filter: CreditTransactionsFilterInput) {
    creditTransactions(filter: $filter) {
      items {
        ...CreditTransactionFields
      }
      pageInfo {
        ...BillingPageInfoFields
      }
    }
  }
  ${TRANSACTION_FIELDS}
  ${PAGE_INFO_FIELDS}
`;

const ADJUST_CREDITS: TypedDocumentNode<{ adjustCredits: CreditTransaction }, { input: AdjustCreditsInput }> = gql`
  mutation AdjustCredits($input: AdjustCreditsInput!) {
    adjustCredits(input: $input) {
      ...CreditTransactionFields
    }
  }
  ${TRANSACTION_FIELDS}
`;

const REFUND_TRANSACTION: TypedDocumentNode<
  { refundTransaction: CreditTransaction },
  { input: RefundTransactionInput }
> = gql`
  mutation RefundTransaction($input: RefundTransactionInput!) {
    refundTransaction(input: $input) {
      ...CreditTransactionFields
    }
  }
  ${TRANSACTION_FIELDS}
`;

const PREVIEW_CREDIT_ADJUSTMENTS: TypedDocumentNode<
  { previewCreditAdjustments: CreditAdjustmentPreview },
  { csv: string }
> = gql`
  query PreviewCreditAdjustments($csv: String!) {
    previewCreditAdjustments(csv: $csv) {
      rows {
        line
        user
        userId
        email
        name
        amount
        reason
        error
      }
      valid
      errorCount
      totalCredit
      totalDebit
    }
  }
`;

const APPLY_CREDIT_ADJUSTMENTS: TypedDocumentNode<
  { applyCreditAdjustments: AppliedCreditAdjustments },
  { input: { csv: string; idempotencyKey: string } }
> = gql`
  mutation ApplyCreditAdjustments($input: ApplyCreditAdjustmentsInput!) {
    applyCreditAdjustments(input: $input) {
      applied
      transactions {
        ...CreditTransactionFields
      }
    }
  }
  ${TRANSACTION_FIELDS}
`;

const PROMO_CODES: TypedDocumentNode<{ promoCodes: Page<PromoCode> }, { filter: PromoCodesFilter }> = gql`
  query PromoCodes($filter: PromoCodesFilterInput) {
    promoCodes(filter: $filter) {
      items {
        ...PromoCodeFields
      }
      pageInfo {
        ...BillingPageInfoFields
      }
    }
  }
  ${PROMO_CODE_FIELDS}
  ${PAGE_INFO_FIELDS}
`;

const CREATE_PROMO_CODE: TypedDocumentNode<{ createPromoCode: PromoCode }, { input: CreatePromoCodeInput }> = gql`
  mutation CreatePromoCode($input: CreatePromoCodeInput!) {
    createPromoCode(input: $input) {
      ...PromoCodeFields
    }
  }
  ${PROMO_CODE_FIELDS}
`;

const DEACTIVATE_PROMO_CODE: TypedDocumentNode<{ deactivatePromoCode: PromoCode }, { id: string }> = gql`
  mutation DeactivatePromoCode($id: ID!) {
    deactivatePromoCode(id: $id) {
      ...PromoCodeFields
    }
  }
  ${PROMO_CODE_FIELDS}
`;

const REDEEM_PROMO_CODE: TypedDocumentNode<{ redeemPromoCode: RedeemedPromoCode }, { code: string }> = gql`
  mutation RedeemPromoCode($code: String!) {
    redeemPromoCode(code: $code) {
      code
      credits
      transaction {
        ...CreditTransactionFields
      }
      balance {
        ...CreditBalanceFields
      }
    }
  }
  ${TRANSACTION_FIELDS}
  ${BALANCE_FIELDS}
`;

const CREDIT_PACKAGES: TypedDocumentNode<{ creditPackages: CreditPackage[] }, Record<string, never>> = gql`
  query CreditPackages {
    creditPackages {
      id
      code
      name
      credits
      priceCents
      currency
      active
    }
  }
`;

const CREATE_CHECKOUT_SESSION: TypedDocumentNode<
  { createCheckoutSession: CheckoutSession },
  { input: { package: string; successUrl: string; cancelUrl: string } }
> = gql`
  mutation CreateCheckoutSession($input: CreateCheckoutSessionInput!) {
    createCheckoutSession(input: $input) {
      sessionId
      url
    }
  }
`;

const PAYMENTS: TypedDocumentNode<{ payments: Page<Payment> }, { filter: PaymentsFilter }> = gql`
  query Payments($filter: PaymentsFilterInput) {
    payments(filter: $filter) {
      items {
        id
        userId
        packageCode
        packageName
        credits
        amountCents
        currency
        status
        refundedCents
        refundShortfall
        flagged
        failureReason
        createdAt
        paidAt
      }
      pageInfo {
        ...BillingPageInfoFields
      }
    }
  }
  ${PAGE_INFO_FIELDS}
`;

/** The REST reports, relative to the GraphQL endpoint (both are served by the API). */
const TRANSACTIONS_CSV_PATH = 'api/v1/credits/transactions.csv';
const STATEMENTS_CSV_PATH = 'api/v1/credits/statements';

/**
 * Data access for the billing context: balances, the ledger, adjustments and refunds, promo codes,
 * credit packages and payments. Lists are fetched network-only: money figures must be current.
 */
@Injectable({ providedIn: 'root' })
export class BillingApi {
  private readonly apollo = inject(Apollo);
  private readonly downloads = inject(AuthenticatedDownloads);

  /** Without a user id: the signed-in account's own balance. */
  balance(userId?: string): Observable<CreditBalance> {
    return this.apollo
      .query({ query: CREDIT_BALANCE, variables: userId ? { userId } : {}, fetchPolicy: 'network-only' })
      .pipe(
        requireData(),
        map((data) => data.creditBalance),
      );
  }

  /** The signed-in account's balance, pushed after every change (graphql-ws). */
  balanceChanges(): Observable<CreditBalance> {
    return this.apollo.subscribe({ query: CREDIT_BALANCE_CHANGED }).pipe(
      requireData(),
      map((data) => data.creditBalanceChanged),
    );
  }

  forecast(userId?: string): Observable<CreditForecast> {
    return this.apollo
      .query({ query: CREDIT_FORECAST, variables: userId ? { userId } : {}, fetchPolicy: 'network-only' })
      .pipe(
        requireData(),
        map((data) => data.creditForecast),
      );
  }

  /** Newest first. */
  transactions(filter: CreditTransactionsFilter): Observable<CreditTransactionPage> {
    // no-cache: pages of an append-only ledger shift with every new entry; merging them would mislead.
    return this.apollo
      .query({ query: CREDIT_TRANSACTIONS, variables: { filter }, fetchPolicy: 'no-cache' })
      .pipe(
        requireData(),
        map((data) => data.creditTransactions),
      );
  }

  adjustCredits(input: AdjustCreditsInput): Observable<CreditTransaction> {
    return this.apollo.mutate({ mutation: ADJUST_CREDITS, variables: { input }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.adjustCredits),
    );
  }

  refundTransaction(input: RefundTransactionInput): Observable<CreditTransaction> {
    return this.apollo
      .mutate({ mutation: REFUND_TRANSACTION, variables: { input }, fetchPolicy: 'no-cache' })
      .pipe(
        requireData(),
        map((data) => data.refundTransaction),
      );
  }

  /** Validates a whole CSV (user,amount,reason) without moving any credits. */
  previewCreditAdjustments(csv: string): Observable<CreditAdjustmentPreview> {
    return this.apollo
      .query({ query: PREVIEW_CREDIT_ADJUSTMENTS, variables: { csv }, fetchPolicy: 'no-cache' })
      .pipe(
        requireData(),
        map((data) => data.previewCreditAdjustments),
      );
  }

  /** All rows or none; the same key again replays the first result instead of applying twice. */
  applyCreditAdjustments(csv: string, idempotencyKey: string): Observable<AppliedCreditAdjustments> {
    return this.apollo
      .mutate({
        mutation: APPLY_CREDIT_ADJUSTMENTS,
        variables: { input: { csv, idempotencyKey } },
        fetchPolicy: 'no-cache',
      })
      .pipe(
        requireData(),
        map((data) => data.applyCreditAdjustments),
      );
  }

  promoCodes(filter: PromoCodesFilter): Observable<Page<PromoCode>> {
    return this.apollo.query({ query: PROMO_CODES, variables: { filter }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.promoCodes),
    );
  }

  createPromoCode(input: CreatePromoCodeInput): Observable<PromoCode> {
    return this.apollo.mutate({ mutation: CREATE_PROMO_CODE, variables: { input }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.createPromoCode),
    );
  }

  deactivatePromoCode(id: string): Observable<PromoCode> {
    return this.apollo.mutate({ mutation: DEACTIVATE_PROMO_CODE, variables: { id }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.deactivatePromoCode),
    );
  }

  redeemPromoCode(code: string): Observable<RedeemedPromoCode> {
    return this.apollo.mutate({ mutation: REDEEM_PROMO_CODE, variables: { code }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.redeemPromoCode),
    );
  }

  /** The packages on sale. */
  creditPackages(): Observable<CreditPackage[]> {
    return this.apollo.query({ query: CREDIT_PACKAGES, fetchPolicy: 'network-only' }).pipe(
      requireData(),
      map((data) => data.creditPackages),
    );
  }

  createCheckoutSession(packageCode: string, successUrl: string, cancelUrl: string): Observable<CheckoutSession> {
    return this.apollo
      .mutate({
        mutation: CREATE_CHECKOUT_SESSION,
        variables: { input: { package: packageCode, successUrl, cancelUrl } },
        fetchPolicy: 'no-cache',
      })
      .pipe(
        requireData(),
        map((data) => data.createCheckoutSession),
      );
  }

  payments(filter: PaymentsFilter): Observable<Page<Payment>> {
    return this.apollo.query({ query: PAYMENTS, variables: { filter }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.payments),
    );
  }

  /** The filtered ledger as a CSV file (everyone the caller may see, unless one user is chosen). */
  exportTransactionsCsv(filter: CreditTransactionsFilter): Observable<DownloadedFile> {
    return this.downloads.csv(TRANSACTIONS_CSV_PATH, csvExportParams(filter), 'credit-transactions.csv');
  }

  /** One user's monthly statement (`YYYY-MM`, UTC): opening and closing balance, totals, transactions. */
  statementCsv(month: string, userId: string): Observable<DownloadedFile> {
    return this.downloads.csv(
      `${STATEMENTS_CSV_PATH}/${encodeURIComponent(month)}.csv`,
      new HttpParams().set('userId', userId),
      `credit-statement-${month}.csv`,
    );
  }
}

/**
 * The ledger filter as the export's query string: `type` takes the ledger's lower-case names,
 * comma-separated. Without a user the export covers everyone the caller may see; paging is not exported.
 */
export function csvExportParams(filter: CreditTransactionsFilter): HttpParams {
  let params = new HttpParams();
  if (filter.userId) params = params.set('userId', filter.userId);
  if (filter.types?.length) params = params.set('type', filter.types.map((type) => type.toLowerCase()).join(','));
  if (filter.from) params = params.set('from', filter.from);
  if (filter.to) params = params.set('to', filter.to);
  return params;
}
