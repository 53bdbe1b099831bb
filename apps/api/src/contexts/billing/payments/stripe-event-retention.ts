import { Injectable, OnModuleInit } from '@nestjs/common';
import { StripeEventLog } from '@sah/infrastructure';
import { RetentionPurges } from '../../../maintenance/retention-purges';

const DAY_MS = 24 * 60 * 60_000;
/** Long past Stripe's three days of redelivery: a late duplicate is still recognised. */
const STRIPE_EVENT_RETENTION_DAYS = 30;

/** Processed Stripe events are forgotten by the maintenance job after 30 days; parked ones stay. */
@Injectable()
export class StripeEventRetention implements OnModuleInit {
  constructor(
    private readonly purges: RetentionPurges,
    private readonly stripeEvents: StripeEventLog,
  ) {}

  onModuleInit(): void {
    this.purges.register('stripeEvents', (now, batchSize) =>
      this.stripeEvents.purgeProcessedBefore(new Date(now.getTime() - STRIPE_EVENT_RETENTION_DAYS * DAY_MS), batchSize),
    );
  }
}
