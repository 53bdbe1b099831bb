import { Injectable, OnModuleInit } from '@nestjs/common';
import { Credits } from '@sah/domain';
import { OutboxEvent, OutboxHandlers } from '../../../platform/outbox/outbox-handlers';
import { TeamsService } from '../../identity/teams/teams.service';
import { BUDGET_ALERT_EVENTS } from './budget-alert-events';
import { BudgetAlerts } from './budget-alerts.service';

/** Written by a trigger on `team_spend` (migration TeamBudgetAlerts1796570000000) when a capped team's month spend grows. */
const TEAM_SPENT_EVENT = 'team.budget_spent';

interface TeamSpent {
  teamId: string;
  month: string;
  spentBefore: string;
  spent: string;
  cap: string;
  /** The team's own thresholds at capture; null: the default. */
  thresholds: number[] | null;
}

/**
 * A team wallet's monthly cap, checked for alerts after each capture (in the relay, off the request's
 * path): spend this month against the cap. Mailed to the team's managers as they are when the alert is
 * raised; the webhook goes to their endpoints (and platform-wide ones).
 */
@Injectable()
export class TeamBudgetAlerts implements OnModuleInit {
  constructor(
    private readonly outbox: OutboxHandlers,
    private readonly alerts: BudgetAlerts,
    private readonly teams: TeamsService,
  ) {}

  onModuleInit(): void {
    this.outbox.on(TEAM_SPENT_EVENT, (event) => this.check(event));
  }

  private async check(event: OutboxEvent): Promise<void> {
    const spent = event.payload as unknown as TeamSpent;
    const team = await this.teams.find(spent.teamId);
    if (!team) return; // deleted since: nobody left to tell
    const managers = (await this.teams.members(team.id)).filter((member) => member.role === 'manager').map((member) => member.userId);
    await this.alerts.check({
      kind: 'team_month',
      subjectId: team.id,
      period: spent.month,
      recipientUserIds: managers,
      label: `Team "${team.name}"`,
      settingsPath: `/admin/teams/${team.id}`,
      spentBefore: Credits.fromMillis(spent.spentBefore),
      spent: Credits.fromMillis(spent.spent),
      limit: Credits.fromMillis(spent.cap),
      thresholds: spent.thresholds ?? undefined,
      event: {
        type: BUDGET_ALERT_EVENTS.team,
        data: (alert) => ({
          teamId: team.id,
          period: spent.month,
          threshold: alert.thresholdPercent,
          spent: alert.spent,
          cap: alert.budget,
          audienceUserIds: managers,
        }),
      },
    });
  }
}
