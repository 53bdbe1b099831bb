import { ChangeDetectionStrategy, Component } from '@angular/core';

import { EmptyStateComponent } from '../../../shared/ui/empty-state/empty-state.component';

@Component({
  selector: 'sah-users',
  imports: [EmptyStateComponent],
  template: `
    <h1 class="page-title">Users</h1>
    <sah-empty-state icon="group" heading="User management" context="Identity" />
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UsersComponent {}
