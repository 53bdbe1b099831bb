import { HttpException, HttpStatus } from '@nestjs/common';
import { DomainErrorCode, isDomainError } from '@sah/domain';
import { failedDependency } from '@sah/infrastructure';
import type { Request, Response } from 'express';

export type ErrorCode = DomainErrorCode | 'INTERNAL_SERVER_ERROR' | 'METHOD_NOT_ALLOWED' | 'UNSUPPORTED_MEDIA_TYPE';

export interface RestError {
  status: number;
  code: ErrorCode;
  message: string;
  details?: Readonly<Record<string, unknown>>;
}

/** The one table from domain error codes to HTTP statuses. */
export const STATUS_BY_CODE: Record<DomainErrorCode, number> = {
  BAD_USER_INPUT: HttpStatus.BAD_REQUEST,
  WEAK_PASSWORD: HttpStatus.BAD_REQUEST,
  UNAUTHENTICATED: HttpStatus.UNAUTHORIZED,
  EMAIL_NOT_VERIFIED: HttpStatus.FORBIDDEN,
  ACCOUNT_SUSPENDED: HttpStatus.FORBIDDEN,
  ACCOUNT_LOCKED: HttpStatus.LOCKED,
  TOO_MANY_ATTEMPTS: HttpStatus.TOO_MANY_REQUESTS,
  INSUFFICIENT_CREDITS: HttpStatus.PAYMENT_REQUIRED,
  BUDGET_EXCEEDED: HttpStatus.PAYMENT_REQUIRED,
  ADJUSTMENT_LIMIT_EXCEEDED: HttpStatus.FORBIDDEN,
  // The IETF Idempotency-Key draft's answer to a key reused with another request.
  IDEMPOTENCY_KEY_REUSED: HttpStatus.UNPROCESSABLE_ENTITY,
  INVITATION_ALREADY_ACCEPTED: HttpStatus.CONFLICT,
  INVITATION_REVOKED: HttpStatus.GONE,
  INVITATION_EXPIRED: HttpStatus.GONE,
  CONTEXT_LENGTH_EXCEEDED: HttpStatus.BAD_REQUEST,
  // The upstream failed after retries (and fallback): not the caller's fault, not ours either.
  PROVIDER_ERROR: HttpStatus.BAD_GATEWAY,
  PROVIDER_UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
  FORBIDDEN: HttpStatus.FORBIDDEN,
  NOT_FOUND: HttpStatus.NOT_FOUND,
  CONFLICT: HttpStatus.CONFLICT,
  PAYLOAD_TOO_LARGE: HttpStatus.PAYLOAD_TOO_LARGE,
  RATE_LIMITED: HttpStatus.TOO_MANY_REQUESTS,
  SERVICE_UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
  DEPENDENCY_UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
};

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  402: 'INSUFFICIENT_CREDITS',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

export function codeForStatus(status: number): ErrorCode {
  return CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_USER_INPUT');
}

/** Turns anything thrown into the contract's error; unknown errors become an opaque 500. */
export function toRestError(exception: unknown): RestError {
  if (isDomainError(exception)) {
    return {
      status: STATUS_BY_CODE[exception.code],
      code: exception.code,
      message: exception.message,
      details: exception.details,
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const body = exception.getResponse();
    // ValidationPipe puts its messages in an array: keep them as details, not in the headline.
    const messages = typeof body === 'object' && body !== null ? (body as { message?: unknown }).message : undefined;
    if (Array.isArray(messages)) {
      return { status, code: codeForStatus(status), message: 'Invalid input', details: { errors: messages } };
    }
    return { status, code: codeForStatus(status), message: exception.message };
  }
  const dependency = failedDependency(exception);
  if (dependency) {
    return {
      status: HttpStatus.SERVICE_UNAVAILABLE,
      code: 'DEPENDENCY_UNAVAILABLE',
      message: `${dependency === 'service' ? 'A service this request needs' : `The ${dependency}`} did not answer in time; try again shortly`,
      details: { dependency },
    };
  }
  return { status: 500, code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' };
}

export function sendRestError(req: Request, res: Response, error: RestError): void {
  res.status(error.status).json({
    error: {
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
      timestamp: new Date().toISOString(),
      request_id: req.id,
    },
  });
}
