/** The outbox events that announce raised budget alerts (each also a webhook event type of the same name). */
export const BUDGET_ALERT_EVENTS = {
  /** An API key's monthly budget (`userId` names the key's owner). */
  apiKey: 'budget.threshold_reached',
  /** A team wallet's monthly cap (`teamId`; the team's managers are mailed). */
  team: 'team.budget.threshold_reached',
} as const;
