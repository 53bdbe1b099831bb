import { buildAppConfig } from './config/environment';
import { provideServices } from './dev-services/local-services';
import { migrate } from './platform/database/migrate';
import { createLogger } from './platform/logging/create-logger';
import { parseEnvironmentOrExit, runEntryPoint } from './process-startup';

/** `npm run db:migrate`: applies pending migrations and exits. */
runEntryPoint(async () => {
  const parsed = parseEnvironmentOrExit();
  const logger = createLogger(parsed.logLevel, 'migrate');
  const services = await provideServices(parsed, logger);
  try {
    await migrate(buildAppConfig(parsed, services.urls), logger);
  } finally {
    await services.stop();
  }
});
