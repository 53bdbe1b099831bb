import { formatDate } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, LOCALE_ID, signal } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { MatSlideToggleModule, type MatSlideToggleChange } from '@angular/material/slide-toggle';
import { MatSnackBar } from '@angular/material/snack-bar';
import { filter, switchMap } from 'rxjs';

import { toAppError } from '../../../core/graphql/graphql-errors';
import { confirmAction } from '../../../shared/ui/confirm-dialog/confirm-dialog.component';
import { actionsColumn, LIST_PAGE_IMPORTS, type TableSpec } from '../../../shared/ui/list-page';
import { AiApi } from '../data-access/ai.api';
import { reloadableQuery } from '../../../shared/data/reloadable-query';
import type { ProviderKey } from '../data-access/ai.types';
import { providerLabel } from '../ui/ai-labels';
import { openAddProviderKey } from './add-provider-key-dialog.component';

/**
 * Provider credentials kept in the database (keys from the server's configuration are not listed):
 * add, switch on and off, delete. The gateway uses the enabled ones of a provider in rotation.
 */
@Component({
  selector: 'sah-provider-keys',
  imports: [MatSlideToggleModule, LIST_PAGE_IMPORTS],
  templateUrl: './provider-keys.component.html',
  styleUrl: './provider-keys.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProviderKeysComponent {
  private readonly api = inject(AiApi);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);

  private readonly locale = inject(LOCALE_ID);

  protected readonly addKey = { label: 'Add key', icon: 'add', testId: 'provider-key-add' };
  protected readonly table: TableSpec<ProviderKey> = {
    noun: 'provider keys',
    columns: [
      { key: 'provider', header: 'Provider', cell: (key) => providerLabel(key.provider) },
      { key: 'label', header: 'Label', cell: (key) => key.label, class: 'table-panel__wrap' },
      { key: 'last4', header: 'Key' },
      { key: 'createdAt', header: 'Added', cell: (key) => formatDate(key.createdAt, 'medium', this.locale) },
      { key: 'enabled', header: 'Enabled' },
      actionsColumn({
        label: 'Delete',
        icon: 'delete',
        destructive: true,
        ariaLabel: (key) => `Delete ${key.label}`,
        testId: 'provider-key-delete',
        disabled: (key) => this.busy() === key.id,
        run: (key) => this.remove(key),
      }),
    ],
    testIdPrefix: 'provider-keys',
    rowTestId: 'provider-key-row',
    rowAttributes: (key) => ({ 'data-label': key.label }),
    emptyText: "No keys have been added here. Providers use the keys in the server's configuration, if any.",
  };

  protected readonly list = reloadableQuery(() => this.api.providerKeys());
  protected readonly keys = this.list.value;
  /** The key a change is under way for. */
  protected readonly busy = signal<string | null>(null);

  protected reload(): void {
    this.list.reload();
  }

  protected add(): void {
    openAddProviderKey(this.dialog)
      .pipe(filter((key) => key !== undefined))
      .subscribe((key) => {
        this.snackBar.open(`Key “${key.label}” saved.`, 'OK', { duration: 5000 });
        this.reload();
      });
  }

  protected setEnabled(key: ProviderKey, change: MatSlideToggleChange): void {
    this.busy.set(key.id);
    this.api.setProviderKeyEnabled(key.id, change.checked).subscribe({
      next: (updated) => {
        this.busy.set(null);
        this.snackBar.open(`“${updated.label}” is ${updated.enabled ? 'enabled' : 'disabled'}.`, 'OK', {
          duration: 5000,
        });
        this.reload();
      },
      error: (error: unknown) => {
        this.busy.set(null);
        // The toggle moved on click: put it back to what the server still has.
        change.source.checked = key.enabled;
        this.snackBar.open(toAppError(error).message, 'Dismiss', { duration: 8000 });
      },
    });
  }

  private remove(key: ProviderKey): void {
    confirmAction(this.dialog, {
      title: `Delete “${key.label}”?`,
      message: `The ${providerLabel(key.provider)} key ending in ${key.last4} is erased and no longer used. This cannot be undone.`,
      confirmLabel: 'Delete',
      destructive: true,
    })
      .pipe(
        filter(Boolean),
        switchMap(() => {
          this.busy.set(key.id);
          return this.api.deleteProviderKey(key.id);
        }),
      )
      .subscribe({
        next: () => {
          this.busy.set(null);
          this.snackBar.open(`“${key.label}” deleted.`, 'OK', { duration: 5000 });
          this.reload();
        },
        error: (error: unknown) => {
          this.busy.set(null);
          this.snackBar.open(toAppError(error).message, 'Dismiss', { duration: 8000 });
        },
      });
  }
}
