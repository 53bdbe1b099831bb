import './platform/tracing/start-worker-tracing';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger as NestPinoLogger } from 'nestjs-pino';
import { buildAppConfig } from './config/environment';
import { provideServices } from './dev-services/local-services';
import { createLogger } from './platform/logging/create-logger';
import { onShutdownSignal } from './platform/shutdown/graceful-shutdown';
import { stopTracing } from './platform/tracing/tracing';
import { parseEnvironmentOrExit, runEntryPoint } from './process-startup';
import { WorkerModule } from './worker.module';

/** The worker process: runs the queue processors; pair it with an API started with WORKERS=off. */
runEntryPoint(async () => {
  const parsed = parseEnvironmentOrExit();
  const logger = createLogger(parsed.logLevel, 'worker');
  const services = await provideServices(parsed, logger);
  try {
    const config = buildAppConfig(parsed, services.urls);
    const app = await NestFactory.createApplicationContext(WorkerModule.register(config, logger), {
      bufferLogs: true,
      abortOnError: false,
    });
    app.useLogger(app.get(NestPinoLogger));
    await app.init();
    logger.info({ version: config.version }, 'Smart AI Hub worker ready');

    onShutdownSignal(logger, config.http.shutdownTimeoutMs, async () => {
      await app.close();
      await services.stop();
      await stopTracing();
    });
  } catch (error) {
    await services.stop();
    throw error;
  }
});
