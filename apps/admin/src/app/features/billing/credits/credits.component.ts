import { ChangeDetectionStrategy, Component } from '@angular/core';

import { EmptyStateComponent } from '../../../shared/ui/empty-state/empty-state.component';

@Component({
  selector: 'sah-credits',
  imports: [EmptyStateComponent],
  template: `
    <h1 class="page-title">Credits</h1>
    <sah-empty-state icon="toll" heading="Credits, packages and promo codes" context="Billing" />
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CreditsComponent {}
