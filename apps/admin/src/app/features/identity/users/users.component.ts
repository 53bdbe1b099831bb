import { formatDate } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { ActivatedRoute, Router } from '@angular/router';

import { listPage } from '../../../shared/data/list-page';
import { LIST_PAGE_IMPORTS, statusLook, type TableSpec } from '../../../shared/ui/list-page';
import { narrowScreen } from '../../../shared/ui/narrow-screen';
import { RoleLabelPipe } from '../../../shared/ui/role-label.pipe';
import { IdentityApi } from '../data-access/identity.api';
import type { IdentityUser } from '../data-access/identity.types';
import { USER_STATUS_LABELS, USER_STATUS_TONES } from '../ui/user-status';
import { USERS_LIST } from './users-filter';

@Component({
  selector: 'sah-users',
  imports: [RoleLabelPipe, LIST_PAGE_IMPORTS],
  templateUrl: './users.component.html',
  styleUrl: './users.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UsersComponent {
  private readonly api = inject(IdentityApi);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly roleLabel = new RoleLabelPipe();

  /** The filter comes from the query string: the URL is the one source of truth. */
  protected readonly users = listPage(USERS_LIST, (filter) => this.api.users(filter));

  protected readonly table: TableSpec<IdentityUser> = {
    noun: 'users',
    columns: [
      { key: 'user', header: 'User' },
      { key: 'role', header: 'Role', cell: (user) => this.roleLabel.transform(user.roles) },
      {
        key: 'status',
        header: 'Status',
        chip: (user) => statusLook(user.status, USER_STATUS_TONES, USER_STATUS_LABELS),
      },
      {
        key: 'emailVerified',
        header: 'E-mail verified',
        cell: (user) => (user.emailVerified ? 'Yes' : 'No'),
      },
      {
        key: 'createdAt',
        header: 'Joined',
        cell: (user, locale) => formatDate(user.createdAt, 'mediumDate', locale),
      },
    ],
    narrowColumns: ['user', 'status'],
    testIdPrefix: 'users',
    rowTestId: 'user-row',
    rowAttributes: (user) => ({ 'data-email': user.email }),
    rowLabel: (user) => `Open ${user.email}`,
    /**
     * Rows keep their element across reloads: a search result arriving re-renders the list, and a
     * click that lands on a row being replaced would be lost.
     */
    trackBy: (_index, user) => user.id,
    emptyText: 'There are no users yet.',
  };

  protected readonly isNarrow = narrowScreen(599);

  protected open(user: IdentityUser): void {
    // Keeps the filter in the URL so "back to users" returns to the same list.
    void this.router.navigate([user.id], { relativeTo: this.route, queryParamsHandling: 'preserve' });
  }
}
