import type { Request, Response } from 'express';
import type { IncomingMessage } from 'node:http';

interface TransportContext {
  req?: Request;
  res?: Response;
  /** graphql-ws: the connection's `connectionParams` and the HTTP upgrade request. */
  connectionParams?: Record<string, unknown>;
  extra?: { request?: IncomingMessage };
}

/**
 * The same `{ req }` shape for both transports, so guards and the audit log work alike. Over
 * graphql-ws the bearer token travels in `connectionParams.Authorization`.
 */
export function graphqlContext({ req, res, connectionParams, extra }: TransportContext) {
  if (req) return { req, res };
  const authorization = connectionParams?.Authorization ?? connectionParams?.authorization;
  const socketRequest = {
    headers: { authorization: typeof authorization === 'string' ? authorization : undefined },
    ip: extra?.request?.socket.remoteAddress,
  };
  return { req: socketRequest as unknown as Request };
}
