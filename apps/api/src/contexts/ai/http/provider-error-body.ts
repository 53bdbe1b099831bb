import { toRestError, RestError } from '../../../platform/http/rest-error';

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

export { toRestError };
