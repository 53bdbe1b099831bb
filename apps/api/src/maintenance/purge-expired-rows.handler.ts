import { Injectable } from '@nestjs/common';
import { IdempotencyRecordRepository, PurgeExpiredRowsPayload, PurgeExpiredRowsResult } from '@sah/infrastructure';

/** Deletes rows whose retention has passed. Safe to run any number of times. */
@Injectable()
export class PurgeExpiredRowsHandler {
  constructor(private readonly idempotencyRecords: IdempotencyRecordRepository) {}

  async execute(payload: PurgeExpiredRowsPayload, now = new Date()): Promise<PurgeExpiredRowsResult> {
    return { idempotencyRecords: await this.idempotencyRecords.purgeExpired(now, payload.batchSize) };
  }
}
