import { DatePipe, formatDate } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, LOCALE_ID, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { filter, switchMap } from 'rxjs';

import { AuthStore } from '../../../core/auth/auth.store';
import { LOADING, toLoadState, type LoadState } from '../../../shared/data/load-state';
import { ErrorStateComponent } from '../../../shared/ui/error-state/error-state.component';
import { listActions, type RowCall } from '../../../shared/ui/list-actions';
import { actionsColumn, LIST_PAGE_IMPORTS, type TableSpec } from '../../../shared/ui/list-page';
import { narrowScreen } from '../../../shared/ui/narrow-screen';
import type { TableChip } from '../../../shared/ui/table-panel/table-columns';
import { IdentityApi } from '../data-access/identity.api';
import type { ApiKey, CreatedApiKey } from '../data-access/identity.types';
import { ApiKeyLimitDialogComponent, type ApiKeyLimitDialogResult } from './api-key-limit-dialog.component';
import {
  CreateApiKeyDialogComponent,
  type CreateApiKeyDialogData,
  type CreateApiKeyDialogResult,
} from './create-api-key-dialog.component';
import { budgetUse, rateLimitsLabel } from './api-key-limits';

export type ApiKeyState = 'active' | 'expired' | 'revoked';

export function apiKeyState(key: ApiKey, now = Date.now()): ApiKeyState {
  if (key.revokedAt) return 'revoked';
  return Date.parse(key.expiresAt) <= now ? 'expired' : 'active';
}

/** The signed-in account's API keys: list, create, limit, rotate, revoke. */
@Component({
  selector: 'sah-api-keys-card',
  imports: [
    DatePipe,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    MatProgressSpinnerModule,
    ErrorStateComponent,
    LIST_PAGE_IMPORTS,
  ],
  templateUrl: './api-keys-card.component.html',
  styleUrls: ['./account-card.scss', './api-keys-card.component.scss'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ApiKeysCardComponent {
  private readonly api = inject(IdentityApi);
  private readonly auth = inject(AuthStore);
  private readonly dialog = inject(MatDialog);
  private readonly actions = listActions();

  /** Guests hold no `api-keys:manage`: the API would refuse every key operation. */
  protected readonly canManageKeys = computed(() => this.auth.can('api-keys:manage'));

  private readonly attempt = signal(0);
  protected readonly keys = toSignal(
    toObservable(computed(() => ({ allowed: this.canManageKeys(), attempt: this.attempt() }))).pipe(
      filter(({ allowed }) => allowed),
      switchMap(() => toLoadState(this.api.apiKeys())),
    ),
    { initialValue: LOADING as LoadState<ApiKey[]> },
  );

  protected readonly budgetUse = budgetUse;
  protected readonly isNarrow = narrowScreen(719);
  private readonly locale = inject(LOCALE_ID);
  protected readonly table: TableSpec<ApiKey> = {
    noun: 'API keys',
    columns: [
      { key: 'key', header: 'Key' },
      { key: 'scopes', header: 'Scopes' },
      { key: 'limits', header: 'Rate limits', cell: (key) => rateLimitsLabel(key) },
      { key: 'budget', header: 'Budget this month' },
      { key: 'createdAt', header: 'Created', cell: (key) => this.date(key.createdAt, 'mediumDate') },
      { key: 'expiresAt', header: 'Expires', cell: (key) => this.date(key.expiresAt, 'mediumDate') },
      {
        key: 'lastUsedAt',
        header: 'Last used',
        cell: (key) => (key.lastUsedAt ? this.date(key.lastUsedAt, 'medium') : 'Never'),
      },
      { key: 'state', header: 'Status', chip: (key) => this.stateChip(key) },
      actionsColumn(
        {
          label: 'Limit',
          ariaLabel: (key) => `Limit ${key.name}`,
          testId: 'api-key-limit',
          shown: (key) => !key.revokedAt,
          run: (key) => this.editLimit(key),
        },
        this.actions.button(
          {
            label: 'Rotate',
            ariaLabel: (key) => `Rotate ${key.name}`,
            testId: 'api-key-rotate',
            shown: (key) => !key.revokedAt,
          },
          (key: ApiKey) => this.rotation(key),
        ),
        this.actions.button(
          {
            label: 'Revoke',
            destructive: true,
            ariaLabel: (key) => `Revoke ${key.name}`,
            testId: 'api-key-revoke',
            shown: (key) => !key.revokedAt,
          },
          (key: ApiKey) => this.revocation(key),
        ),
      ),
    ],
    narrowColumns: ['key', 'state', 'actions'],
    testIdPrefix: 'api-keys',
    rowTestId: 'api-key-row',
    rowAttributes: (key) => ({ 'data-prefix': key.prefix }),
    rowMuted: (key) => Boolean(key.revokedAt),
  };

  private stateChip(key: ApiKey): TableChip {
    const state = apiKeyState(key);
    if (state === 'revoked') return { label: `Revoked ${this.date(key.revokedAt ?? '', 'mediumDate')}`, tone: 'bad' };
    return state === 'expired' ? { label: 'Expired', tone: 'muted' } : { label: 'Active' };
  }

  private date(value: string, format: string): string {
    return formatDate(value, format, this.locale);
  }

  protected reload(): void {
    this.attempt.update((n) => n + 1);
  }

  protected createKey(): void {
    this.dialog
      .open<CreateApiKeyDialogComponent, CreateApiKeyDialogData, CreateApiKeyDialogResult>(
        CreateApiKeyDialogComponent,
        {
          data: { allowPartnerScope: this.auth.can('partner-keys:grant') },
          width: '32rem',
          maxWidth: 'calc(100vw - 32px)',
          autoFocus: 'first-tabbable',
        },
      )
      .afterClosed()
      .pipe(filter((created) => created === true))
      .subscribe(() => this.reload());
  }

  private editLimit(key: ApiKey): void {
    this.dialog
      .open<ApiKeyLimitDialogComponent, ApiKey, ApiKeyLimitDialogResult>(ApiKeyLimitDialogComponent, {
        data: key,
        width: '28rem',
        maxWidth: 'calc(100vw - 32px)',
      })
      .afterClosed()
      .pipe(filter((changed): changed is ApiKey => changed !== undefined))
      .subscribe((changed) => {
        const limits = [rateLimitsLabel(changed), changed.monthlyCreditBudget ? `${changed.monthlyCreditBudget.toLocaleString('en-US')} credits/month` : 'None']
          .filter((part) => part !== 'None')
          .join(', ');
        this.actions.say(limits ? `“${changed.name}” is limited to ${limits}.` : `“${changed.name}” has no limits of its own.`);
        this.reload();
      });
  }

  private rotation(key: ApiKey): RowCall<CreatedApiKey> {
    return {
      confirm: {
        title: `Rotate “${key.name}”?`,
        message: `A new secret is issued with the same name and scopes. Anything using the key starting ${key.prefix} stops working at once.`,
        confirmLabel: 'Rotate key',
        destructive: true,
      },
      call: () => this.api.rotateApiKey(key.id),
      // The secret goes straight into the shown-once dialog and is kept nowhere else.
      then: (rotated) =>
        this.dialog
          .open<CreateApiKeyDialogComponent, CreateApiKeyDialogData, CreateApiKeyDialogResult>(
            CreateApiKeyDialogComponent,
            {
              data: { allowPartnerScope: false, rotated },
              width: '32rem',
              maxWidth: 'calc(100vw - 32px)',
              disableClose: true,
            },
          )
          .afterClosed()
          .subscribe(() => this.reload()),
    };
  }

  private revocation(key: ApiKey): RowCall<boolean> {
    return {
      confirm: {
        title: `Revoke “${key.name}”?`,
        message: `Anything using the key starting ${key.prefix} stops working at once. This cannot be undone.`,
        confirmLabel: 'Revoke key',
        destructive: true,
      },
      call: () => this.api.revokeApiKey(key.id),
      done: () => `API key “${key.name}” revoked.`,
      then: () => this.reload(),
    };
  }
}
