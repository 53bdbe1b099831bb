import { Injectable } from '@nestjs/common';

/**
 * The time spending budgets go by: which calendar month and day (UTC) a hold counts in. A seam so tests reach
 * the next month without waiting; hold expiry and the ledger's own timestamps keep real time.
 */
@Injectable()
export class BudgetClock {
  now(): Date {
    return new Date();
  }

  /** The first day of the current month, UTC, as the ledger stores it (`YYYY-MM-01`). */
  month(): string {
    return `${this.now().toISOString().slice(0, 7)}-01`;
  }

  /** The current day, UTC (`YYYY-MM-DD`): what a team member's daily limit counts. */
  day(): string {
    return this.now().toISOString().slice(0, 10);
  }
}
