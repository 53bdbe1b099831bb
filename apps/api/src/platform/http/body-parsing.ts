import express, { ErrorRequestHandler, RequestHandler } from 'express';
import { codeForStatus, sendRestError } from './rest-error';

declare module 'http' {
  interface IncomingMessage {
    /** The JSON body's exact bytes, for signatures computed over them (Stripe webhooks). */
    rawBody?: Buffer;
  }
}

/**
 * JSON and form bodies up to the configured size. A JSON body's bytes stay on the request: the
 * parser has read them anyway, and a signed webhook can only be verified against them.
 */
export function bodyParsers(limitBytes: number): RequestHandler[] {
  return [
    express.json({ limit: limitBytes, verify: (req, _res, bytes) => (req.rawBody = bytes) }),
    express.urlencoded({ extended: false, limit: limitBytes }),
  ];
}

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  expose?: boolean;
}

const MESSAGES: Record<string, string> = {
  'entity.parse.failed': 'Malformed JSON in request body',
  'entity.too.large': 'Request body is too large',
  'encoding.unsupported': 'Unsupported content encoding',
  'charset.unsupported': 'Unsupported charset',
  'request.aborted': 'Request aborted',
};

/**
 * Body parsing fails before any route or Nest filter sees the request, so its errors are turned into
 * the contract's error body here. Anything else passes on.
 */
export const bodyParserErrorHandler: ErrorRequestHandler = (error: BodyParserError, req, res, next) => {
  if (!error.type || !error.status || error.status >= 500) return next(error);
  const limit = error.type === 'entity.too.large' ? { limit_bytes: (error as { limit?: number }).limit } : undefined;
  sendRestError(req, res, {
    status: error.status,
    code: codeForStatus(error.status),
    message: MESSAGES[error.type] ?? 'Invalid request body',
    details: limit,
  });
};
