import { Injectable } from '@nestjs/common';
import { DomainError } from '@sah/domain';
import { RateLimitDecision, SlidingWindowRateLimiter } from '@sah/infrastructure';
import { AppConfig } from '../../../config/app-config';
import { apiKeyRateLimitKey, apiKeyRefusal } from '../../identity/auth/rate-limit.guard';
import type { WsPrincipal } from './ws-authenticator';

/**
 * Each request frame counts against the same per-user, per-role limit as an HTTP request, and against
 * its API key's own limit if it has one (shared through Redis), so a WebSocket is no way around them.
 */
@Injectable()
export class WsRequestLimiter {
  constructor(
    private readonly limiter: SlidingWindowRateLimiter,
    private readonly config: AppConfig,
  ) {}

  async admit(principal: WsPrincipal): Promise<void> {
    const { perRole, windowMs } = this.config.rateLimits;
    const limit = perRole[principal.role];
    const { apiKeyId, apiKeyRequestsPerMinute: perKey } = principal;
    const [byRole, byKey] = await Promise.all([
      limit === null ? undefined : this.limiter.hit(`user:${principal.userId}`, limit, windowMs),
      apiKeyId && perKey ? this.limiter.hit(apiKeyRateLimitKey(apiKeyId), perKey, windowMs) : undefined,
    ]);
    if (byRole && !byRole.allowed) throw refusal('Too many requests: slow down', byRole);
    if (perKey && byKey && !byKey.allowed) throw refusal(apiKeyRefusal(perKey), byKey);
  }
}

function refusal(message: string, decision: RateLimitDecision): DomainError {
  return new DomainError('RATE_LIMITED', message, { retry_after_seconds: Math.ceil(decision.resetMs / 1000) });
}
