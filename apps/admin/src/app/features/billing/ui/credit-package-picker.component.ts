import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { map, switchMap } from 'rxjs';

import { toAppError } from '../../../core/graphql/graphql-errors';
import { LOADING, toLoadState, type LoadState } from '../../../shared/data/load-state';
import { ErrorStateComponent } from '../../../shared/ui/error-state/error-state.component';
import { SpinnerButtonComponent } from '../../../shared/ui/spinner-button/spinner-button.component';
import { BillingApi } from '../data-access/billing.api';
import type { CreditPackage } from '../data-access/billing.types';
import { CreditsPipe } from './credits.pipe';
import { ExternalNavigation } from './external-navigation';
import { PricePipe } from './price.pipe';

/** Console pages Stripe sends the buyer back to, e.g. `account?checkout=success`. */
export interface CheckoutReturn {
  readonly success: string;
  readonly cancel: string;
}

/**
 * The credit packages on sale; choosing one opens Stripe's hosted Checkout page for it, for your own
 * balance or, given `teamId`, for that team's wallet. The credits arrive when Stripe confirms the
 * payment (a webhook), so the page Stripe returns to only says they are on their way.
 */
@Component({
  selector: 'sah-credit-package-picker',
  imports: [MatIconModule, MatProgressSpinnerModule, ErrorStateComponent, SpinnerButtonComponent, CreditsPipe, PricePipe],
  templateUrl: './credit-package-picker.component.html',
  // The account cards' loading, empty and hint styles, as on My account.
  styleUrls: ['../../identity/account/account-card.scss', './credit-package-picker.component.scss'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CreditPackagePickerComponent {
  readonly returnTo = input.required<CheckoutReturn>();
  /** Buy for this team's wallet instead of your own balance. */
  readonly teamId = input<string | null>(null);

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
        this.navigation.consoleUrl(this.returnTo().success),
        this.navigation.consoleUrl(this.returnTo().cancel),
        this.teamId(),
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
