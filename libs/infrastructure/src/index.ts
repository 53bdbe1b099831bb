export * from './persistence/data-source.options';
export * from './persistence/run-migrations';
export * from './persistence/platform/idempotency-record.entity';
export * from './persistence/platform/idempotency-record.repository';
export * from './redis/redis-options';
export * from './queues/queue-names';
export * from './logging/typeorm-logger';
