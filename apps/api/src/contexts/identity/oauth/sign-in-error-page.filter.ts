import { ArgumentsHost, Catch, ExceptionFilter, Inject } from '@nestjs/common';
import { isDomainError } from '@sah/domain';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../../../platform/logging/logging.module';
import { sendRestError, toRestError } from '../../../platform/http/rest-error';
import { signInErrorPage } from './sign-in-error.page';

/**
 * People reach the Google routes in a browser: failures end on a readable page, not a JSON body.
 * NOT_FOUND stays the contract's REST error: the route is not there (Google sign-in is off).
 */
@Catch()
export class SignInErrorPageFilter implements ExceptionFilter {
  constructor(@Inject(ROOT_LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const error = toRestError(exception);
    if (res.headersSent) return;
    if (error.code === 'NOT_FOUND') return sendRestError(req, res, error);
    if (error.status >= 500 && !isDomainError(exception))
      this.logger.error({ err: exception, request_id: req.id }, 'unhandled error');
    const reason = typeof error.details?.reason === 'string' ? error.details.reason : undefined;
    res
      .status(error.status)
      .set('Cache-Control', 'no-store')
      .type('html')
      .send(signInErrorPage({ message: error.message, reason }));
  }
}
