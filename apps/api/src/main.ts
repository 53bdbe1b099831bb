import './platform/tracing/start-api-tracing';
import 'reflect-metadata';
import { buildAppConfig } from './config/environment';
import { createApiApp } from './create-api-app';
import { provideServices } from './dev-services/local-services';
import { migrate } from './platform/database/migrate';
import { createLogger } from './platform/logging/create-logger';
import { closeHttpServer, onShutdownSignal } from './platform/shutdown/graceful-shutdown';
import { stopTracing } from './platform/tracing/tracing';
import { parseEnvironmentOrExit, runEntryPoint } from './process-startup';

/**
 * The API process. `--migrate` (used by `npm start`) applies pending migrations first;
 * `--check-config` only validates the environment and exits (0, or 1 with the offending variable).
 */
runEntryPoint(async () => {
  const parsed = parseEnvironmentOrExit();
  if (process.argv.includes('--check-config')) return;
  const logger = createLogger(parsed.logLevel, 'api');
  const services = await provideServices(parsed, logger);
  try {
    const config = buildAppConfig(parsed, services.urls);
    if (process.argv.includes('--migrate')) await migrate(config, logger);
    const app = await createApiApp(config, logger);
    await app.listen(config.http.port, config.http.host);

    const base = config.http.appUrl;
    logger.info(
      { api: base, graphql: `${base}/graphql`, admin: `${base}/admin`, workers: config.workers, version: config.version },
      `Smart AI Hub ${config.version} ready: API ${base} | GraphQL ${base}/graphql | admin ${base}/admin`,
    );

    // In-flight requests get the configured time; closing queues and pools gets as long again.
    onShutdownSignal(logger, 2 * config.http.shutdownTimeoutMs, async () => {
      await closeHttpServer(app.getHttpServer(), config.http.shutdownTimeoutMs);
      await app.close();
      await services.stop();
      await stopTracing();
    });
  } catch (error) {
    await services.stop();
    throw error;
  }
});
