import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { PlanSubscriptionRepository, StripeGateway } from '@sah/infrastructure';
import type { Logger } from 'pino';
import { AppConfig } from '../../../../config/app-config';
import { ROOT_LOGGER } from '../../../../platform/logging/logging.module';
import { RetentionPurges } from '../../../../maintenance/retention-purges';

const DAY_MS = 24 * 60 * 60_000;

/**
 * Past-due subscriptions whose grace period (PLAN_GRACE_PERIOD_DAYS) is over move to Free. Runs with
 * the maintenance job's purges, which own the schedule and the clock (`now`) each run goes by. The
 * Stripe subscription is then cancelled so Stripe stops retrying the charge; if that fails, a later
 * payment would simply bring the plan back (paid is paid).
 */
@Injectable()
export class OverdueSubscriptions implements OnModuleInit {
  private readonly logger: Logger;

  constructor(
    private readonly purges: RetentionPurges,
    private readonly subscriptions: PlanSubscriptionRepository,
    private readonly gateway: StripeGateway,
    private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'plans' });
  }

  onModuleInit(): void {
    this.purges.register('overdueSubscriptions', (now, batchSize) => this.lapse(now, batchSize));
  }

  async lapse(now: Date, batchSize: number): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.stripe.planGraceDays * DAY_MS);
    let total = 0;
    for (;;) {
      const lapsed = await this.subscriptions.lapseOverdue(cutoff, batchSize);
      for (const subscription of lapsed) {
        this.logger.info({ plan_subscription_id: subscription.id, user_id: subscription.userId }, 'grace period over: moved to Free');
        if (subscription.stripeSubscriptionId) await this.cancelInStripe(subscription.stripeSubscriptionId);
      }
      total += lapsed.length;
      if (lapsed.length < batchSize) return total;
    }
  }

  private async cancelInStripe(stripeSubscriptionId: string): Promise<void> {
    try {
      await this.gateway.cancelNow(stripeSubscriptionId);
    } catch (error) {
      this.logger.warn({ err: error, stripe_subscription_id: stripeSubscriptionId }, 'could not cancel the lapsed subscription in Stripe');
    }
  }
}
