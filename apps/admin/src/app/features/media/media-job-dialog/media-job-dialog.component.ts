import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal, type Signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule } from '@angular/material/dialog';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatSnackBar } from '@angular/material/snack-bar';
import { catchError, of } from 'rxjs';

import { AuthStore } from '../../../core/auth/auth.store';
import { toAppError } from '../../../core/graphql/graphql-errors';
import { StatusChipComponent } from '../../../shared/ui/status-chip/status-chip.component';
import { CreditsPipe } from '../../billing/ui/credits.pipe';
import { MediaApi } from '../data-access/media.api';
import { FINISHED_STATUSES, type MediaJob } from '../data-access/media.types';
import { isCancellable, KIND_LABELS, newerJob, STATUS_LABELS, STATUS_TONES } from '../ui/media-labels';

export interface MediaJobDialogData {
  /** The job as the list shows it, kept current by the list's live updates. */
  readonly job: Signal<MediaJob | null>;
  /** The row that was opened, should the job leave the list. */
  readonly opened: MediaJob;
}

/**
 * One media job in full: prompt, moderation outcome, provider, attempts, timings and cost, the image
 * or a player for the video (from the job's signed link, given to its owner only), and Cancel while
 * the job has not started generating. It follows the job's changes while open.
 */
@Component({
  selector: 'sah-media-job-dialog',
  imports: [
    DatePipe,
    MatButtonModule,
    MatDialogModule,
    MatProgressSpinnerModule,
    CreditsPipe,
    StatusChipComponent,
  ],
  templateUrl: './media-job-dialog.component.html',
  styleUrl: './media-job-dialog.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MediaJobDialogComponent {
  private readonly api = inject(MediaApi);
  private readonly snackBar = inject(MatSnackBar);
  private readonly data = inject<MediaJobDialogData>(MAT_DIALOG_DATA);
  private readonly userId = inject(AuthStore).user()?.id;

  /** Fetched on opening: the list's link may have been signed a while ago. */
  private readonly fetched = toSignal(this.api.job(this.data.opened.id).pipe(catchError(() => of(null))), {
    initialValue: null,
  });
  private readonly cancelled = signal<MediaJob | null>(null);
  protected readonly job = computed(
    () =>
      [this.data.job(), this.fetched(), this.cancelled()].reduce<MediaJob | null>(newerJob, null) ??
      this.data.opened,
  );
  protected readonly statusLabels = STATUS_LABELS;
  protected readonly statusTones = STATUS_TONES;
  protected readonly kindLabel = computed(() => KIND_LABELS[this.job().kind]);
  protected readonly own = computed(() => this.job().userId === this.userId);
  protected readonly finished = computed(() => FINISHED_STATUSES.includes(this.job().status));
  protected readonly cost = computed(() => {
    const status = this.job().status;
    if (status === 'SUCCEEDED') return 'Charged';
    return FINISHED_STATUSES.includes(status) ? 'Released, not charged' : 'Held until the job ends';
  });
  /** Whole seconds from creation to the end (or to now, for a job under way: not shown then). */
  protected readonly duration = computed(() => {
    const job = this.job();
    if (!job.finishedAt) return null;
    return Math.max(0, Math.round((Date.parse(job.finishedAt) - Date.parse(job.createdAt)) / 1000));
  });
  protected readonly preview = computed(() => {
    const result = this.job().result;
    if (!result) return null;
    if (result.contentType.startsWith('image/')) return { kind: 'image' as const, url: result.url };
    if (result.contentType.startsWith('video/')) return { kind: 'video' as const, url: result.url };
    return { kind: 'file' as const, url: result.url };
  });
  /** What is known of the result's shape: an image's pixels, a video's length (when its provider said). */
  protected readonly resultShape = computed(() => {
    const result = this.job().result;
    if (!result) return null;
    if (result.width && result.height) return `${result.width} × ${result.height} px`;
    if (result.durationSeconds) return `${result.durationSeconds} s`;
    return null;
  });
  protected readonly cancellable = computed(() => isCancellable(this.job()));
  protected readonly cancelling = signal(false);
  protected readonly error = signal<string | null>(null);

  protected cancel(): void {
    if (this.cancelling()) return;
    this.cancelling.set(true);
    this.error.set(null);
    this.api.cancel(this.job().id).subscribe({
      next: (job) => {
        this.cancelled.set(job);
        this.cancelling.set(false);
        this.snackBar.open('Job cancelled: its credits were released.', 'OK', { duration: 5000 });
      },
      error: (error: unknown) => {
        this.error.set(toAppError(error).message);
        this.cancelling.set(false);
      },
    });
  }
}

export function openMediaJobDialog(dialog: MatDialog, data: MediaJobDialogData): void {
  dialog.open(MediaJobDialogComponent, { data, width: '44rem', maxWidth: '95vw', autoFocus: 'dialog' });
}
