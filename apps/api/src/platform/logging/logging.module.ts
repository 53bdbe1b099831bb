import { DynamicModule, Global, Module } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { maskUrl } from './mask-url';

/** The process's root pino logger, for code that logs outside a request. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

const QUIET_PATHS = new Set(['/health', '/metrics']);

@Global()
@Module({})
export class LoggingModule {
  static forRoot(logger: Logger): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            logger,
            // The request-id middleware has already chosen the id (see http/request-id.ts).
            genReqId: (req: IncomingMessage) => req.id,
            customProps: (req: IncomingMessage) => ({ request_id: req.id }),
            autoLogging: { ignore: (req: IncomingMessage) => QUIET_PATHS.has(req.url ?? '') },
            customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) =>
              error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
            serializers: {
              req: (req: { method: string; url: string; remoteAddress?: string }) => ({
                method: req.method,
                url: maskUrl(req.url),
                remote_address: req.remoteAddress,
              }),
              res: (res: { statusCode: number }) => ({ status_code: res.statusCode }),
            },
          },
        }),
      ],
      providers: [{ provide: ROOT_LOGGER, useValue: logger }],
      exports: [ROOT_LOGGER],
    };
  }
}
