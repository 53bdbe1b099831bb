import { failedDependency } from '@sah/infrastructure';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';

/** How long start-up waits for PostgreSQL to accept a connection before it gives up. */
const BOOT_DEADLINE_MS = 10_000;
const RETRY_DELAY_MS = 250;

/**
 * Initializes the DataSource for start-up. A first connection can fail on a slow answer (a loaded
 * host, a server still starting or at its connection limit): start-up tries again until its
 * deadline, as it does for Redis. A wrong password or an unknown database fails at once.
 */
export async function initializeAtBoot(dataSource: DataSource, logger: Logger, deadlineMs = BOOT_DEADLINE_MS): Promise<DataSource> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      return await dataSource.initialize();
    } catch (error) {
      if (!failedDependency(error) || Date.now() + RETRY_DELAY_MS > deadline) throw error;
      logger.warn({ err: error, component: 'database' }, 'database not reachable yet at start-up: trying again');
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
    }
  }
}
