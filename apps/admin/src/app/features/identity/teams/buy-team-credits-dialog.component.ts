import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatButtonModule } from '@angular/material/button';

import { CreditPackagePickerComponent, type CheckoutReturn } from '../../billing/ui/credit-package-picker.component';

export interface BuyTeamCreditsDialogData {
  readonly teamId: string;
  readonly teamName: string;
}

/** Where Stripe sends a manager back after buying for a team: the team's page, saying how it went. */
export function teamCheckoutReturn(teamId: string): CheckoutReturn {
  const page = `teams/${encodeURIComponent(teamId)}`;
  return { success: `${page}?checkout=success`, cancel: `${page}?checkout=cancelled` };
}

/** The packages on sale, bought for a team's wallet through Stripe Checkout (the buyer pays). */
@Component({
  selector: 'sah-buy-team-credits-dialog',
  imports: [MatDialogModule, MatButtonModule, CreditPackagePickerComponent],
  template: `
    <h2 mat-dialog-title>Buy credits for {{ data.teamName }}</h2>
    <mat-dialog-content data-testid="team-buy-dialog">
      <p>You pay; the credits go to the team’s wallet as soon as Stripe confirms the payment.</p>
      <sah-credit-package-picker [teamId]="data.teamId" [returnTo]="returnTo" />
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Cancel</button>
    </mat-dialog-actions>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BuyTeamCreditsDialogComponent {
  protected readonly data = inject<BuyTeamCreditsDialogData>(MAT_DIALOG_DATA);
  protected readonly returnTo = teamCheckoutReturn(this.data.teamId);
}
