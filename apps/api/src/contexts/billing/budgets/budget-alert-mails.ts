import { Injectable, OnModuleInit } from '@nestjs/common';
import { UserRepository } from '@sah/domain';
import { AppConfig } from '../../../config/app-config';
import { MailQueue } from '../../../platform/mail/mail-queue';
import { MailRenderers } from '../../../platform/mail/mail-renderers';
import { plainMail } from '../../../platform/mail/plain-mail';
import { OutboxEvent, OutboxHandlers } from '../../../platform/outbox/outbox-handlers';
import { BUDGET_ALERT_EVENTS } from './budget-alert-events';

const BUDGET_MAIL = 'billing.budget-threshold';

interface AlertMail {
  recipientUserIds: string[];
  label: string;
  settingsPath: string;
  thresholdPercent: number;
  budget: number;
  spent: number;
  period: string;
}

/** Mails each recipient of a budget alert once (the job id is the event and the recipient). */
@Injectable()
export class BudgetAlertMails implements OnModuleInit {
  constructor(
    private readonly outbox: OutboxHandlers,
    private readonly mail: MailQueue,
    private readonly renderers: MailRenderers,
    private readonly users: UserRepository,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    for (const type of Object.values(BUDGET_ALERT_EVENTS)) this.outbox.on(type, (event) => this.send(event));
    this.renderers.register(BUDGET_MAIL, async (userId, params) => {
      const user = await this.users.findById(userId);
      return user && budgetMail(user.email.value, user.name, params, this.config.http.appUrl);
    });
  }

  private async send(event: OutboxEvent): Promise<void> {
    // Alerts written before the mail's fields moved under `mail` carried them at the top, for an owner's account page.
    const mail = (event.payload['mail'] ?? { settingsPath: '/admin/account', ...event.payload }) as AlertMail;
    const { recipientUserIds, label, settingsPath, thresholdPercent, budget, spent, period } = mail;
    for (const userId of recipientUserIds)
      await this.mail.sendOnce(`${event.id}-${userId}`, BUDGET_MAIL, userId, { label, settingsPath, thresholdPercent, budget, spent, period });
  }
}

function budgetMail(to: string, name: string, params: Record<string, string | number>, appUrl: string) {
  const { label, settingsPath, thresholdPercent, budget, spent, period } = params;
  const full = Number(thresholdPercent) >= 100;
  return plainMail(to, `Budget alert: ${label} reached ${thresholdPercent} % of its budget`, [
    `Hello ${name},`,
    `${label} has spent ${spent} of its ${budget} credit budget for ${period} (${thresholdPercent} % reached).`,
    full
      ? 'Calls that would spend more are refused until the budget is raised or the next period begins.'
      : 'Calls are refused once the budget is used up.',
    `Budgets and limits are here: ${appUrl}${settingsPath ?? '/admin/account'}`,
  ]);
}
