import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { map, switchMap } from 'rxjs';

import { toAppError } from '../../../core/graphql/graphql-errors';
import { LOADING, toLoadState, type LoadState } from '../../../shared/data/load-state';
import { ErrorStateComponent } from '../../../shared/ui/error-state/error-state.component';
import { SpinnerButtonComponent } from '../../../shared/ui/spinner-button/spinner-button.component';
import { BillingApi } from '../data-access/billing.api';
import type { CreditPackage } from '../data-access/billing.types';
import { CheckoutNoticeComponent } from '../ui/checkout-notice.component';
import { CreditsPipe } from '../ui/credits.pipe';
import { ExternalNavigation } from '../ui/external-navigation';
import { PricePipe } from '../ui/price.pipe';

/** Where Stripe sends the buyer back: this page, saying how it went. */
export const CHECKOUT_RETURN = { success: 'account?checkout=success', cancel: 'account?checkout=cancelled' };

/**
 * Credit packages on sale; buying one goes to Stripe's hosted Checkout page. The credits arrive when
 * Stripe confirms the payment (a webhook), so the return page only says that they are on their way.
 */
@Component({
  selector: 'sah-buy-credits-card',
  imports: [
    MatCardModule,
    MatIconModule,
    MatProgressSpinnerModule,
    ErrorStateComponent,
    SpinnerButtonComponent,
    CheckoutNoticeComponent,
    CreditsPipe,
    PricePipe,
  ],
  templateUrl: './buy-credits-card.component.html',
  styleUrls: ['../../identity/account/account-card.scss', './buy-credits-card.component.scss'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BuyCreditsCardComponent {
  private readonly api = inject(BillingApi);
  private readonly navigation = inject(ExternalNavigation);

  private readonly attempt = signal(0);
  protected readonly packages = toSignal(
    toObservable(this.attempt).pipe(
      switchMap(() =>
        toLoadState(this.api.creditPackages().pipe(map((packages) => packages.filter((p) => p.active)))),
      ),
    ),
    { initialValue: LOADING as LoadState<CreditPackage[]> },
  );
  protected readonly buying = signal<string | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = computed(() => this.buying() !== null);

  protected reload(): void {
    this.attempt.update((n) => n + 1);
  }

  protected buy(pkg: CreditPackage): void {
    if (this.busy()) return;
    this.buying.set(pkg.code);
    this.error.set(null);
    this.api
      .createCheckoutSession(
        pkg.code,
        this.navigation.consoleUrl(CHECKOUT_RETURN.success),
        this.navigation.consoleUrl(CHECKOUT_RETURN.cancel),
      )
      .subscribe({
        // The button stays busy: the page is being left.
        next: (session) => this.navigation.go(session.url),
        error: (error: unknown) => {
          this.buying.set(null);
          this.error.set(toAppError(error).message);
        },
      });
  }
}
