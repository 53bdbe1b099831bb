import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';

import { AuthStore } from '../../../core/auth/auth.store';
import { RoleLabelPipe } from '../../../shared/ui/role-label.pipe';
import { BuyCreditsCardComponent } from '../../billing/my-credits/buy-credits-card.component';
import { MyCreditsCardComponent } from '../../billing/my-credits/my-credits-card.component';
import { PlanCardComponent } from '../../billing/my-plan/plan-card.component';
import { RedeemCodeCardComponent } from '../../billing/my-credits/redeem-code-card.component';
import { ApiKeysCardComponent } from './api-keys-card.component';
import { ChangePasswordCardComponent } from './change-password-card.component';
import { PrivacyCardComponent } from '../privacy/privacy-card.component';
import { SecurityCardComponent } from '../two-factor/security-card.component';
import { ToolSessionsCardComponent } from './tool-sessions-card.component';

/**
 * The signed-in account: its profile, credits, plan, API keys, tool sessions, security, data export and password.
 * Each card owns its data.
 */
@Component({
  selector: 'sah-account',
  imports: [
    MatCardModule,
    MatIconModule,
    RoleLabelPipe,
    MyCreditsCardComponent,
    PlanCardComponent,
    BuyCreditsCardComponent,
    RedeemCodeCardComponent,
    ApiKeysCardComponent,
    ToolSessionsCardComponent,
    ChangePasswordCardComponent,
    SecurityCardComponent,
    PrivacyCardComponent,
  ],
  templateUrl: './account.component.html',
  styleUrl: './account.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AccountComponent {
  protected readonly user = inject(AuthStore).user;
}
