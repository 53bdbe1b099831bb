import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';

import { toAppError } from '../../../core/graphql/graphql-errors';
import { reloadableQuery } from '../../../shared/data/reloadable-query';
import { TablePanelComponent } from '../../../shared/ui/table-panel/table-panel.component';
import { MailApi, type FailedMail } from '../data-access/mail.api';

/**
 * Mails whose every attempt failed (SMTP down or refusing for longer than the retries last). An admin
 * sends one again once the cause is fixed; each retry is audited.
 */
@Component({
  selector: 'sah-failed-mails',
  imports: [DatePipe, MatButtonModule, MatIconModule, MatTableModule, TablePanelComponent],
  templateUrl: './failed-mails.component.html',
  styleUrl: './failed-mails.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FailedMailsComponent {
  private readonly api = inject(MailApi);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly columns = ['failedAt', 'kind', 'recipient', 'attempts', 'error', 'actions'];

  private readonly list = reloadableQuery(() => this.api.failedMails());
  protected readonly mails = this.list.value;
  protected readonly loading = this.list.loading;
  protected readonly error = this.list.error;
  /** The mail a retry is under way for. */
  protected readonly busy = signal<string | null>(null);

  protected reload(): void {
    this.list.reload();
  }

  protected retry(mail: FailedMail): void {
    this.busy.set(mail.id);
    this.api.retry(mail.id).subscribe({
      next: () => {
        this.busy.set(null);
        this.snackBar.open(`Mail to ${mail.recipient ?? 'a deleted user'} queued again.`, 'OK', { duration: 5000 });
        this.reload();
      },
      error: (error: unknown) => {
        this.busy.set(null);
        this.snackBar.open(toAppError(error).message, 'Dismiss', { duration: 8000 });
        this.reload();
      },
    });
  }
}
