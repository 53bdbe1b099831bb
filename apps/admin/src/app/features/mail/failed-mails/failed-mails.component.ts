import { formatDate } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';

import { reloadableQuery } from '../../../shared/data/reloadable-query';
import { listActions } from '../../../shared/ui/list-actions';
import { actionsColumn, LIST_PAGE_IMPORTS, type TableSpec } from '../../../shared/ui/list-page';
import { MailApi, type FailedMail } from '../data-access/mail.api';

/**
 * Mails whose every attempt failed (SMTP down or refusing for longer than the retries last). An admin
 * sends one again once the cause is fixed; each retry is audited.
 */
@Component({
  selector: 'sah-failed-mails',
  imports: [LIST_PAGE_IMPORTS],
  templateUrl: './failed-mails.component.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FailedMailsComponent {
  private readonly api = inject(MailApi);
  private readonly actions = listActions();

  protected readonly list = reloadableQuery(() => this.api.failedMails());

  protected readonly reloadAction = {
    label: 'Reload',
    icon: 'refresh',
    testId: 'failed-mails-reload',
    run: () => this.reload(),
    disabled: this.list.loading,
  };
  protected readonly table: TableSpec<FailedMail> = {
    noun: 'failed mails',
    columns: [
      {
        key: 'failedAt',
        header: 'Failed',
        cell: (mail, locale) => formatDate(mail.failedAt ?? mail.queuedAt, 'medium', locale),
      },
      { key: 'kind', header: 'Mail' },
      {
        key: 'recipient',
        header: 'To',
        cell: (mail) => mail.recipient ?? 'deleted user',
        class: 'table-panel__wrap',
      },
      { key: 'attempts', header: 'Attempts', cell: (mail) => mail.attempts },
      { key: 'error', header: 'Last error', cell: (mail) => mail.error, class: 'table-panel__wrap' },
      actionsColumn(
        this.actions.button(
          {
            label: 'Send again',
            appearance: 'flat',
            ariaLabel: (mail) => `Send again the mail to ${mail.recipient ?? 'a deleted user'}`,
            testId: 'failed-mail-retry',
          },
          (mail: FailedMail) => ({
            call: () => this.api.retry(mail.id),
            done: () => `Mail to ${mail.recipient ?? 'a deleted user'} queued again.`,
            then: () => this.reload(),
            failed: () => this.reload(),
          }),
        ),
      ),
    ],
    testIdPrefix: 'failed-mails',
    rowTestId: 'failed-mail-row',
    rowAttributes: (mail) => ({ 'data-id': mail.id }),
    emptyText: 'No failed mails: everything queued has been sent or is still being tried.',
  };

  protected reload(): void {
    this.list.reload();
  }
}
