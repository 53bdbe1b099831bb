import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatPaginatorModule, type PageEvent } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { catchError, EMPTY, merge, switchMap, tap, type Observable } from 'rxjs';

import { toAppError } from '../../../core/graphql/graphql-errors';
import { LOADING, toLoadState, type LoadState } from '../../../shared/data/load-state';
import { pagedQuery } from '../../../shared/data/paged-query';
import { ErrorStateComponent } from '../../../shared/ui/error-state/error-state.component';
import { BillingApi } from '../data-access/billing.api';
import type { CreditBalance } from '../data-access/billing.types';
import { CreditBalanceFiguresComponent } from '../ui/credit-balance-figures.component';
import { RecentTransactionsComponent } from '../ui/recent-transactions.component';

export const HISTORY_PER_PAGE = 10;

/**
 * The signed-in account's credits: the balance, kept live by the `creditBalanceChanged`
 * subscription, and the transaction history, which follows every change it reports.
 */
@Component({
  selector: 'sah-my-credits-card',
  imports: [
    MatCardModule,
    MatIconModule,
    MatPaginatorModule,
    MatProgressBarModule,
    MatProgressSpinnerModule,
    ErrorStateComponent,
    CreditBalanceFiguresComponent,
    RecentTransactionsComponent,
  ],
  templateUrl: './my-credits-card.component.html',
  styleUrls: ['../../identity/account/account-card.scss', './my-credits-card.component.scss'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MyCreditsCardComponent {
  private readonly api = inject(BillingApi);

  private readonly balanceAttempt = signal(0);
  /** Why live updates stopped, if they did; the balance then refreshes after own actions only. */
  protected readonly liveError = signal<string | null>(null);
  /** The query answers at once; the subscription then replaces the figures whenever they change. */
  protected readonly balance = toSignal(
    toObservable(this.balanceAttempt).pipe(
      switchMap(() => toLoadState(merge(this.api.balance(), this.liveBalance()))),
    ),
    { initialValue: LOADING as LoadState<CreditBalance> },
  );

  private readonly historyPage = signal(1);
  private readonly historyFilter = computed(() => ({ page: this.historyPage(), perPage: HISTORY_PER_PAGE }));
  private readonly history = pagedQuery(this.historyFilter, (filter) => this.api.transactions(filter));
  protected readonly historyLoading = this.history.loading;
  protected readonly historyError = this.history.error;
  protected readonly historyResult = this.history.page;

  /** For actions this page knows changed the balance (a redeemed code), should live updates be down. */
  refresh(): void {
    if (this.liveError()) this.balanceAttempt.update((n) => n + 1);
    this.history.reload();
  }

  protected reloadBalance(): void {
    this.balanceAttempt.update((n) => n + 1);
  }

  protected reloadHistory(): void {
    this.history.reload();
  }

  protected changePage(event: PageEvent): void {
    this.historyPage.set(event.pageIndex + 1);
  }

  private liveBalance(): Observable<CreditBalance> {
    this.liveError.set(null);
    return this.api.balanceChanges().pipe(
      tap(() => {
        this.liveError.set(null);
        // Each reported change is a new transaction: the history shows it without a reload.
        this.history.reload();
      }),
      catchError((error: unknown) => {
        this.liveError.set(toAppError(error).message);
        return EMPTY;
      }),
    );
  }
}
