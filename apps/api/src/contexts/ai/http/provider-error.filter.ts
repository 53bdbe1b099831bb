import { ArgumentsHost, Catch, ExceptionFilter, Inject } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../../../platform/logging/logging.module';
import { anthropicErrorBody, openAiErrorBody, toRestError } from './provider-error-body';

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
    const retryAfter = error.details?.['retry_after_seconds'];
    if (typeof retryAfter === 'number' && !res.getHeader('retry-after')) res.setHeader('retry-after', String(retryAfter));
    if (req.path.startsWith('/v1/messages')) {
      // Anthropic's SDK reads the request id from the header and the body.
      res.setHeader('request-id', String(req.id));
      res.status(error.status).json({ ...anthropicErrorBody(error), request_id: String(req.id) });
    } else {
      res.status(error.status).json(openAiErrorBody(error));
    }
  }
}
