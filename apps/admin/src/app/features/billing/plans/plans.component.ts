import { formatNumber } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';

import { reloadableQuery } from '../../../shared/data/reloadable-query';
import { listActions } from '../../../shared/ui/list-actions';
import { actionsColumn, LIST_PAGE_IMPORTS, type TableSpec } from '../../../shared/ui/list-page';
import { narrowScreen } from '../../../shared/ui/narrow-screen';
import { PlansApi } from '../data-access/plans.api';
import type { Plan } from '../data-access/plans.types';
import { creditsColumn } from '../ui/credits-column';
import { PricePipe } from '../ui/price.pipe';
import { openPlanDialog } from './plan-dialog.component';

/** Subscription plans, deactivated ones included: create, edit, deactivate (billing administrators). */
@Component({
  selector: 'sah-plans',
  imports: [PricePipe, LIST_PAGE_IMPORTS],
  templateUrl: './plans.component.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PlansComponent {
  private readonly api = inject(PlansApi);
  private readonly actions = listActions();

  protected readonly plans = reloadableQuery(() => this.api.plans(true));
  private readonly deactivate = this.actions.irreversible({
    label: 'Deactivate',
    name: (plan: Plan) => plan.name,
    testId: 'plan-deactivate',
    // Free is what everyone falls back to: the API refuses to archive it.
    shown: (plan) => plan.archivedAt === null && plan.code !== 'free',
    warning: () => 'It is no longer offered. Running subscriptions go on until they are cancelled.',
    call: (plan) => this.api.archivePlan(plan.id),
    done: (archived) => `${archived.name} is deactivated.`,
    then: () => this.plans.reload(),
  });

  protected readonly newPlan = { label: 'New plan', icon: 'add', testId: 'plan-new' };
  protected readonly table: TableSpec<Plan> = {
    noun: 'plans',
    columns: [
      { key: 'name', header: 'Plan' },
      { key: 'price', header: 'Price / month', class: 'table-panel__number' },
      creditsColumn('monthlyCredits', 'Credits / month', (plan) => plan.monthlyCredits, 'plan-allowance'),
      {
        key: 'requestsPerMonth',
        header: 'Requests / month',
        cell: (plan, locale) => (plan.requestsPerMonth === null ? 'No cap' : formatNumber(plan.requestsPerMonth, locale)),
        class: 'table-panel__number',
        testId: 'plan-requests',
      },
      { key: 'seats', header: 'Seats', cell: (plan) => plan.seats, class: 'table-panel__number' },
      {
        key: 'status',
        header: 'Status',
        chip: (plan) => (plan.archivedAt ? { label: 'Deactivated', tone: 'muted' } : { label: 'Active' }),
        chipTestId: 'plan-status',
      },
      actionsColumn<Plan>(
        {
          label: 'Edit',
          icon: 'edit',
          ariaLabel: (plan) => `Edit ${plan.name}`,
          testId: 'plan-edit',
          disabled: (plan) => this.actions.isBusy(plan),
          run: (plan) => this.edit(plan),
        },
        this.deactivate,
      ),
    ],
    narrowColumns: ['name', 'price', 'status', 'actions'],
    testIdPrefix: 'plans',
    rowTestId: 'plan-row',
    rowAttributes: (plan) => ({ 'data-code': plan.code }),
    rowMuted: (plan) => plan.archivedAt !== null,
    emptyText: 'There are no plans yet.',
  };

  protected readonly isNarrow = narrowScreen(839);

  protected create(): void {
    this.openDialog(undefined, (plan) => `Plan ${plan.name} created.`);
  }

  protected edit(plan: Plan): void {
    this.openDialog(plan, (saved) => `${saved.name} saved.`);
  }

  private openDialog(plan: Plan | undefined, done: (saved: Plan) => string): void {
    this.actions.afterDialog(
      (dialog) => openPlanDialog(dialog, plan),
      done,
      () => this.plans.reload(),
    );
  }
}
