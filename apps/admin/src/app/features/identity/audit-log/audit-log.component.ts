import { JsonPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';

import { listPage } from '../../../shared/data/list-page';
import {
  actionsColumn,
  actorColumn,
  LIST_PAGE_IMPORTS,
  timeColumn,
  type TableSpec,
} from '../../../shared/ui/list-page';
import { narrowScreen } from '../../../shared/ui/narrow-screen';
import { IdentityApi } from '../data-access/identity.api';
import type { AuditEntry } from '../data-access/identity.types';
import { AUDIT_LIST } from './audit-log-filter';

@Component({
  selector: 'sah-audit-log',
  imports: [JsonPipe, MatButtonModule, MatIconModule, LIST_PAGE_IMPORTS],
  templateUrl: './audit-log.component.html',
  styleUrl: './audit-log.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AuditLogComponent {
  private readonly api = inject(IdentityApi);

  /** The filter comes from the query string: the URL is the one source of truth. */
  protected readonly entries = listPage(AUDIT_LIST, (filter) => this.api.auditLog(filter));
  protected readonly expanded = signal<string | null>(null);
  protected readonly isOpen = (entry: AuditEntry) => this.expanded() === entry.id;
  protected readonly isNarrow = narrowScreen(839);

  protected readonly table: TableSpec<AuditEntry> = {
    noun: 'audit entries',
    columns: [
      timeColumn('occurredAt', 'Time', (entry) => entry.occurredAt, this.isNarrow),
      actorColumn('actorId', (entry) => entry.actorId, () => true),
      { key: 'action', header: 'Action' },
      { key: 'target', header: 'Target' },
      { key: 'ip', header: 'IP' },
      { key: 'requestId', header: 'Request ID' },
      { ...actionsColumn<AuditEntry>(), key: 'expand', header: 'Details' },
    ],
    narrowColumns: ['occurredAt', 'action', 'expand'],
    testIdPrefix: 'audit',
    rowAttributes: (entry) => ({ 'data-action': entry.action, 'data-target-id': entry.targetId }),
    emptyText: 'Nothing has been recorded yet.',
    filteredEmptyText: 'No entries match these filters.',
  };

  protected toggle(entry: AuditEntry): void {
    this.expanded.update((id) => (id === entry.id ? null : entry.id));
  }
}
