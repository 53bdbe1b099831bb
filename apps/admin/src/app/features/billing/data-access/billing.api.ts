import { HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Apollo } from 'apollo-angular';
import { map, type Observable } from 'rxjs';

import {
  AdjustCreditsDocument,
  ApplyCreditAdjustmentsDocument,
  CreateCheckoutSessionDocument,
  CreatePromoCodeDocument,
  CreditBalanceChangedDocument,
  CreditBalanceDocument,
  CreditForecastDocument,
  CreditPackagesDocument,
  CreditTransactionsDocument,
  DeactivatePromoCodeDocument,
  PaymentsDocument,
  PreviewCreditAdjustmentsDocument,
  PromoCodesDocument,
  RedeemPromoCodeDocument,
  RefundTransactionDocument,
} from '../../../core/graphql/operations.generated';
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
} from './billing.types';

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
      .query({ query: CreditBalanceDocument, variables: userId ? { userId } : {}, fetchPolicy: 'network-only' })
      .pipe(
        requireData(),
        map((data) => data.creditBalance),
      );
  }

  /** The signed-in account's balance, pushed after every change (graphql-ws). */
  balanceChanges(): Observable<CreditBalance> {
    return this.apollo.subscribe({ query: CreditBalanceChangedDocument }).pipe(
      requireData(),
      map((data) => data.creditBalanceChanged),
    );
  }

  forecast(userId?: string): Observable<CreditForecast> {
    return this.apollo
      .query({ query: CreditForecastDocument, variables: userId ? { userId } : {}, fetchPolicy: 'network-only' })
      .pipe(
        requireData(),
        map((data) => data.creditForecast),
      );
  }

  /** Newest first. */
  transactions(filter: CreditTransactionsFilter): Observable<CreditTransactionPage> {
    // no-cache: pages of an append-only ledger shift with every new entry; merging them would mislead.
    return this.apollo
      .query({ query: CreditTransactionsDocument, variables: { filter }, fetchPolicy: 'no-cache' })
      .pipe(
        requireData(),
        map((data) => data.creditTransactions),
      );
  }

  adjustCredits(input: AdjustCreditsInput): Observable<CreditTransaction> {
    return this.apollo.mutate({ mutation: AdjustCreditsDocument, variables: { input }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.adjustCredits),
    );
  }

  refundTransaction(input: RefundTransactionInput): Observable<CreditTransaction> {
    return this.apollo
      .mutate({ mutation: RefundTransactionDocument, variables: { input }, fetchPolicy: 'no-cache' })
      .pipe(
        requireData(),
        map((data) => data.refundTransaction),
      );
  }

  /** Validates a whole CSV (user,amount,reason) without moving any credits. */
  previewCreditAdjustments(csv: string): Observable<CreditAdjustmentPreview> {
    return this.apollo
      .query({ query: PreviewCreditAdjustmentsDocument, variables: { csv }, fetchPolicy: 'no-cache' })
      .pipe(
        requireData(),
        map((data) => data.previewCreditAdjustments),
      );
  }

  /** All rows or none; the same key again replays the first result instead of applying twice. */
  applyCreditAdjustments(csv: string, idempotencyKey: string): Observable<AppliedCreditAdjustments> {
    return this.apollo
      .mutate({
        mutation: ApplyCreditAdjustmentsDocument,
        variables: { input: { csv, idempotencyKey } },
        fetchPolicy: 'no-cache',
      })
      .pipe(
        requireData(),
        map((data) => data.applyCreditAdjustments),
      );
  }

  promoCodes(filter: PromoCodesFilter): Observable<Page<PromoCode>> {
    return this.apollo.query({ query: PromoCodesDocument, variables: { filter }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.promoCodes),
    );
  }

  createPromoCode(input: CreatePromoCodeInput): Observable<PromoCode> {
    return this.apollo.mutate({ mutation: CreatePromoCodeDocument, variables: { input }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.createPromoCode),
    );
  }

  deactivatePromoCode(id: string): Observable<PromoCode> {
    return this.apollo.mutate({ mutation: DeactivatePromoCodeDocument, variables: { id }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.deactivatePromoCode),
    );
  }

  redeemPromoCode(code: string): Observable<RedeemedPromoCode> {
    return this.apollo.mutate({ mutation: RedeemPromoCodeDocument, variables: { code }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.redeemPromoCode),
    );
  }

  /** The packages on sale. */
  creditPackages(): Observable<readonly CreditPackage[]> {
    return this.apollo.query({ query: CreditPackagesDocument, fetchPolicy: 'network-only' }).pipe(
      requireData(),
      map((data) => data.creditPackages),
    );
  }

  /** With `teamId`, the credits go to that team's wallet (its managers and administrators). */
  createCheckoutSession(
    packageCode: string,
    successUrl: string,
    cancelUrl: string,
    teamId: string | null = null,
  ): Observable<CheckoutSession> {
    return this.apollo
      .mutate({
        mutation: CreateCheckoutSessionDocument,
        variables: { input: { package: packageCode, successUrl, cancelUrl, ...(teamId && { teamId }) } },
        fetchPolicy: 'no-cache',
      })
      .pipe(
        requireData(),
        map((data) => data.createCheckoutSession),
      );
  }

  payments(filter: PaymentsFilter): Observable<Page<Payment>> {
    return this.apollo.query({ query: PaymentsDocument, variables: { filter }, fetchPolicy: 'no-cache' }).pipe(
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
