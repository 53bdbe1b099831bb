import { ChangeDetectionStrategy, Component, computed, inject, input, linkedSignal, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { catchError, combineLatest, map, of, startWith, switchMap } from 'rxjs';

import { LOADING, toLoadState, type LoadState } from '../../../shared/data/load-state';
import { ErrorStateComponent } from '../../../shared/ui/error-state/error-state.component';
import { BillingApi } from '../data-access/billing.api';
import type { CreditBalance, CreditForecast } from '../data-access/billing.types';
import { CreditBalanceFiguresComponent } from './credit-balance-figures.component';

interface Account {
  readonly balance: CreditBalance;
  readonly forecast: CreditForecast | null;
}

/** One account's balance and forecast, loaded for a user id; `version` changes make it load again. */
@Component({
  selector: 'sah-credit-account',
  imports: [MatProgressSpinnerModule, ErrorStateComponent, CreditBalanceFiguresComponent],
  template: `
    @let s = state();
    @if (s.status === 'error') {
      <sah-error-state [message]="s.message" (retry)="retry()" />
    } @else if (account(); as a) {
      <sah-credit-balance-figures [balance]="a.balance" [forecast]="a.forecast" />
    } @else {
      <mat-progress-spinner mode="indeterminate" diameter="32" aria-label="Loading the balance" />
    }
  `,
  styles: `
    :host {
      display: block;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CreditAccountComponent {
  private readonly api = inject(BillingApi);

  readonly userId = input.required<string>();
  /** Bumped by the page after it moved credits, to show the new balance. */
  readonly version = input(0);

  private readonly attempt = signal(0);
  protected readonly state = toSignal(
    toObservable(computed(() => ({ userId: this.userId(), version: this.version(), attempt: this.attempt() }))).pipe(
      switchMap(({ userId }) =>
        toLoadState(
          combineLatest([
            this.api.balance(userId),
            // The forecast is a nicety: the balance shows without waiting for it, or without it.
            this.api.forecast(userId).pipe(
              startWith(null),
              catchError(() => of(null)),
            ),
          ]).pipe(map(([balance, forecast]): Account => ({ balance, forecast }))),
        ),
      ),
    ),
    { initialValue: LOADING as LoadState<Account> },
  );
  /** The last figures stay on screen while new ones load after a change. */
  protected readonly account = linkedSignal<LoadState<Account>, Account | null>({
    source: this.state,
    computation: (current, previous) =>
      current.status === 'ready' ? current.value : current.status === 'error' ? null : (previous?.value ?? null),
  });

  protected retry(): void {
    this.attempt.update((n) => n + 1);
  }
}
