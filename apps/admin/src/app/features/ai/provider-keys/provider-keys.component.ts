import { formatDate } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';

import { listActions } from '../../../shared/ui/list-actions';
import { actionsColumn, LIST_PAGE_IMPORTS, type TableSpec } from '../../../shared/ui/list-page';
import { AiApi } from '../data-access/ai.api';
import { reloadableQuery } from '../../../shared/data/reloadable-query';
import type { ProviderKey } from '../data-access/ai.types';
import { providerLabel } from '../ui/ai-labels';
import { providerColumn } from '../ui/provider-column';
import { openAddProviderKey } from './add-provider-key-dialog.component';

/**
 * Provider credentials kept in the database (keys from the server's configuration are not listed):
 * add, switch on and off, delete. The gateway uses the enabled ones of a provider in rotation.
 */
@Component({
  selector: 'sah-provider-keys',
  imports: [LIST_PAGE_IMPORTS],
  templateUrl: './provider-keys.component.html',
  styleUrl: './provider-keys.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProviderKeysComponent {
  private readonly api = inject(AiApi);
  private readonly actions = listActions();

  protected readonly addKey = { label: 'Add key', icon: 'add', testId: 'provider-key-add' };
  protected readonly table: TableSpec<ProviderKey> = {
    noun: 'provider keys',
    columns: [
      providerColumn(),
      { key: 'label', header: 'Label', cell: (key) => key.label, class: 'table-panel__wrap' },
      { key: 'last4', header: 'Key' },
      { key: 'createdAt', header: 'Added', cell: (key, locale) => formatDate(key.createdAt, 'medium', locale) },
      this.actions.enabledSwitch(
        (key: ProviderKey) => key.label,
        'provider-key-enabled',
        (key: ProviderKey, enabled: boolean) => ({
          call: () => this.api.setProviderKeyEnabled(key.id, enabled),
          done: (updated) => `“${updated.label}” is ${updated.enabled ? 'enabled' : 'disabled'}.`,
          then: () => this.list.reload(),
        }),
      ),
      actionsColumn(
        this.actions.irreversible({
          label: 'Delete',
          icon: 'delete',
          name: (key: ProviderKey) => `“${key.label}”`,
          testId: 'provider-key-delete',
          warning: (key) =>
            `The ${providerLabel(key.provider)} key ending in ${key.last4} is erased and no longer used.`,
          call: (key) => this.api.deleteProviderKey(key.id),
          done: (_deleted, key) => `“${key.label}” deleted.`,
          then: () => this.list.reload(),
        }),
      ),
    ],
    testIdPrefix: 'provider-keys',
    rowTestId: 'provider-key-row',
    rowAttributes: (key) => ({ 'data-label': key.label }),
    emptyText: "No keys have been added here. Providers use the keys in the server's configuration, if any.",
  };

  protected readonly list = reloadableQuery(() => this.api.providerKeys());

  protected add(): void {
    this.actions.afterDialog(
      (dialog) => openAddProviderKey(dialog),
      (key) => `Key “${key.label}” saved.`,
      () => this.list.reload(),
    );
  }
}
