import { Injectable } from '@nestjs/common';
import { DomainError } from '@sah/domain';
import { FixedWindowRateLimiter } from '@sah/infrastructure';
import { AppConfig } from '../../../config/app-config';
import type { WsPrincipal } from './ws-authenticator';

const WINDOW_MS = 60_000;

/**
 * Each request frame counts against the same per-user, per-role limit as an HTTP request (shared
 * through Redis), so a WebSocket is no way around the rate limits.
 */
@Injectable()
export class WsRequestLimiter {
  constructor(
    private readonly limiter: FixedWindowRateLimiter,
    private readonly config: AppConfig,
  ) {}

  async admit(principal: WsPrincipal): Promise<void> {
    const limit = this.config.rateLimits.perRole[principal.role];
    if (limit === null) return;
    const decision = await this.limiter.hit(`user:${principal.userId}`, limit, WINDOW_MS);
    if (!decision.allowed) {
      throw new DomainError('RATE_LIMITED', 'Too many requests: slow down', { retry_after_seconds: Math.ceil(decision.resetMs / 1000) });
    }
  }
}
