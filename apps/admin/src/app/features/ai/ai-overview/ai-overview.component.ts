import { ChangeDetectionStrategy, Component } from '@angular/core';

import { EmptyStateComponent } from '../../../shared/ui/empty-state/empty-state.component';

@Component({
  selector: 'sah-ai-overview',
  imports: [EmptyStateComponent],
  template: `
    <h1 class="page-title">AI</h1>
    <sah-empty-state icon="smart_toy" heading="AI models, providers and usage" context="AI" />
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AiOverviewComponent {}
