import { Injectable, OnModuleInit } from '@nestjs/common';
import { Credits } from '@sah/domain';
import { OutboxEvent, OutboxHandlers } from '../../../platform/outbox/outbox-handlers';
import { BUDGET_ALERT_EVENTS } from './budget-alert-events';
import { BudgetAlerts } from './budget-alerts.service';

/** Written by a trigger on `api_key_monthly_spend` each time a budgeted key's captured spend grows. */
const API_KEY_SPENT_EVENT = 'budget.api_key_spent';

interface ApiKeySpent {
  apiKeyId: string;
  userId: string;
  name: string;
  prefix: string;
  month: string;
  spentBefore: string;
  spent: string;
  budget: string;
}

/** An API key's monthly budget, checked for alerts after each capture (in the relay, off the request's path). */
@Injectable()
export class ApiKeyBudgetAlerts implements OnModuleInit {
  constructor(
    private readonly outbox: OutboxHandlers,
    private readonly alerts: BudgetAlerts,
  ) {}

  onModuleInit(): void {
    this.outbox.on(API_KEY_SPENT_EVENT, (event) => this.check(event));
  }

  private async check(event: OutboxEvent): Promise<void> {
    const spent = event.payload as unknown as ApiKeySpent;
    const kind = 'api_key_month';
    await this.alerts.check({
      kind,
      subjectId: spent.apiKeyId,
      period: spent.month,
      recipientUserIds: [spent.userId],
      label: `API key "${spent.name}" (${spent.prefix}...)`,
      settingsPath: '/admin/account',
      spentBefore: Credits.fromMillis(spent.spentBefore),
      spent: Credits.fromMillis(spent.spent),
      limit: Credits.fromMillis(spent.budget),
      event: {
        type: BUDGET_ALERT_EVENTS.apiKey,
        data: (alert) => ({ userId: spent.userId, budgetKind: kind, subjectId: spent.apiKeyId, period: spent.month, ...alert }),
      },
    });
  }
}
