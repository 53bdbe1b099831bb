import { buildDataSourceOptions, verifyLedger } from '@sah/infrastructure';
import { DataSource } from 'typeorm';
import { buildAppConfig } from './config/environment';
import { provideServices } from './dev-services/local-services';
import { createLogger } from './platform/logging/create-logger';
import { parseEnvironmentOrExit, runEntryPoint } from './process-startup';

/**
 * `npm run ledger:verify`: proves every balance equals the sum of its entries and the books balance.
 * Prints the report as JSON; exits 1 when anything is off.
 */
runEntryPoint(async () => {
  const parsed = parseEnvironmentOrExit();
  const logger = createLogger(parsed.logLevel, 'ledger-verify');
  const services = await provideServices(parsed, logger);
  const config = buildAppConfig(parsed, services.urls);
  const dataSource = new DataSource(
    buildDataSourceOptions({ url: config.database.url, poolMax: 2, applicationName: 'smart-ai-hub-ledger-verify' }),
  );
  try {
    await dataSource.initialize();
    const report = await verifyLedger(dataSource);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    if (!report.ok) process.exitCode = 1;
  } finally {
    await dataSource.destroy().catch(() => undefined);
    await services.stop();
  }
});
