import { formatDate } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, LOCALE_ID } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { filter } from 'rxjs';

import { filteredQuery } from '../../../shared/data/reloadable-query';
import { ErrorStateComponent } from '../../../shared/ui/error-state/error-state.component';
import { listActions } from '../../../shared/ui/list-actions';
import { actionsColumn, LIST_PAGE_IMPORTS, type TableSpec } from '../../../shared/ui/list-page';
import { narrowScreen } from '../../../shared/ui/narrow-screen';
import { formatCredits, CreditsPipe } from '../../billing/ui/credits.pipe';
import { CheckoutNoticeComponent } from '../../billing/ui/checkout-notice.component';
import { TRANSACTION_TYPE_LABELS } from '../../billing/ui/transaction-type';
import { TeamsApi } from '../data-access/teams.api';
import type { TeamMember, TeamMemberBudget, TeamWallet, TeamWalletEntry } from '../data-access/teams.types';
import { alertsSummary } from './budget-alert-thresholds';
import { BudgetBarComponent } from './budget-bar.component';
import { BuyTeamCreditsDialogComponent, type BuyTeamCreditsDialogData } from './buy-team-credits-dialog.component';
import { FundTeamWalletDialogComponent, type FundTeamWalletDialogData } from './fund-team-wallet-dialog.component';
import { TeamBudgetAlertsDialogComponent, type TeamBudgetAlertsDialogData } from './team-budget-alerts-dialog.component';
import { TeamLimitsDialogComponent, type TeamLimitsDialogData } from './team-limits-dialog.component';

/** The wallet's latest movements shown; the rest are in the ledger's reports. */
const HISTORY_SIZE = 50;

/** A member's row in the budgets table: their limits and use, with their name. */
interface MemberBudgetRow extends TeamMemberBudget {
  readonly id: string;
  readonly name: string;
}

/**
 * A team's wallet on its page: balance, this month's spending against the team's cap, each member's
 * spending today and this month against their limits (budget bars), and the wallet's history with
 * the member who spent. Managers and administrators fund it (from their own balance, or by buying
 * credits through Stripe Checkout), set the limits and the cap's budget alert thresholds;
 * administrators also adjust it.
 */
@Component({
  selector: 'sah-team-wallet',
  imports: [
    MatButtonModule,
    MatIconModule,
    MatProgressSpinnerModule,
    ErrorStateComponent,
    CheckoutNoticeComponent,
    CreditsPipe,
    BudgetBarComponent,
    LIST_PAGE_IMPORTS,
  ],
  templateUrl: './team-wallet.component.html',
  styleUrl: './team-wallet.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TeamWalletComponent {
  readonly teamId = input.required<string>();
  readonly teamName = input.required<string>();
  /** The team's members, for names beside the figures. */
  readonly members = input.required<readonly TeamMember[]>();
  /** The team's managers and administrators fund the wallet and set limits. */
  readonly manages = input.required<boolean>();
  /** Administrators also adjust it. */
  readonly adjusts = input.required<boolean>();

  private readonly api = inject(TeamsApi);
  private readonly dialog = inject(MatDialog);
  private readonly locale = inject(LOCALE_ID);
  protected readonly actions = listActions();
  protected readonly historySize = HISTORY_SIZE;
  protected readonly isNarrow = narrowScreen(839);

  protected readonly wallet = filteredQuery(this.teamId, (teamId) => this.api.wallet(teamId));
  protected readonly history = filteredQuery(this.teamId, (teamId) => this.api.walletHistory(teamId, HISTORY_SIZE));

  /** The thresholds in force, in words; they only act on a monthly cap. */
  protected readonly alerts = computed(() => {
    const wallet = this.wallet.value();
    if (!wallet) return null;
    const summary = alertsSummary(wallet.budgetAlertThresholds, wallet.budgetAlertThresholdsCustom);
    return wallet.monthlyCap == null && wallet.budgetAlertThresholds.length > 0 ? `${summary}, once the team has a monthly cap.` : `${summary}.`;
  });

  private readonly names = computed(() => new Map(this.members().map((member) => [member.userId, member.name ?? member.email ?? null])));
  protected readonly nameOf = (userId: string | null | undefined): string | null => (userId ? (this.names().get(userId) ?? null) : null);

  /** Every member has a row, limited or not; the wallet lists those with limits or spending. */
  protected readonly budgets = {
    value: computed((): MemberBudgetRow[] | null => {
      const wallet = this.wallet.value();
      if (!wallet) return null;
      const byUser = new Map(wallet.members.map((budget) => [budget.userId, budget]));
      return this.members().map((member) => ({
        dailyCredits: null,
        monthlyCredits: null,
        usedToday: 0,
        usedThisMonth: 0,
        ...byUser.get(member.userId),
        userId: member.userId,
        id: member.userId,
        name: member.name ?? member.email ?? member.userId,
      }));
    }),
    loading: this.wallet.loading,
    error: this.wallet.error,
    reload: () => this.wallet.reload(),
  };
  protected readonly entries = {
    value: computed(() => this.history.value()?.items ?? null),
    loading: this.history.loading,
    error: this.history.error,
    reload: () => this.history.reload(),
  };
  protected readonly moreHistory = computed(() => {
    const total = this.history.value()?.pageInfo.total ?? 0;
    return total > HISTORY_SIZE ? total : null;
  });

  protected readonly budgetTable: TableSpec<MemberBudgetRow> = {
    noun: 'member budgets',
    columns: [
      { key: 'member', header: 'Member', cell: (row) => row.name },
      { key: 'today', header: 'Today (UTC)' },
      { key: 'month', header: 'This month' },
      actionsColumn<MemberBudgetRow>({
        label: 'Set limits',
        testId: 'member-budget-limits',
        shown: () => this.manages(),
        ariaLabel: (row) => `Set limits: ${row.name}`,
        run: (row) => this.setMemberLimits(row),
      }),
    ],
    narrowColumns: ['member', 'month', 'actions'],
    testIdPrefix: 'member-budgets',
    rowTestId: 'member-budget-row',
    rowAttributes: (row) => ({ 'data-user-id': row.userId }),
    trackBy: (_index, row) => row.userId,
    emptyText: 'Nobody is in this team yet.',
  };

  protected readonly historyTable: TableSpec<TeamWalletEntry> = {
    noun: 'wallet transactions',
    columns: [
      { key: 'createdAt', header: 'When', cell: (entry, locale) => formatDate(entry.createdAt, this.isNarrow() ? 'short' : 'medium', locale), class: 'table-panel__nowrap' },
      { key: 'type', header: 'Type', chip: (entry) => ({ label: entry.type === 'TRANSFER' ? 'Transfer in' : TRANSACTION_TYPE_LABELS[entry.type], tone: entry.amount < 0 ? 'notice' : 'good' }) },
      { key: 'who', header: 'Member' },
      { key: 'amount', header: 'Credits', cell: (entry) => formatCredits(entry.amount, this.locale, 'signed'), class: 'table-panel__number', testId: 'wallet-entry-amount' },
      { key: 'balanceAfter', header: 'Balance after', cell: (entry) => formatCredits(entry.balanceAfter, this.locale), class: 'table-panel__number' },
      { key: 'reason', header: 'Details', cell: (entry) => entry.reason ?? '', class: 'table-panel__wrap' },
    ],
    narrowColumns: ['createdAt', 'who', 'amount'],
    testIdPrefix: 'team-wallet-history',
    rowTestId: 'team-wallet-entry',
    rowAttributes: (entry) => ({ 'data-id': entry.id, 'data-type': entry.type, 'data-actor-id': entry.actorId }),
    emptyText: 'Nothing has moved in this wallet yet.',
  };

  protected fund(mode: FundTeamWalletDialogData['mode']): void {
    this.dialog
      .open<FundTeamWalletDialogComponent, FundTeamWalletDialogData, TeamWallet>(FundTeamWalletDialogComponent, {
        data: { teamId: this.teamId(), teamName: this.teamName(), mode },
        width: '32rem',
        maxWidth: 'calc(100vw - 32px)',
        autoFocus: 'first-tabbable',
      })
      .afterClosed()
      .pipe(filter((wallet): wallet is TeamWallet => wallet !== undefined))
      .subscribe((wallet) => this.changed(`The wallet now holds ${formatCredits(wallet.balance, this.locale)} credits.`));
  }

  /** Leaves for Stripe Checkout; the credits arrive by webhook, so nothing reloads here. */
  protected buy(): void {
    this.dialog.open<BuyTeamCreditsDialogComponent, BuyTeamCreditsDialogData>(BuyTeamCreditsDialogComponent, {
      data: { teamId: this.teamId(), teamName: this.teamName() },
      width: '40rem',
      maxWidth: 'calc(100vw - 32px)',
      autoFocus: 'first-tabbable',
    });
  }

  protected setMonthlyCap(wallet: TeamWallet): void {
    this.openLimits({ teamId: this.teamId(), teamName: this.teamName(), monthlyCap: wallet.monthlyCap }, 'The team’s monthly cap is saved.');
  }

  protected setBudgetAlerts(wallet: TeamWallet): void {
    this.dialog
      .open<TeamBudgetAlertsDialogComponent, TeamBudgetAlertsDialogData, TeamWallet>(TeamBudgetAlertsDialogComponent, {
        data: { teamId: this.teamId(), teamName: this.teamName(), thresholds: wallet.budgetAlertThresholds, custom: wallet.budgetAlertThresholdsCustom },
        width: '32rem',
        maxWidth: 'calc(100vw - 32px)',
        autoFocus: 'first-tabbable',
      })
      .afterClosed()
      .pipe(filter((saved): saved is TeamWallet => saved !== undefined))
      .subscribe(() => this.changed('The team’s budget alerts are saved.'));
  }

  private setMemberLimits(row: MemberBudgetRow): void {
    this.openLimits(
      { teamId: this.teamId(), teamName: this.teamName(), member: { userId: row.userId, name: row.name, dailyCredits: row.dailyCredits ?? null, monthlyCredits: row.monthlyCredits ?? null } },
      `Limits for ${row.name} are saved.`,
    );
  }

  private openLimits(data: TeamLimitsDialogData, done: string): void {
    this.dialog
      .open<TeamLimitsDialogComponent, TeamLimitsDialogData, TeamWallet>(TeamLimitsDialogComponent, {
        data,
        width: '32rem',
        maxWidth: 'calc(100vw - 32px)',
        autoFocus: 'first-tabbable',
      })
      .afterClosed()
      .pipe(filter((wallet): wallet is TeamWallet => wallet !== undefined))
      .subscribe(() => this.changed(done));
  }

  private changed(message: string): void {
    this.actions.say(message);
    this.wallet.reload();
    this.history.reload();
  }
}
