import { Injectable, OnModuleInit } from '@nestjs/common';
import { Credits } from '@sah/domain';
import { OutboxEvent, OutboxHandlers } from '../../../platform/outbox/outbox-handlers';
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
    await this.alerts.check({
      kind: 'api_key_month',
      subjectId: spent.apiKeyId,
      period: spent.month,
      ownerUserId: spent.userId,
      label: `API key "${spent.name}" (${spent.prefix}...)`,
      spentBefore: Credits.fromMillis(spent.spentBefore),
      spent: Credits.fromMillis(spent.spent),
      limit: Credits.fromMillis(spent.budget),
    });
  }
}
