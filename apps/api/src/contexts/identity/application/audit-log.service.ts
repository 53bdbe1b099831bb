import { Injectable } from '@nestjs/common';
import { AuditLogRepository } from '@sah/infrastructure';
import { RequestContext } from '../../../platform/http/request-context';

/** Appends security and admin events, stamped with the current request's IP and id. */
@Injectable()
export class AuditLog {
  constructor(private readonly entries: AuditLogRepository) {}

  record(
    actorId: string | null,
    action: string,
    entry: { targetType?: string; targetId?: string; details?: Record<string, unknown> } = {},
  ): Promise<void> {
    const request = RequestContext.current();
    return this.entries.append({ actorId, action, ...entry, ip: request?.ip, requestId: request?.requestId });
  }
}
