import { ArgumentsHost, Catch, ExceptionFilter, Inject } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../../../platform/logging/logging.module';
import { sendProviderError, toRestError } from './provider-error-body';

/**
 * Errors of the compatible endpoints in the provider's own shape, so the official SDKs raise their
 * usual typed errors. Guards' refusals (no key, rate limit) pass through here too.
 */
@Catch()
export class ProviderErrorFilter implements ExceptionFilter {
  constructor(@Inject(ROOT_LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const error = toRestError(exception);
    if (error.status >= 500 && error.code === 'INTERNAL_SERVER_ERROR') this.logger.error({ err: exception, request_id: req.id }, 'unhandled error');
    if (res.headersSent) return void res.end();
    sendProviderError(req, res, error);
  }
}
