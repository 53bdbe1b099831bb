import { Injectable, OnModuleInit } from '@nestjs/common';
import { IdempotencyRecordRepository, PurgeExpiredRowsPayload, PurgeExpiredRowsResult } from '@sah/infrastructure';
import { RetentionPurges } from './retention-purges';

/** Deletes rows whose retention has passed. Safe to run any number of times. */
@Injectable()
export class PurgeExpiredRowsHandler implements OnModuleInit {
  constructor(
    private readonly purges: RetentionPurges,
    private readonly idempotencyRecords: IdempotencyRecordRepository,
  ) {}

  /** Idempotency records are the platform's own table; the contexts register theirs. */
  onModuleInit(): void {
    this.purges.register('idempotencyRecords', (now, batchSize) => this.idempotencyRecords.purgeExpired(now, batchSize));
  }

  execute(payload: PurgeExpiredRowsPayload, now = new Date()): Promise<PurgeExpiredRowsResult> {
    return this.purges.runAll(now, payload.batchSize);
  }
}
