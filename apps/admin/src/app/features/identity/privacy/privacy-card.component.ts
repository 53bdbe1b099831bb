import { formatDate } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  LOCALE_ID,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatSnackBar } from '@angular/material/snack-bar';
import { EMPTY, expand, of, switchMap, timer, type Observable, type Subscription } from 'rxjs';

import { AuthSession } from '../../../core/auth/auth-session.service';
import { toAppError } from '../../../core/graphql/graphql-errors';
import { fileDownload } from '../../../shared/data/download';
import { LOADING, type LoadState } from '../../../shared/data/load-state';
import { ErrorStateComponent } from '../../../shared/ui/error-state/error-state.component';
import { SpinnerButtonComponent } from '../../../shared/ui/spinner-button/spinner-button.component';
import { DataExportApi, type DataExport } from '../data-access/data-export.api';
import { TwoFactorApi } from '../data-access/two-factor.api';
import {
  DeleteAccountDialogComponent,
  type DeleteAccountDialogData,
  type DeleteAccountDialogResult,
} from './delete-account-dialog.component';

/** How often an export being prepared is checked on. */
export const EXPORT_POLL_MS = 3000;

/**
 * My account → Your data: ask for a GDPR export of everything the hub holds about you, follow it
 * while the background job prepares it, and download the JSON file while it is kept; or delete the account.
 */
@Component({
  selector: 'sah-privacy-card',
  imports: [MatCardModule, MatProgressSpinnerModule, ErrorStateComponent, SpinnerButtonComponent],
  templateUrl: './privacy-card.component.html',
  styleUrls: ['../account/account-card.scss', './privacy-card.component.scss'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PrivacyCardComponent {
  private readonly api = inject(DataExportApi);
  private readonly destroyRef = inject(DestroyRef);
  private readonly locale = inject(LOCALE_ID);
  private readonly twoFactor = inject(TwoFactorApi);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly session = inject(AuthSession);
  private following: Subscription | null = null;

  protected readonly state = signal<LoadState<DataExport | null>>(LOADING);
  protected readonly requesting = signal(false);
  protected readonly error = signal<string | null>(null);
  /** Asking whether two-factor sign-in is on, which decides what the deletion dialog asks for. */
  protected readonly openingDeletion = signal(false);
  protected readonly deletionError = signal<string | null>(null);

  protected readonly current = computed(() => {
    const state = this.state();
    return state.status === 'ready' ? state.value : null;
  });
  protected readonly preparing = computed(() => this.current()?.status === 'PENDING');
  /** The server gives a download URL only while the file is ready and kept. */
  protected readonly downloadable = computed(() => this.current()?.downloadUrl != null);
  /** What the card says about the export, read out when it changes (an aria-live region). */
  protected readonly statusText = computed(() => {
    if (this.state().status !== 'ready') return '';
    const current = this.current();
    if (!current) return 'You have not asked for an export of your data yet.';
    switch (current.status) {
      case 'PENDING':
        return 'Preparing your export. This can take a few minutes; this card updates when it is ready.';
      case 'FAILED':
        return 'Your last export could not be prepared. Ask for a new one.';
      case 'READY':
        return this.downloadable()
          ? `Your export is ready. You can download it until ${this.date(current.expiresAt)}.`
          : `Your last export expired on ${this.date(current.expiresAt)}. Ask for a new one.`;
    }
  });

  protected readonly download = fileDownload(
    () => this.api.download(),
    (error) => `Your data could not be downloaded: ${downloadErrorMessage(error)}`,
  );

  constructor() {
    this.follow(this.api.latest());
  }

  protected reload(): void {
    this.state.set(LOADING);
    this.follow(this.api.latest());
  }

  protected requestExport(): void {
    if (this.requesting() || this.preparing()) return;
    this.requesting.set(true);
    this.error.set(null);
    this.api.request().subscribe({
      next: (started) => {
        this.requesting.set(false);
        this.follow(of(started));
      },
      error: (error: unknown) => {
        this.requesting.set(false);
        this.error.set(toAppError(error).message);
      },
    });
  }

  protected deleteAccount(): void {
    if (this.openingDeletion()) return;
    this.openingDeletion.set(true);
    this.deletionError.set(null);
    this.twoFactor
      .myStatus()
      .pipe(
        switchMap((twoFactorEnabled) => {
          this.openingDeletion.set(false);
          return this.dialog
            .open<DeleteAccountDialogComponent, DeleteAccountDialogData, DeleteAccountDialogResult>(
              DeleteAccountDialogComponent,
              { data: { twoFactorEnabled }, width: '480px' },
            )
            .afterClosed();
        }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (deleteAfter) => {
          if (!deleteAfter) return;
          // The snack bar outlives the page: it is still shown on the sign-in page the user lands on.
          this.snackBar.open(
            `Your account will be deleted on ${this.date(deleteAfter)}. Sign in before then to cancel the deletion.`,
            'OK',
            { duration: 15000 },
          );
          void this.session.signOut();
        },
        error: (error: unknown) => {
          this.openingDeletion.set(false);
          this.deletionError.set(toAppError(error).message);
        },
      });
  }

  /** Shows the export and, while it is prepared, asks again until it is ready or failed (or the card goes). */
  private follow(first: Observable<DataExport | null>): void {
    this.following?.unsubscribe();
    this.following = first
      .pipe(
        expand((latest) =>
          latest?.status === 'PENDING' ? timer(EXPORT_POLL_MS).pipe(switchMap(() => this.api.latest())) : EMPTY,
        ),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (latest) => this.state.set({ status: 'ready', value: latest }),
        error: (error: unknown) => this.state.set({ status: 'error', message: toAppError(error).message }),
      });
  }

  private date(value: string | null): string {
    return value ? formatDate(value, 'medium', this.locale) : 'an unknown date';
  }
}

/** The REST error body arrives as a Blob here; its status says enough for a snack bar. */
function downloadErrorMessage(error: unknown): string {
  const status = (error as { status?: unknown } | null)?.status;
  if (status === 0) return toAppError(new Error('network')).message;
  if (status === 401) return 'your session has ended, please sign in again.';
  if (status === 404) return 'there is no export to download any more; ask for a new one.';
  if (status === 409) return 'it is still being prepared.';
  return typeof status === 'number' ? `the server answered with HTTP ${status}.` : toAppError(error).message;
}
