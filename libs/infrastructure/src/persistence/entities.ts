import { IdempotencyRecordEntity } from './platform/idempotency-record.entity';

export const ENTITIES = [IdempotencyRecordEntity];
