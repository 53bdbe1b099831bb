import { BreakpointObserver } from '@angular/cdk/layout';
import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import type { PageEvent } from '@angular/material/paginator';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { ActivatedRoute, Router } from '@angular/router';
import { map } from 'rxjs';

import { ROLE_LABELS, ROLES } from '../../../core/auth/roles';
import { pagedQuery } from '../../../shared/data/paged-query';
import { sameJson } from '../../../shared/data/query-params';
import { urlFilter, urlSearch } from '../../../shared/data/url-filter';
import { TablePanelComponent } from '../../../shared/ui/table-panel/table-panel.component';
import { RoleLabelPipe } from '../../../shared/ui/role-label.pipe';
import { IdentityApi } from '../data-access/identity.api';
import { USER_STATUSES, type IdentityUser } from '../data-access/identity.types';
import {
  DEFAULT_USERS_PER_PAGE,
  toUsersFilter,
  USER_PAGE_SIZES,
  USERS_SEARCH_MAX_LENGTH,
} from './users-filter';

type FilterChange = Partial<Record<'search' | 'role' | 'status', string | null>>;

@Component({
  selector: 'sah-users',
  imports: [
    DatePipe,
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
    MatTableModule,
    RoleLabelPipe,
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

  protected readonly roles = ROLES;
  protected readonly roleLabels = ROLE_LABELS;
  protected readonly statuses = USER_STATUSES;
  protected readonly pageSizes = USER_PAGE_SIZES;
  protected readonly searchMaxLength = USERS_SEARCH_MAX_LENGTH;

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

  private readonly searchBox = urlSearch(
    this.search,
    () => this.filter().search,
    (search) => this.applyFilter({ search }, { replaceUrl: true }),
  );
  protected readonly searchControl = this.searchBox.control;

  private readonly list = pagedQuery(this.filter, (filter) => this.api.users(filter));
  protected readonly loading = this.list.loading;
  protected readonly error = this.list.error;
  protected readonly result = this.list.page;
  protected readonly rows = this.list.rows;
  /**
   * Rows keep their element across reloads: a search result arriving re-renders the list, and a
   * click that lands on a row being replaced would be lost.
   */
  protected readonly trackById = (_index: number, user: IdentityUser) => user.id;

  private readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 599px)')
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  protected readonly isNarrow = this.narrow;
  /** On a phone the role moves under the name, so the table fits without scrolling. */
  protected readonly columns = computed(() =>
    this.narrow() ? ['user', 'status'] : ['user', 'role', 'status', 'emailVerified', 'createdAt'],
  );

  protected applyFilter(change: FilterChange, options: { replaceUrl?: boolean } = {}): void {
    this.url.apply(change, options);
  }

  protected clearFilters(): void {
    this.searchBox.clear();
    this.applyFilter({ search: null, role: null, status: null });
  }

  protected changePage(event: PageEvent): void {
    this.url.changePage(event);
  }

  protected open(user: IdentityUser): void {
    // Keeps the filter in the URL so "back to users" returns to the same list.
    void this.router.navigate([user.id], { relativeTo: this.route, queryParamsHandling: 'preserve' });
  }

  protected retry(): void {
    this.list.reload();
  }
}
