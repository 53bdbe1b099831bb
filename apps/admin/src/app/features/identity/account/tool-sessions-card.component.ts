import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatSnackBar } from '@angular/material/snack-bar';
import { filter, switchMap } from 'rxjs';

import { toAppError } from '../../../core/graphql/graphql-errors';
import { LOADING, toLoadState, type LoadState } from '../../../shared/data/load-state';
import { confirmAction } from '../../../shared/ui/confirm-dialog/confirm-dialog.component';
import { ErrorStateComponent } from '../../../shared/ui/error-state/error-state.component';
import { IdentityApi } from '../data-access/identity.api';
import type { VerifiedSession } from '../data-access/identity.types';

/** Verified sessions of third-party tools: any signed-in account may have them, and revoke them. */
@Component({
  selector: 'sah-tool-sessions-card',
  imports: [DatePipe, MatButtonModule, MatCardModule, MatIconModule, MatProgressSpinnerModule, ErrorStateComponent],
  templateUrl: './tool-sessions-card.component.html',
  styleUrls: ['./account-card.scss', './tool-sessions-card.component.scss'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ToolSessionsCardComponent {
  private readonly api = inject(IdentityApi);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);

  private readonly sessionsAttempt = signal(0);
  protected readonly sessions = toSignal(
    toObservable(this.sessionsAttempt).pipe(switchMap(() => toLoadState(this.api.verifiedSessions()))),
    { initialValue: LOADING as LoadState<VerifiedSession[]> },
  );
  protected readonly revokingSession = signal<string | null>(null);

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
}
