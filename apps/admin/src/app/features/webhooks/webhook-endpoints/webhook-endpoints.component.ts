import { ChangeDetectionStrategy, Component } from '@angular/core';

import { EmptyStateComponent } from '../../../shared/ui/empty-state/empty-state.component';

@Component({
  selector: 'sah-webhook-endpoints',
  imports: [EmptyStateComponent],
  template: `
    <h1 class="page-title">Webhooks</h1>
    <sah-empty-state icon="webhook" heading="Webhook endpoints and deliveries" context="Webhooks" />
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WebhookEndpointsComponent {}
