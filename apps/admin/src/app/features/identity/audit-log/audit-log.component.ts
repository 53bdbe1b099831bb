import { ChangeDetectionStrategy, Component } from '@angular/core';

import { EmptyStateComponent } from '../../../shared/ui/empty-state/empty-state.component';

@Component({
  selector: 'sah-audit-log',
  imports: [EmptyStateComponent],
  template: `
    <h1 class="page-title">Audit log</h1>
    <sah-empty-state icon="manage_history" heading="Administrative audit trail" context="Identity" />
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AuditLogComponent {}
