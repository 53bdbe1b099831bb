import type { Request, Response } from 'express';
import { sendRestError, toRestError, RestError } from '../../../platform/http/rest-error';

/** A hub error as OpenAI and Anthropic clients expect to read it (their SDKs map these to typed errors). */
const OPENAI_TYPE: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'insufficient_quota',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'invalid_request_error',
  422: 'invalid_request_error',
  429: 'rate_limit_error',
};

const ANTHROPIC_TYPE: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  422: 'invalid_request_error',
  429: 'rate_limit_error',
  503: 'overloaded_error',
};

export function openAiErrorBody(error: RestError) {
  return {
    error: {
      message: error.message,
      type: OPENAI_TYPE[error.status] ?? 'api_error',
      param: typeof error.details?.['param'] === 'string' ? error.details['param'] : null,
      code: error.code.toLowerCase(),
    },
  };
}

export function anthropicErrorBody(error: RestError) {
  return { type: 'error', error: { type: ANTHROPIC_TYPE[error.status] ?? 'api_error', message: error.message } };
}

/** The compatible endpoints (OpenAI's and Anthropic's paths) all live under /v1/. */
export const isCompatibleApiPath = (path: string) => path.startsWith('/v1/');

/** Writes a hub error in the format of the compatible endpoint that was called. */
export function sendProviderError(req: Request, res: Response, error: RestError): void {
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

/** Errors raised before routing (body parsing): the provider's format on its paths, the contract's elsewhere. */
export function sendErrorForPath(req: Request, res: Response, error: RestError): void {
  (isCompatibleApiPath(req.path) ? sendProviderError : sendRestError)(req, res, error);
}

export { toRestError };
