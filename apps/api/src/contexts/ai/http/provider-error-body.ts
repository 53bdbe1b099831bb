import type { Request, Response } from 'express';
import { sendRestError, toRestError, RestError } from '../../../platform/http/rest-error';

/** A hub error as OpenAI, Anthropic and Gemini clients expect to read it (their SDKs map these to typed errors). */
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

/** Google's canonical codes (google.rpc.Code) by HTTP status. */
const GOOGLE_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  // Not enough credits: a state the caller must change first, not a quota to wait out.
  402: 'FAILED_PRECONDITION',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  413: 'INVALID_ARGUMENT',
  422: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** Google's error shape; the hub's own code goes in an ErrorInfo detail, a retry delay in a RetryInfo one. */
export function geminiErrorBody(error: RestError) {
  const retryAfter = error.details?.['retry_after_seconds'];
  return {
    error: {
      code: error.status,
      message: error.message,
      status: GOOGLE_STATUS[error.status] ?? (error.status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT'),
      details: [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: error.code, domain: 'smart-ai-hub' },
        ...(typeof retryAfter === 'number' ? [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryAfter}s` }] : []),
      ],
    },
  };
}

/** The compatible endpoints: OpenAI's and Anthropic's paths under /v1/, Gemini's under /v1beta/. */
export const isCompatibleApiPath = (path: string) => path.startsWith('/v1/') || path.startsWith('/v1beta/');

/** Writes a hub error in the format of the compatible endpoint that was called. */
export function sendProviderError(req: Request, res: Response, error: RestError): void {
  const retryAfter = error.details?.['retry_after_seconds'];
  if (typeof retryAfter === 'number' && !res.getHeader('retry-after')) res.setHeader('retry-after', String(retryAfter));
  if (req.path.startsWith('/v1/messages')) {
    // Anthropic's SDK reads the request id from the header and the body.
    res.setHeader('request-id', String(req.id));
    res.status(error.status).json({ ...anthropicErrorBody(error), request_id: String(req.id) });
  } else if (req.path.startsWith('/v1beta/')) {
    res.status(error.status).json(geminiErrorBody(error));
  } else {
    res.status(error.status).json(openAiErrorBody(error));
  }
}

/** Errors raised before routing (body parsing): the provider's format on its paths, the contract's elsewhere. */
export function sendErrorForPath(req: Request, res: Response, error: RestError): void {
  (isCompatibleApiPath(req.path) ? sendProviderError : sendRestError)(req, res, error);
}

export { toRestError };
