import { DatePipe, NgTemplateOutlet } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  LOCALE_ID,
  signal,
  untracked,
} from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import { catchError, map, of, switchMap } from 'rxjs';

import { AuthStore } from '../../../core/auth/auth.store';
import { toAppError } from '../../../core/graphql/graphql-errors';
import { fileDownload } from '../../../shared/data/download';
import { listPage } from '../../../shared/data/list-page';
import { listActions } from '../../../shared/ui/list-actions';
import {
  actionsColumn,
  actorColumn,
  LIST_PAGE_IMPORTS,
  type ListHeaderAction,
  type ListHeaderSecondaryAction,
  type TableSpec,
} from '../../../shared/ui/list-page';
import { narrowScreen } from '../../../shared/ui/narrow-screen';
import { SelectFieldComponent } from '../../../shared/ui/select-field/select-field.component';
import { IdentityApi } from '../../identity/data-access/identity.api';
import { BILLING_ACCESS } from '../billing-access';
import { BillingApi } from '../data-access/billing.api';
import { REFUNDABLE_TYPES, type CreditTransaction } from '../data-access/billing.types';
import { AccountFilterComponent } from '../ui/account-filter.component';
import { CreditAccountComponent } from '../ui/credit-account.component';
import { creditsColumn } from '../ui/credits-column';
import { CreditsPipe } from '../ui/credits.pipe';
import { TRANSACTION_TYPE_LABELS, TRANSACTION_TYPE_TONES } from '../ui/transaction-type';
import type { PickedUser } from '../ui/user-picker.component';
import { openAdjustCredits } from './adjust-credits-dialog.component';
import { LEDGER_LIST } from './credits-filter';
import { openRefund } from './refund-dialog.component';
import { statementMonths } from './statement-months';

/**
 * The ledger explorer: every transaction the caller may see (admins: all accounts, managers: their
 * teams'), filtered by account, type and day, with adjustments, refunds and a CSV export.
 */
@Component({
  selector: 'sah-credits',
  imports: [
    DatePipe,
    NgTemplateOutlet,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatIconModule,
    MatTooltipModule,
    CreditAccountComponent,
    CreditsPipe,
    AccountFilterComponent,
    SelectFieldComponent,
    LIST_PAGE_IMPORTS,
  ],
  templateUrl: './credits.component.html',
  styleUrl: './credits.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CreditsComponent {
  private readonly api = inject(BillingApi);
  private readonly identity = inject(IdentityApi);
  private readonly auth = inject(AuthStore);
  private readonly locale = inject(LOCALE_ID);
  private readonly actions = listActions();

  protected readonly canAdjust = computed(() => this.auth.can(BILLING_ACCESS.adjust));
  protected readonly canRefund = computed(() => this.auth.can(BILLING_ACCESS.refund));
  protected readonly canBulkAdjust = computed(() => this.auth.can(BILLING_ACCESS.bulkAdjust));
  /** User detail pages are for account administrators; others filter the ledger by the account. */
  protected readonly canOpenUsers = computed(() => this.auth.can('users:manage'));
  private readonly canLookUpUsers = computed(() => this.auth.can('users:read'));

  /** The filter comes from the query string: the URL is the one source of truth. */
  protected readonly ledger = listPage(LEDGER_LIST, (current) => this.api.transactions(current));
  protected readonly filter = this.ledger.filter;

  /** The account the ledger is narrowed to: as picked here, or looked up when it came with the URL. */
  protected readonly picked = signal<PickedUser | null>(null);
  protected readonly selectedUser = toSignal(
    toObservable(computed(() => this.filter().userId ?? null)).pipe(
      switchMap((id) => {
        if (!id) return of(null);
        const known = untracked(this.picked);
        if (known?.id === id && known.email) return of(known);
        const bare: PickedUser = { id, email: null, name: null };
        // Looking an account up needs `users:read` (managers: their teams); otherwise the id is shown.
        if (!untracked(this.canLookUpUsers)) return of(bare);
        return this.identity.user(id).pipe(
          map((user): PickedUser => ({ id, email: user.email, name: user.name })),
          catchError(() => of(bare)),
        );
      }),
    ),
    { initialValue: null },
  );
  /** Bumped after credits move, so the account view shows the new balance. */
  protected readonly accountVersion = signal(0);
  protected readonly months = statementMonths(new Date(), 12, this.locale);
  protected readonly statementMonth = signal(this.months[0].value);
  protected readonly statement = fileDownload(
    (userId: string) => this.api.statementCsv(this.statementMonth(), userId),
    (error) => `The statement could not be downloaded: ${exportErrorMessage(error)}`,
  );
  private readonly csvExport = fileDownload(
    () => this.api.exportTransactionsCsv(this.filter()),
    (error) => `The export failed: ${exportErrorMessage(error)}`,
  );

  protected readonly adjustAction: ListHeaderAction = {
    label: 'Adjust credits',
    icon: 'tune',
    testId: 'ledger-adjust',
  };
  protected readonly moreActions: readonly ListHeaderSecondaryAction[] = [
    {
      label: 'Bulk adjust',
      icon: 'upload_file',
      testId: 'ledger-bulk',
      link: '/credits/bulk',
      shown: this.canBulkAdjust,
    },
    {
      label: 'Export CSV',
      icon: 'download',
      testId: 'ledger-export',
      run: () => this.csvExport.start(),
      busy: this.csvExport.busy,
      busyLabel: 'Exporting',
    },
  ];

  protected readonly isNarrow = narrowScreen(959);
  protected readonly typeLabels = TRANSACTION_TYPE_LABELS;
  protected readonly typeTones = TRANSACTION_TYPE_TONES;

  protected readonly table: TableSpec<CreditTransaction> = {
    noun: 'transactions',
    columns: [
      { key: 'createdAt', header: 'Date', class: 'ledger__time' },
      { key: 'user', header: 'User' },
      { key: 'type', header: 'Type' },
      { key: 'amount', header: 'Amount', class: 'table-panel__number' },
      creditsColumn('balanceAfter', 'Balance after', (tx) => tx.balanceAfter),
      { key: 'reason', header: 'Reason', class: 'ledger__reason', testId: 'ledger-reason' },
      actorColumn('actor', (tx) => tx.actorId, this.canOpenUsers),
      actionsColumn({
        label: 'Refund',
        testId: 'ledger-refund',
        shown: (tx) => REFUNDABLE_TYPES.has(tx.type),
        run: (tx) => this.refund(tx),
      }),
    ],
    testIdPrefix: 'ledger',
    rowTestId: 'ledger-row',
    rowAttributes: (tx) => ({
      'data-id': tx.id,
      'data-type': tx.type,
      'data-user-id': tx.userId,
    }),
    emptyText: 'No credits have moved yet.',
  };
  /** On a phone the type goes under the date; narrowed to one account, the user column says nothing. */
  protected readonly shownColumns = computed(() => {
    const oneAccount = Boolean(this.filter().userId);
    const columns = this.isNarrow()
      ? ['createdAt', 'amount', 'reason']
      : ['createdAt', ...(oneAccount ? [] : ['user']), 'type', 'amount', 'balanceAfter', 'reason', 'actor'];
    return this.canRefund() ? [...columns, 'actions'] : columns;
  });

  protected adjust(): void {
    const user = this.selectedUser();
    this.actions.afterDialog(
      (dialog) => openAdjustCredits(dialog, user ? { user } : {}),
      () => 'Credits adjusted.',
      () => this.afterChange(),
    );
  }

  protected refund(transaction: CreditTransaction): void {
    this.actions.afterDialog(
      (dialog) => openRefund(dialog, transaction),
      () => 'Refund recorded.',
      () => this.afterChange(),
    );
  }

  private afterChange(): void {
    this.ledger.reload();
    this.accountVersion.update((n) => n + 1);
  }
}

/** The REST error body arrives as a Blob here; its status says enough for a snack bar. */
function exportErrorMessage(error: unknown): string {
  const status = (error as { status?: unknown } | null)?.status;
  if (status === 0) return toAppError(new Error('network')).message;
  if (status === 401) return 'your session has ended, please sign in again.';
  if (status === 403) return 'you do not have permission to export the ledger.';
  return typeof status === 'number' ? `the server answered with HTTP ${status}.` : toAppError(error).message;
}
