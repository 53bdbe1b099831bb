import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatSnackBar } from '@angular/material/snack-bar';
import { RouterLink } from '@angular/router';
import { filter, map, switchMap } from 'rxjs';

import { AuthStore } from '../../../core/auth/auth.store';
import { LOADING, toLoadState, type LoadState } from '../../../shared/data/load-state';
import { ErrorStateComponent } from '../../../shared/ui/error-state/error-state.component';
import { BILLING_ACCESS } from '../billing-access';
import { openAdjustCredits } from '../credits/adjust-credits-dialog.component';
import { BillingApi } from '../data-access/billing.api';
import type { CreditTransaction } from '../data-access/billing.types';
import { CreditAccountComponent } from '../ui/credit-account.component';
import { RecentTransactionsComponent } from '../ui/recent-transactions.component';
import type { PickedUser } from '../ui/user-picker.component';

const RECENT = 5;

/** A user's credits on their detail page: balance, forecast, latest transactions, and an adjustment. */
@Component({
  selector: 'sah-user-credits-card',
  imports: [
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatIconModule,
    MatProgressSpinnerModule,
    ErrorStateComponent,
    CreditAccountComponent,
    RecentTransactionsComponent,
  ],
  templateUrl: './user-credits-card.component.html',
  styleUrl: './user-credits-card.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UserCreditsCardComponent {
  private readonly api = inject(BillingApi);
  private readonly auth = inject(AuthStore);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);

  readonly user = input.required<PickedUser>();

  protected readonly canAdjust = computed(() => this.auth.can(BILLING_ACCESS.adjust));
  /** Bumped after an adjustment: the balance and the list load again. */
  protected readonly version = signal(0);
  protected readonly recent = toSignal(
    toObservable(computed(() => ({ userId: this.user().id, version: this.version() }))).pipe(
      switchMap(({ userId, version }) =>
        toLoadState(this.api.transactions({ userId, page: 1, perPage: RECENT }).pipe(map((page) => page.items))).pipe(
          // After a change the old list stays on screen until the new one arrives.
          filter((state) => version === 0 || state.status !== 'loading'),
        ),
      ),
    ),
    { initialValue: LOADING as LoadState<readonly CreditTransaction[]> },
  );

  protected adjust(): void {
    openAdjustCredits(this.dialog, { user: this.user() })
      .pipe(filter((transaction) => transaction !== undefined))
      .subscribe(() => {
        this.snackBar.open('Credits adjusted.', 'OK', { duration: 5000 });
        this.reload();
      });
  }

  protected reload(): void {
    this.version.update((n) => n + 1);
  }
}
