import { BreakpointObserver } from '@angular/cdk/layout';
import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { filter, map, switchMap } from 'rxjs';

import { AuthStore } from '../../../core/auth/auth.store';
import { toAppError } from '../../../core/graphql/graphql-errors';
import { LOADING, toLoadState, type LoadState } from '../../../shared/data/load-state';
import { confirmAction } from '../../../shared/ui/confirm-dialog/confirm-dialog.component';
import { ErrorStateComponent } from '../../../shared/ui/error-state/error-state.component';
import { IdentityApi } from '../data-access/identity.api';
import type { ApiKey } from '../data-access/identity.types';
import {
  CreateApiKeyDialogComponent,
  type CreateApiKeyDialogData,
  type CreateApiKeyDialogResult,
} from './create-api-key-dialog.component';

export type ApiKeyState = 'active' | 'expired' | 'revoked';

export function apiKeyState(key: ApiKey, now = Date.now()): ApiKeyState {
  if (key.revokedAt) return 'revoked';
  return Date.parse(key.expiresAt) <= now ? 'expired' : 'active';
}

/** The signed-in account's API keys: list, create, rotate, revoke. */
@Component({
  selector: 'sah-api-keys-card',
  imports: [
    DatePipe,
    MatButtonModule,
    MatIconModule,
    MatProgressSpinnerModule,
    MatTableModule,
    ErrorStateComponent,
  ],
  templateUrl: './api-keys-card.component.html',
  styleUrls: ['./account-card.scss', './api-keys-card.component.scss'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ApiKeysCardComponent {
  private readonly api = inject(IdentityApi);
  private readonly auth = inject(AuthStore);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);

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
  protected readonly revoking = signal<string | null>(null);
  protected readonly rotating = signal<string | null>(null);

  protected readonly isNarrow = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 719px)')
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  protected readonly columns = computed(() =>
    this.isNarrow()
      ? ['key', 'state', 'actions']
      : ['key', 'scopes', 'createdAt', 'expiresAt', 'lastUsedAt', 'state', 'actions'],
  );
  protected readonly stateOf = apiKeyState;

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

  protected rotate(key: ApiKey): void {
    confirmAction(this.dialog, {
      title: `Rotate “${key.name}”?`,
      message: `A new secret is issued with the same name and scopes. Anything using the key starting ${key.prefix} stops working at once.`,
      confirmLabel: 'Rotate key',
      destructive: true,
    })
      .pipe(
        filter(Boolean),
        switchMap(() => {
          this.rotating.set(key.id);
          return this.api.rotateApiKey(key.id);
        }),
      )
      .subscribe({
        next: (rotated) => {
          this.rotating.set(null);
          // The secret goes straight into the shown-once dialog and is kept nowhere else.
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
            .subscribe(() => this.reload());
        },
        error: (error: unknown) => {
          this.rotating.set(null);
          this.snackBar.open(toAppError(error).message, 'Dismiss', { duration: 8000 });
        },
      });
  }

  protected revoke(key: ApiKey): void {
    confirmAction(this.dialog, {
      title: `Revoke “${key.name}”?`,
      message: `Anything using the key starting ${key.prefix} stops working at once. This cannot be undone.`,
      confirmLabel: 'Revoke key',
      destructive: true,
    })
      .pipe(
        filter(Boolean),
        switchMap(() => {
          this.revoking.set(key.id);
          return this.api.revokeApiKey(key.id);
        }),
      )
      .subscribe({
        next: () => {
          this.revoking.set(null);
          this.snackBar.open(`API key “${key.name}” revoked.`, 'OK', { duration: 5000 });
          this.reload();
        },
        error: (error: unknown) => {
          this.revoking.set(null);
          this.snackBar.open(toAppError(error).message, 'Dismiss', { duration: 8000 });
        },
      });
  }
}
