import { BreakpointObserver } from '@angular/cdk/layout';
import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { FormGroupDirective, NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { filter, map, switchMap } from 'rxjs';

import { AuthStore } from '../../../core/auth/auth.store';
import { toAppError } from '../../../core/graphql/graphql-errors';
import { LOADING, toLoadState, type LoadState } from '../../../shared/data/load-state';
import { confirmAction } from '../../../shared/ui/confirm-dialog/confirm-dialog.component';
import { ErrorStateComponent } from '../../../shared/ui/error-state/error-state.component';
import { RoleLabelPipe } from '../../../shared/ui/role-label.pipe';
import { PASSWORD_RULES, passwordsMatch, strongPassword } from '../../auth/password-rules';
import { IdentityApi } from '../data-access/identity.api';
import type { ApiKey, VerifiedSession } from '../data-access/identity.models';
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

/** The signed-in account: its profile and its API keys. */
@Component({
  selector: 'sah-account',
  imports: [
    DatePipe,
    ReactiveFormsModule,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressSpinnerModule,
    MatTableModule,
    ErrorStateComponent,
    RoleLabelPipe,
  ],
  templateUrl: './account.component.html',
  styleUrl: './account.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AccountComponent {
  private readonly api = inject(IdentityApi);
  private readonly auth = inject(AuthStore);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly user = this.auth.user;
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

  /** Verified sessions of third-party tools: any signed-in account may have them. */
  private readonly sessionsAttempt = signal(0);
  protected readonly sessions = toSignal(
    toObservable(this.sessionsAttempt).pipe(switchMap(() => toLoadState(this.api.verifiedSessions()))),
    { initialValue: LOADING as LoadState<VerifiedSession[]> },
  );
  protected readonly revokingSession = signal<string | null>(null);

  protected readonly passwordForm = inject(NonNullableFormBuilder).group(
    {
      currentPassword: ['', Validators.required],
      newPassword: ['', [Validators.required, Validators.maxLength(128), strongPassword]],
      confirmPassword: ['', Validators.required],
    },
    { validators: passwordsMatch },
  );
  private readonly newPassword = toSignal(this.passwordForm.controls.newPassword.valueChanges, { initialValue: '' });
  protected readonly passwordRules = computed(() =>
    PASSWORD_RULES.map((rule) => ({ id: rule.id, label: rule.label, met: rule.test(this.newPassword()) })),
  );
  protected readonly changingPassword = signal(false);
  protected readonly passwordError = signal<string | null>(null);
  protected readonly passwordChanged = signal(false);

  private readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 719px)')
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  protected readonly isNarrow = this.narrow;
  protected readonly columns = computed(() =>
    this.narrow()
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

  protected reloadSessions(): void {
    this.sessionsAttempt.update((n) => n + 1);
  }

  protected revokeSession(session: VerifiedSession): void {
    confirmAction(this.dialog, {
      title: 'Revoke this tool session?',
      message: `The tool using session ${session.externalSessionId} is signed out at once.`,
      confirmLabel: 'Revoke session',
      destructive: true,
    })
      .pipe(
        filter(Boolean),
        switchMap(() => {
          this.revokingSession.set(session.id);
          return this.api.revokeVerifiedSession(session.id);
        }),
      )
      .subscribe({
        next: () => {
          this.revokingSession.set(null);
          this.snackBar.open('Tool session revoked.', 'OK', { duration: 5000 });
          this.reloadSessions();
        },
        error: (error: unknown) => {
          this.revokingSession.set(null);
          this.snackBar.open(toAppError(error).message, 'Dismiss', { duration: 8000 });
        },
      });
  }

  protected changePassword(formDirective: FormGroupDirective): void {
    if (this.changingPassword()) return;
    this.passwordChanged.set(false);
    if (this.passwordForm.invalid) {
      this.passwordForm.markAllAsTouched();
      return;
    }
    const { currentPassword, newPassword } = this.passwordForm.getRawValue();
    this.changingPassword.set(true);
    this.passwordError.set(null);
    this.passwordForm.disable();
    this.api.changePassword(currentPassword, newPassword).subscribe({
      next: () => {
        this.changingPassword.set(false);
        this.passwordForm.enable();
        // Clears the fields and the "submitted" state, so no "required" errors show afterwards.
        formDirective.resetForm();
        this.passwordChanged.set(true);
      },
      error: (error: unknown) => {
        this.passwordError.set(toAppError(error).message);
        this.changingPassword.set(false);
        this.passwordForm.enable();
      },
    });
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
