import { ArgumentsHost, Catch, ExceptionFilter, Inject } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../logging/logging.module';
import { sendRestError, toRestError } from './rest-error';

/**
 * The single REST error mapper. GraphQL errors are handed back untouched: Apollo's formatter
 * (graphql/format-graphql-error.ts) owns that transport.
 */
@Catch()
export class RestExceptionFilter implements ExceptionFilter {
  constructor(@Inject(ROOT_LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType() !== 'http') return exception;
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const error = toRestError(exception);
    if (error.status >= 500) this.logger.error({ err: exception, request_id: req.id }, 'unhandled error');
    if (res.headersSent) return undefined;
    sendRestError(req, res, error);
    return undefined;
  }
}
