import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';

interface RequestInfo {
  requestId: string;
  ip: string | undefined;
  userAgent: string | undefined;
}

const storage = new AsyncLocalStorage<RequestInfo>();

/** The current request's id, client IP and user agent, for code far from the controller (audit entries, sessions). */
export const RequestContext = {
  current: (): RequestInfo | undefined => storage.getStore(),
  middleware: (req: Request, _res: Response, next: NextFunction) =>
    storage.run({ requestId: String(req.id), ip: req.ip, userAgent: req.get('user-agent') }, next),
};
