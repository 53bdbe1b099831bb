import { UsageRecord, UsageRecordRepository } from '@sah/infrastructure';
import type { DataSource } from 'typeorm';
import type { AiCallMetrics } from './ai-call-metrics';

/** The AI usage repository that also counts each recorded call on `/metrics` (after the row is written). */
export class MeteredUsageRecordRepository extends UsageRecordRepository {
  constructor(
    dataSource: DataSource,
    private readonly metrics: AiCallMetrics,
  ) {
    super(dataSource);
  }

  override async record(usage: UsageRecord): Promise<string> {
    const id = await super.record(usage);
    this.metrics.record(usage);
    return id;
  }
}
