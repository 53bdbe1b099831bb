import type { Logger as TypeOrmLogger } from 'typeorm';

/** The subset of a pino-style logger TypeORM needs; keeps this adapter free of a logging library. */
export interface StructuredLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

/** Sends TypeORM's own messages to the app's JSON logs. Query text is logged only on errors. */
export function typeOrmLogger(logger: StructuredLogger): TypeOrmLogger {
  return {
    logQuery: () => undefined,
    logQueryError: (error, query) => logger.error({ err: error, query }, 'database query failed'),
    logQuerySlow: (time, query) => logger.warn({ duration_ms: time, query }, 'slow database query'),
    logSchemaBuild: () => undefined,
    logMigration: (message) => logger.info({}, message),
    log: (level, message) =>
      level === 'warn' ? logger.warn({}, String(message)) : logger.info({}, String(message)),
  };
}
