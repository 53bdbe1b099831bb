import type { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync } from 'node:fs';
import { AppConfig } from '../../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { bodyParserErrorHandler, bodyParsers, RestErrorWriter } from './body-parsing';
import { RequestContext } from './request-context';
import { REQUEST_ID_HEADER, requestIdMiddleware } from './request-id';
import { securityHeaders } from './security-headers';

/**
 * Express-level middleware, in the order it must run: request id first so every response (even a
 * body-parser failure) carries one, then headers, metrics, CORS and body parsing. Called before
 * `app.init()`, so it runs ahead of Nest's own middleware and routes. `sendBodyError` writes body
 * parsing errors, which no route's exception filter sees.
 */
export function configureHttpPipeline(app: NestExpressApplication, config: AppConfig, sendBodyError?: RestErrorWriter): void {
  app.disable('x-powered-by');
  app.use(requestIdMiddleware);
  app.use(RequestContext.middleware);
  app.use(securityHeaders({ allowApolloSandbox: config.env === 'development' }));
  app.use(app.get(MetricsService).httpMiddleware());
  app.enableCors({
    origin: [...config.http.corsOrigins],
    credentials: true,
    exposedHeaders: [REQUEST_ID_HEADER],
  });
  app.use(...bodyParsers(config.http.bodyLimitBytes));
  app.use(bodyParserErrorHandler(sendBodyError));
  if (existsSync(config.adminConsoleDir)) {
    // Hashed bundles may be cached for good; index.html is served by the console controller.
    app.useStaticAssets(config.adminConsoleDir, { prefix: '/admin/', index: false, maxAge: '1h' });
  }
}
