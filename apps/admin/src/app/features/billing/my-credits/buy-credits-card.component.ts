import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MatCardModule } from '@angular/material/card';

import { CheckoutNoticeComponent } from '../ui/checkout-notice.component';
import { CreditPackagePickerComponent, type CheckoutReturn } from '../ui/credit-package-picker.component';

/** Where Stripe sends the buyer back: this page, saying how it went. */
export const CHECKOUT_RETURN: CheckoutReturn = { success: 'account?checkout=success', cancel: 'account?checkout=cancelled' };

/** Buying credits for your own balance on My account, and the word on the way back from Stripe. */
@Component({
  selector: 'sah-buy-credits-card',
  imports: [MatCardModule, CheckoutNoticeComponent, CreditPackagePickerComponent],
  templateUrl: './buy-credits-card.component.html',
  styleUrl: '../../identity/account/account-card.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BuyCreditsCardComponent {
  protected readonly returnTo = CHECKOUT_RETURN;
}
