import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatSnackBar } from '@angular/material/snack-bar';
import { filter, switchMap } from 'rxjs';

import { AuthStore } from '../../../core/auth/auth.store';
import { toAppError } from '../../../core/graphql/graphql-errors';
import { LOADING, toLoadState, type LoadState } from '../../../shared/data/load-state';
import { confirmAction } from '../../../shared/ui/confirm-dialog/confirm-dialog.component';
import { ErrorStateComponent } from '../../../shared/ui/error-state/error-state.component';
import { TwoFactorApi } from '../data-access/two-factor.api';

/** The admin's view of someone's two-factor sign-in, with a reset for a lost phone (audited). */
@Component({
  selector: 'sah-user-two-factor-card',
  imports: [MatButtonModule, MatCardModule, MatIconModule, MatProgressSpinnerModule, ErrorStateComponent],
  template: `
    <mat-card appearance="outlined" data-testid="user-two-factor-card">
      <mat-card-header>
        <mat-card-title><h2 class="two-factor__title">Two-factor sign-in</h2></mat-card-title>
      </mat-card-header>
      <mat-card-content>
        @switch (state().status) {
          @case ('loading') {
            <div class="two-factor__loading">
              <mat-progress-spinner mode="indeterminate" diameter="28" aria-label="Loading" />
            </div>
          }
          @case ('error') {
            <sah-error-state message="Could not load the two-factor status." (retry)="reload()" />
          }
          @default {
            <p class="two-factor__status" data-testid="user-two-factor-status">
              <mat-icon aria-hidden="true">{{ enabled() ? 'verified_user' : 'shield' }}</mat-icon>
              <span>{{ enabled() ? 'On: signing in asks for an authenticator code.' : 'Off.' }}</span>
            </p>
            @if (error(); as message) {
              <p class="two-factor__error" role="alert">{{ message }}</p>
            }
          }
        }
      </mat-card-content>
      @if (enabled() && canManage() && mayReset()) {
        <mat-card-actions align="end">
          <button
            mat-stroked-button
            type="button"
            (click)="reset()"
            [disabled]="busy()"
            data-testid="user-two-factor-reset"
          >
            Reset two-factor
          </button>
        </mat-card-actions>
      }
    </mat-card>
  `,
  styleUrl: './two-factor.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UserTwoFactorCardComponent {
  private readonly api = inject(TwoFactorApi);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);

  readonly userId = input.required<string>();
  /** Whether the caller may change this account (administrators, above its role). */
  readonly canManage = input(false);

  private readonly auth = inject(AuthStore);
  protected readonly mayReset = computed(() => this.auth.can('users:manage'));
  private readonly attempt = signal(0);
  protected readonly state = toSignal(
    toObservable(computed(() => ({ id: this.userId(), attempt: this.attempt() }))).pipe(
      switchMap(({ id }) => toLoadState(this.api.userStatus(id))),
    ),
    { initialValue: LOADING as LoadState<boolean> },
  );
  protected readonly enabled = computed(() => {
    const state = this.state();
    return state.status === 'ready' && state.value;
  });
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  protected reload(): void {
    this.attempt.update((n) => n + 1);
  }

  protected reset(): void {
    confirmAction(this.dialog, {
      title: 'Reset two-factor sign-in?',
      message:
        'Their authenticator app and recovery codes stop working; they sign in with the password alone until they turn it on again.',
      confirmLabel: 'Reset',
      destructive: true,
    })
      .pipe(
        filter(Boolean),
        switchMap(() => {
          this.busy.set(true);
          this.error.set(null);
          return this.api.reset(this.userId());
        }),
      )
      .subscribe({
        next: () => {
          this.busy.set(false);
          this.snackBar.open('Two-factor sign-in reset.', 'Dismiss', { duration: 5000 });
          this.reload();
        },
        error: (error: unknown) => {
          this.error.set(toAppError(error).message);
          this.busy.set(false);
        },
      });
  }
}
