import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatSelectModule } from '@angular/material/select';
import { filter } from 'rxjs';

import { toAppError } from '../../../core/graphql/graphql-errors';
import { reloadableQuery } from '../../../shared/data/reloadable-query';
import { confirmAction } from '../../../shared/ui/confirm-dialog/confirm-dialog.component';
import { ErrorStateComponent } from '../../../shared/ui/error-state/error-state.component';
import { SpinnerButtonComponent } from '../../../shared/ui/spinner-button/spinner-button.component';
import { StatusChipComponent } from '../../../shared/ui/status-chip/status-chip.component';
import { PlansApi } from '../data-access/plans.api';
import type { MyPlanSubscription, Plan } from '../data-access/plans.types';
import { CheckoutNoticeComponent } from '../ui/checkout-notice.component';
import { CreditsPipe } from '../ui/credits.pipe';
import { ExternalNavigation } from '../ui/external-navigation';
import { PricePipe } from '../ui/price.pipe';
import { allowancePercent, planStanding, requestsPercent } from './plan-standing';

/** Where Stripe sends a subscriber back: this page, saying how it went. */
export const PLAN_CHECKOUT_RETURN = {
  success: 'account?subscription=success',
  cancel: 'account?subscription=cancelled',
};

/**
 * The signed-in user's plan: where it stands, this month's allowance spent, and changing plan (Stripe
 * Checkout from Free; in place, prorated by Stripe, for a running subscription) or cancelling (at the
 * paid month's end). The plan changes when Stripe's webhook says so, so the card says it is on its
 * way and, after an in-place change, reads the plan again until it has arrived.
 */
@Component({
  selector: 'sah-plan-card',
  imports: [
    DatePipe,
    DecimalPipe,
    FormsModule,
    MatCardModule,
    MatFormFieldModule,
    MatProgressBarModule,
    MatProgressSpinnerModule,
    MatSelectModule,
    ErrorStateComponent,
    SpinnerButtonComponent,
    CheckoutNoticeComponent,
    StatusChipComponent,
    CreditsPipe,
    PricePipe,
  ],
  templateUrl: './plan-card.component.html',
  styleUrls: ['../../identity/account/account-card.scss', './plan-card.component.scss'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PlanCardComponent {
  private readonly api = inject(PlansApi);
  private readonly navigation = inject(ExternalNavigation);
  private readonly dialog = inject(MatDialog);

  /** The plan of an in-place change Stripe accepted, until the card shows it. */
  protected readonly changingTo = signal<Plan | null>(null);
  protected readonly mine = reloadableQuery(() => {
    const target = this.changingTo();
    return target ? this.api.myPlanUntil(target.id) : this.api.myPlan();
  });
  private readonly catalogue = reloadableQuery(() => this.api.plans(false));
  protected readonly standing = computed(() => {
    const mine = this.mine.value();
    return mine ? planStanding(mine) : null;
  });
  protected readonly percent = computed(() => {
    const mine = this.mine.value();
    return mine ? allowancePercent(mine) : null;
  });
  protected readonly requestsShare = computed(() => {
    const mine = this.mine.value();
    return mine ? requestsPercent(mine) : null;
  });
  /** Paid plans on offer other than the current one. */
  protected readonly choices = computed(() => {
    const current = this.mine.value()?.plan.id;
    return (this.catalogue.value() ?? []).filter((plan) => plan.priceCents > 0 && plan.id !== current);
  });

  protected readonly chosen = signal<string | null>(null);
  protected readonly busy = signal<'change' | 'cancel' | null>(null);
  protected readonly error = signal<string | null>(null);

  protected reload(): void {
    this.mine.reload();
    this.catalogue.reload();
  }

  /** From Free: Stripe Checkout. */
  protected change(): void {
    const plan = this.chosen();
    if (this.busy() || !plan) return;
    this.busy.set('change');
    this.error.set(null);
    this.api
      .subscribeToPlan(
        plan,
        this.navigation.consoleUrl(PLAN_CHECKOUT_RETURN.success),
        this.navigation.consoleUrl(PLAN_CHECKOUT_RETURN.cancel),
      )
      .subscribe({
        // The button stays busy: the page is being left.
        next: (checkout) => this.navigation.go(checkout.url),
        error: (error: unknown) => {
          this.busy.set(null);
          this.error.set(toAppError(error).message);
        },
      });
  }

  /** A running subscription: Stripe moves it to the chosen plan now, after the user has read what that costs. */
  protected changeInPlace(currentName: string): void {
    const code = this.chosen();
    const target = this.choices().find((plan) => plan.code === code);
    if (this.busy() || !target) return;
    confirmAction(this.dialog, {
      title: `Change to ${target.name}?`,
      message: `You move from ${currentName} to ${target.name} now. Stripe prorates the difference on your next invoice: the unused time on ${currentName} is credited and the rest of the month on ${target.name} is charged.`,
      confirmLabel: 'Change plan',
    })
      .pipe(filter(Boolean))
      .subscribe(() => {
        this.busy.set('change');
        this.error.set(null);
        this.api.changePlan(target.code).subscribe({
          next: (change) => {
            this.busy.set(null);
            this.chosen.set(null);
            this.changingTo.set(change.plan);
            this.mine.reload();
          },
          error: (error: unknown) => {
            this.busy.set(null);
            this.error.set(toAppError(error).message);
          },
        });
      });
  }

  protected cancel(subscription: MyPlanSubscription, planName: string): void {
    if (this.busy()) return;
    confirmAction(this.dialog, {
      title: `Cancel ${planName}?`,
      message:
        'The plan and this month’s credits stay until the paid month ends; then you are on Free and are not charged again.',
      confirmLabel: 'Cancel plan',
      destructive: true,
    })
      .pipe(filter(Boolean))
      .subscribe(() => {
        this.busy.set('cancel');
        this.error.set(null);
        this.api.cancelPlanSubscription(subscription.id).subscribe({
          next: () => {
            this.busy.set(null);
            this.mine.reload();
          },
          error: (error: unknown) => {
            this.busy.set(null);
            this.error.set(toAppError(error).message);
          },
        });
      });
  }
}
