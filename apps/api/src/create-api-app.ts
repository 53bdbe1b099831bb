import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger as NestPinoLogger } from 'nestjs-pino';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { sendErrorForPath } from './contexts/ai/http/provider-error-body';
import { configureHttpPipeline } from './platform/http/http-pipeline';

/** Builds the API application exactly as production runs it; tests call this too. */
export async function createApiApp(config: AppConfig, logger: Logger): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, logger), {
    // Body parsing is part of our pipeline so its errors get the contract's error body.
    bodyParser: false,
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(NestPinoLogger));
  // The OpenAI- and Anthropic-compatible endpoints answer even body parsing errors in their format.
  configureHttpPipeline(app, config, sendErrorForPath);
  return app;
}
