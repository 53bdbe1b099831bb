import { ChangeDetectionStrategy, Component, computed, inject, LOCALE_ID, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import { filter, switchMap } from 'rxjs';

import { toAppError } from '../../../core/graphql/graphql-errors';
import { confirmAction } from '../../../shared/ui/confirm-dialog/confirm-dialog.component';
import { ErrorStateComponent } from '../../../shared/ui/error-state/error-state.component';
import { BillingApi } from '../data-access/billing.api';
import type { AppliedCreditAdjustments, CreditAdjustmentPreview } from '../data-access/billing.types';
import { CreditsPipe, formatCredits } from '../ui/credits.pipe';
import { readText } from '../ui/read-text';

/** The API's limits (200 KB, 1,000 rows): a larger file is refused before it is sent. */
export const BULK_CSV_MAX_BYTES = 200_000;

interface LoadedFile {
  readonly name: string;
  readonly csv: string;
  /** One per file: applying again after a lost answer replays the batch instead of repeating it. */
  readonly idempotencyKey: string;
}

type Preview =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly value: CreditAdjustmentPreview }
  | { readonly status: 'error'; readonly message: string };

/**
 * Bulk adjustments from a CSV file (user,amount,reason). The API validates the whole file first; only
 * a file without errors can be applied, and then all rows are applied or none.
 */
@Component({
  selector: 'sah-bulk-adjust',
  imports: [
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatIconModule,
    MatProgressSpinnerModule,
    MatTableModule,
    ErrorStateComponent,
    CreditsPipe,
  ],
  templateUrl: './bulk-adjust.component.html',
  styleUrl: './bulk-adjust.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BulkAdjustComponent {
  private readonly api = inject(BillingApi);
  private readonly dialog = inject(MatDialog);
  private readonly locale = inject(LOCALE_ID);

  protected readonly file = signal<LoadedFile | null>(null);
  protected readonly fileError = signal<string | null>(null);
  protected readonly preview = signal<Preview | null>(null);
  protected readonly applying = signal(false);
  protected readonly applyError = signal<string | null>(null);
  protected readonly applied = signal<AppliedCreditAdjustments | null>(null);
  protected readonly columns = ['line', 'user', 'amount', 'reason', 'error'];

  protected readonly ready = computed(() => {
    const preview = this.preview();
    return preview?.status === 'ready' ? preview.value : null;
  });
  protected readonly canApply = computed(() => {
    const preview = this.ready();
    return !!preview && preview.valid && preview.errorCount === 0 && preview.rows.length > 0 && !this.applying();
  });

  protected async choose(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const chosen = input.files?.[0];
    // Cleared, so choosing the same file again (after fixing it) fires a change.
    input.value = '';
    if (!chosen) return;
    this.reset();
    if (chosen.size > BULK_CSV_MAX_BYTES) {
      this.fileError.set(`${chosen.name} is larger than 200 KB: split it into smaller files.`);
      return;
    }
    let csv: string;
    try {
      csv = await readText(chosen);
    } catch {
      this.fileError.set(`${chosen.name} could not be read.`);
      return;
    }
    if (csv.trim() === '') {
      this.fileError.set(`${chosen.name} is empty.`);
      return;
    }
    this.file.set({ name: chosen.name, csv, idempotencyKey: crypto.randomUUID() });
    this.loadPreview();
  }

  protected loadPreview(): void {
    const file = this.file();
    if (!file) return;
    this.preview.set({ status: 'loading' });
    this.api.previewCreditAdjustments(file.csv).subscribe({
      next: (value) => this.preview.set({ status: 'ready', value }),
      error: (error: unknown) => this.preview.set({ status: 'error', message: toAppError(error).message }),
    });
  }

  protected apply(): void {
    const file = this.file();
    const preview = this.ready();
    if (!file || !preview || !this.canApply()) return;
    confirmAction(this.dialog, {
      title: `Apply ${preview.rows.length} adjustments?`,
      message:
        `${formatCredits(preview.totalCredit, this.locale)} credits are added and ` +
        `${formatCredits(preview.totalDebit, this.locale)} taken away, all at once. Each row becomes a ledger transaction.`,
      confirmLabel: 'Apply',
    })
      .pipe(
        filter(Boolean),
        switchMap(() => {
          this.applying.set(true);
          this.applyError.set(null);
          return this.api.applyCreditAdjustments(file.csv, file.idempotencyKey);
        }),
      )
      .subscribe({
        next: (result) => {
          this.applying.set(false);
          this.applied.set(result);
        },
        error: (error: unknown) => {
          this.applying.set(false);
          this.applyError.set(toAppError(error).message);
        },
      });
  }

  protected startOver(): void {
    this.reset();
  }

  private reset(): void {
    this.file.set(null);
    this.fileError.set(null);
    this.preview.set(null);
    this.applyError.set(null);
    this.applied.set(null);
  }
}
