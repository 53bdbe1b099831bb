import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';

import { AuthStore } from '../../../core/auth/auth.store';
import { RoleLabelPipe } from '../../../shared/ui/role-label.pipe';
import { ApiKeysCardComponent } from './api-keys-card.component';
import { ChangePasswordCardComponent } from './change-password-card.component';
import { ToolSessionsCardComponent } from './tool-sessions-card.component';

/** The signed-in account: its profile, API keys, tool sessions and password. Each card owns its data. */
@Component({
  selector: 'sah-account',
  imports: [
    MatCardModule,
    MatIconModule,
    RoleLabelPipe,
    ApiKeysCardComponent,
    ToolSessionsCardComponent,
    ChangePasswordCardComponent,
  ],
  templateUrl: './account.component.html',
  styleUrl: './account.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AccountComponent {
  protected readonly user = inject(AuthStore).user;
}
