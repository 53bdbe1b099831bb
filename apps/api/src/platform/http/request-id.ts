import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export const REQUEST_ID_HEADER = 'X-Request-Id';

// Loose enough for the ids proxies and tracing systems send, strict enough to be safe in logs.
const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** Echoes a well-formed incoming id; otherwise makes a new one. */
export function chooseRequestId(incoming: string | string[] | undefined): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return value && VALID_REQUEST_ID.test(value) ? value : randomUUID();
}

/** Runs first, before body parsing, so every response — errors included — carries the id. */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  req.id = chooseRequestId(req.headers['x-request-id']);
  res.setHeader(REQUEST_ID_HEADER, req.id);
  next();
}
