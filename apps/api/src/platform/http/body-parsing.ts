import express, { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from './json-depth';
import { codeForStatus, RestError, sendRestError } from './rest-error';

declare module 'http' {
  interface IncomingMessage {
    /** The JSON body's exact bytes, for signatures computed over them (Stripe webhooks). */
    rawBody?: Buffer;
  }
}

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  /** Set by zlib when a body declared gzip, deflate or br is not. */
  code?: string;
}

/**
 * JSON and form bodies up to the configured size and MAX_JSON_DEPTH levels of nesting. A JSON body's
 * bytes stay on the request: the parser has read them anyway, and a signed webhook can only be
 * verified against them.
 */
export function bodyParsers(limitBytes: number): RequestHandler[] {
  return [
    express.json({
      limit: limitBytes,
      verify: (req, _res, bytes) => {
        if (jsonDepthExceeds(bytes, MAX_JSON_DEPTH)) throw Object.assign(new Error('too deep'), { status: 400, type: 'entity.too.deep' });
        req.rawBody = bytes;
      },
    }),
    express.urlencoded({ extended: false, limit: limitBytes }),
  ];
}

const MESSAGES: Record<string, string> = {
  'entity.parse.failed': 'Malformed JSON in request body',
  'entity.too.large': 'Request body is too large',
  'entity.too.deep': `JSON in request body is nested more than ${MAX_JSON_DEPTH} levels deep`,
  'encoding.unsupported': 'Unsupported content encoding',
  'charset.unsupported': 'Unsupported charset',
  'request.aborted': 'Request aborted',
};

export type RestErrorWriter = (req: Request, res: Response, error: RestError) => void;

/**
 * Body parsing fails before any route or Nest filter sees the request, so its errors are turned into
 * an error body here: the contract's unless `send` picks another format for the path. Parser errors
 * carry a type; a body that fails to decompress carries zlib's code instead. Anything else passes on.
 */
export function bodyParserErrorHandler(send: RestErrorWriter = sendRestError): ErrorRequestHandler {
  return (error: BodyParserError, req, res, next) => {
    if (!(error.type || error.code) || !error.status || error.status >= 500) return next(error);
    const limit = error.type === 'entity.too.large' ? { limit_bytes: (error as { limit?: number }).limit } : undefined;
    const message = error.type ? MESSAGES[error.type] : 'Request body does not match its Content-Encoding';
    send(req, res, { status: error.status, code: codeForStatus(error.status), message: message ?? 'Invalid request body', details: limit });
  };
}
