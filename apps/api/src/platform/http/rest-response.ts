import type { Request } from 'express';

export interface RestResponse<T> {
  data: T;
  meta: { timestamp: string; request_id: string };
}

/** The contract's success envelope. */
export function restData<T>(req: Request, data: T): RestResponse<T> {
  return { data, meta: { timestamp: new Date().toISOString(), request_id: String(req.id) } };
}
