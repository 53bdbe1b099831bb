import { Injectable } from '@nestjs/common';
import {
  IdempotencyRecordRepository,
  PurgeExpiredRowsPayload,
  PurgeExpiredRowsResult,
  StripeEventLog,
  UsageRetentionRepository,
} from '@sah/infrastructure';
import { AppConfig } from '../config/app-config';

const DAY_MS = 24 * 60 * 60_000;
/** Long past Stripe's three days of redelivery: a late duplicate is still recognised. */
const STRIPE_EVENT_RETENTION_DAYS = 30;

/** Deletes rows whose retention has passed. Safe to run any number of times. */
@Injectable()
export class PurgeExpiredRowsHandler {
  constructor(
    private readonly idempotencyRecords: IdempotencyRecordRepository,
    private readonly aiUsage: UsageRetentionRepository,
    private readonly stripeEvents: StripeEventLog,
    private readonly config: AppConfig,
  ) {}

  async execute(payload: PurgeExpiredRowsPayload, now = new Date()): Promise<PurgeExpiredRowsResult> {
    const usageCutoff = new Date(now.getTime() - this.config.ai.usageRetentionDays * DAY_MS);
    return {
      idempotencyRecords: await this.idempotencyRecords.purgeExpired(now, payload.batchSize),
      aiUsage: await this.aiUsage.purgeOlderThan(usageCutoff, payload.batchSize),
      stripeEvents: await this.stripeEvents.purgeProcessedBefore(new Date(now.getTime() - STRIPE_EVENT_RETENTION_DAYS * DAY_MS), payload.batchSize),
    };
  }
}
