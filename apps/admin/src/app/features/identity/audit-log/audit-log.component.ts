import { DatePipe, JsonPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import type { PageEvent } from '@angular/material/paginator';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';

import { pagedQuery } from '../../../shared/data/paged-query';
import { sameJson } from '../../../shared/data/query-params';
import { urlFilter } from '../../../shared/data/url-filter';
import { FilterBarComponent } from '../../../shared/ui/filter-bar/filter-bar.component';
import { narrowScreen } from '../../../shared/ui/narrow-screen';
import { TablePanelComponent } from '../../../shared/ui/table-panel/table-panel.component';
import { IdentityApi } from '../data-access/identity.api';
import type { AuditEntry } from '../data-access/identity.types';
import {
  AUDIT_FILTER_FIELDS,
  AUDIT_PAGE_SIZES,
  DEFAULT_AUDIT_PER_PAGE,
  toAuditLogFilter,
} from './audit-log-filter';

@Component({
  selector: 'sah-audit-log',
  imports: [
    DatePipe,
    JsonPipe,
    RouterLink,
    MatButtonModule,
    MatIconModule,
    MatTableModule,
    MatTooltipModule,
    FilterBarComponent,
    TablePanelComponent,
  ],
  templateUrl: './audit-log.component.html',
  styleUrl: './audit-log.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AuditLogComponent {
  private readonly api = inject(IdentityApi);
  private readonly url = urlFilter(DEFAULT_AUDIT_PER_PAGE);

  // Bound from the query string: the URL is the one source of truth for the filter.
  readonly action = input<string>();
  readonly actorId = input<string>();
  readonly from = input<string>();
  readonly to = input<string>();
  readonly page = input<string>();
  readonly perPage = input<string>();

  protected readonly filterFields = AUDIT_FILTER_FIELDS;
  protected readonly pageSizes = AUDIT_PAGE_SIZES;

  protected readonly filter = computed(
    () =>
      toAuditLogFilter({
        action: this.action(),
        actorId: this.actorId(),
        from: this.from(),
        to: this.to(),
        page: this.page(),
        perPage: this.perPage(),
      }),
    { equal: sameJson },
  );
  protected readonly hasFilters = computed(() => {
    const { action, actorId, from, to } = this.filter();
    return Boolean(action || actorId || from || to);
  });

  protected readonly list = pagedQuery(this.filter, (filter) => this.api.auditLog(filter));
  protected readonly rows = this.list.rows;
  protected readonly expanded = signal<string | null>(null);

  protected readonly isNarrow = narrowScreen(839);
  protected readonly columns = computed(() =>
    this.isNarrow()
      ? ['occurredAt', 'action', 'expand']
      : ['occurredAt', 'actorId', 'action', 'target', 'ip', 'requestId', 'expand'],
  );

  protected toggle(entry: AuditEntry): void {
    this.expanded.update((id) => (id === entry.id ? null : entry.id));
  }

  protected changePage(event: PageEvent): void {
    this.url.changePage(event);
  }
}
