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
    // The key's own limit first: a frame it refuses must not use up its owner's allowance too.
    if (apiKeyId && perKey) {
      const byKey = await this.limiter.hit(apiKeyRateLimitKey(apiKeyId), perKey, windowMs);
      if (!byKey.allowed) throw refusal(apiKeyRefusal(perKey), byKey);
    }
    if (limit !== null) {
      const byRole = await this.limiter.hit(`user:${principal.userId}`, limit, windowMs);
      if (!byRole.allowed) throw refusal('Too many requests: slow down', byRole);
    }
  }
}

function refusal(message: string, decision: RateLimitDecision): DomainError {
  return new DomainError('RATE_LIMITED', message, { retry_after_seconds: Math.ceil(decision.resetMs / 1000) });
}
