import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@sah/domain';
import { TokenRateLimiter } from '@sah/infrastructure';
import type { Logger } from 'pino';
import { AppConfig } from '../../../config/app-config';
import { ROOT_LOGGER } from '../../../platform/logging/logging.module';

const limitKey = (apiKeyId: string) => `api-key:${apiKeyId}`;

/**
 * An API key's tokens-per-minute limit: a call's estimate (prompt and output cap) is counted before
 * its credits are held, and corrected to what it really used once it is paid for. Over the same
 * window as the other rate limits (RATE_LIMIT_WINDOW_MS), shared through Redis.
 */
@Injectable()
export class ApiKeyTokenLimit {
  constructor(
    private readonly limiter: TokenRateLimiter,
    private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  /** 429 RATE_LIMITED with retry_after_seconds, before any provider call; Redis down fails the call (503). */
  async take(apiKeyId: string, perMinute: number, callId: string, estimate: number): Promise<void> {
    const decision = await this.limiter.take(limitKey(apiKeyId), callId, estimate, perMinute, this.config.rateLimits.windowMs);
    if (decision.allowed) return;
    const retryAfter = Math.ceil(decision.retryAfterMs / 1000);
    const message =
      estimate > perMinute
        ? `This call's estimated ${estimate} tokens (prompt and output cap) exceed this API key's limit of ${perMinute} tokens per minute: lower max_tokens`
        : `This API key's limit of ${perMinute} tokens per minute is reached (this call is estimated at ${estimate} tokens): retry after ${retryAfter} s`;
    throw new DomainError('RATE_LIMITED', message, { retry_after_seconds: retryAfter, tokens_per_minute: perMinute, estimated_tokens: estimate });
  }

  /** Best effort: a correction that fails leaves the estimate counted, which only errs on the safe side. */
  async correct(apiKeyId: string, callId: string, used: number): Promise<void> {
    await this.limiter.correct(limitKey(apiKeyId), callId, used).catch((error: unknown) => {
      this.logger.warn({ err: error, api_key_id: apiKeyId }, 'could not correct a token count; the estimate stays counted');
    });
  }
}
