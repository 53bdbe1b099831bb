import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import type { PageEvent } from '@angular/material/paginator';
import { MatTableModule } from '@angular/material/table';
import { ActivatedRoute, Router } from '@angular/router';

import { pagedQuery } from '../../../shared/data/paged-query';
import { sameJson } from '../../../shared/data/query-params';
import { urlFilter } from '../../../shared/data/url-filter';
import { FilterBarComponent } from '../../../shared/ui/filter-bar/filter-bar.component';
import { narrowScreen } from '../../../shared/ui/narrow-screen';
import { TablePanelComponent } from '../../../shared/ui/table-panel/table-panel.component';
import { RoleLabelPipe } from '../../../shared/ui/role-label.pipe';
import { IdentityApi } from '../data-access/identity.api';
import type { IdentityUser } from '../data-access/identity.types';
import { DEFAULT_USERS_PER_PAGE, toUsersFilter, USER_PAGE_SIZES, USERS_FILTER_FIELDS } from './users-filter';

@Component({
  selector: 'sah-users',
  imports: [
    DatePipe,
    MatTableModule,
    RoleLabelPipe,
    FilterBarComponent,
    TablePanelComponent,
  ],
  templateUrl: './users.component.html',
  styleUrl: './users.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UsersComponent {
  private readonly api = inject(IdentityApi);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly url = urlFilter(DEFAULT_USERS_PER_PAGE);

  // Bound from the query string: the URL is the one source of truth for the filter.
  readonly search = input<string>();
  readonly role = input<string>();
  readonly status = input<string>();
  readonly page = input<string>();
  readonly perPage = input<string>();

  protected readonly filterFields = USERS_FILTER_FIELDS;
  protected readonly pageSizes = USER_PAGE_SIZES;

  protected readonly filter = computed(
    () =>
      toUsersFilter({
        search: this.search(),
        role: this.role(),
        status: this.status(),
        page: this.page(),
        perPage: this.perPage(),
      }),
    { equal: sameJson },
  );
  protected readonly hasFilters = computed(() => {
    const { search, role, status } = this.filter();
    return Boolean(search || role || status);
  });

  protected readonly list = pagedQuery(this.filter, (filter) => this.api.users(filter));
  protected readonly rows = this.list.rows;
  /**
   * Rows keep their element across reloads: a search result arriving re-renders the list, and a
   * click that lands on a row being replaced would be lost.
   */
  protected readonly trackById = (_index: number, user: IdentityUser) => user.id;

  protected readonly isNarrow = narrowScreen(599);
  /** On a phone the role moves under the name, so the table fits without scrolling. */
  protected readonly columns = computed(() =>
    this.isNarrow() ? ['user', 'status'] : ['user', 'role', 'status', 'emailVerified', 'createdAt'],
  );

  protected changePage(event: PageEvent): void {
    this.url.changePage(event);
  }

  protected open(user: IdentityUser): void {
    // Keeps the filter in the URL so "back to users" returns to the same list.
    void this.router.navigate([user.id], { relativeTo: this.route, queryParamsHandling: 'preserve' });
  }
}
