import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { DomainError } from '@sah/domain';
import { RateLimitDecision, SlidingWindowRateLimiter } from '@sah/infrastructure';
import { AppConfig } from '../../../config/app-config';
import { FieldRateLimit, fieldRateLimit } from '../../../graphql/field-rate-limits';
import {
  AUTH_RATE_LIMIT_KEY,
  RATE_LIMIT_AWAITED_BY_HANDLER_KEY,
  requestOf,
  responseOf,
  SKIP_RATE_LIMIT_KEY,
} from '../../../platform/auth/auth.decorators';

declare module 'http' {
  interface IncomingMessage {
    /** The request's one rate-limit outcome, reused by every GraphQL root field not in the field list. */
    rateLimit?: Promise<void>;
    /** On @RateLimitAwaitedByHandler routes: starts the request's count (once) and gives its outcome. */
    countRequest?: () => Promise<void>;
  }
}

/**
 * Runs after the auth guard: signed-in callers are limited per user by role (admins unlimited),
 * anonymous ones per IP, and sign-in style operations per IP as well. A GraphQL operation counts
 * once, whatever the number of root fields, except that every execution of a field in
 * FIELD_RATE_LIMITS counts on its own (aliases cannot multiply them). Over graphql-ws each operation
 * has its own request object (see graphql-context.ts), so the same holds there. REST routes count
 * once per request. A call made with an API key that has its own requests-per-minute limit counts
 * against that limit as well. Shared across instances through Redis, over a sliding window. Routes
 * marked @RateLimitAwaitedByHandler (the AI gateway's) start the count and await it themselves.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: SlidingWindowRateLimiter,
    private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(SKIP_RATE_LIMIT_KEY, targets)) return true;
    const req = requestOf(context);
    if (!req) return true;
    const field = limitedField(context);
    if (field) {
      await this.check(context, field.authPerIp);
    } else {
      const authPerIp = this.reflector.getAllAndOverride<boolean>(AUTH_RATE_LIMIT_KEY, targets) ?? false;
      if (this.reflector.getAllAndOverride<boolean>(RATE_LIMIT_AWAITED_BY_HANDLER_KEY, targets)) {
        // The handler starts the count in the same tick as its own Redis and database calls, so their
        // round trips go out together. A request that ends before (bad input, unknown model) is
        // counted when its response closes: every request counts, as on other routes.
        req.countRequest = () => (req.rateLimit ??= this.check(context, authPerIp));
        responseOf(context)?.once('close', () => void req.countRequest?.().catch(() => undefined));
        return true;
      }
      req.rateLimit ??= this.check(context, authPerIp);
      await req.rateLimit;
    }
    return true;
  }

  private async check(context: ExecutionContext, authPerIp: boolean): Promise<void> {
    const req = requestOf(context);

    const limits = this.config.rateLimits;
    const ip = req.ip ?? 'unknown';
    const checks: { key: string; limit: number; refusal: string }[] = [];
    if (authPerIp) checks.push({ key: `auth-ip:${ip}`, limit: limits.authPerIp, refusal: TOO_MANY });
    const principal = req.principal;
    if (principal) {
      // The key's own limit first: a request it refuses must not use up its owner's allowance too.
      if (principal.apiKeyId && principal.apiKeyRequestsPerMinute) {
        const perKey = principal.apiKeyRequestsPerMinute;
        checks.push({ key: apiKeyRateLimitKey(principal.apiKeyId), limit: perKey, refusal: apiKeyRefusal(perKey) });
      }
      const limit = limits.perRole[principal.role];
      if (limit !== null) checks.push({ key: `user:${principal.userId}`, limit, refusal: TOO_MANY });
    } else {
      checks.push({ key: `ip:${ip}`, limit: limits.anonymousPerIp, refusal: TOO_MANY });
    }
    if (checks.length === 0) return;

    // One after the other, narrowest first: a limit that refuses stops the count, so a refused request
    // is recorded by no wider limit (each admitted hit is recorded for the whole window).
    const decisions: RateLimitDecision[] = [];
    for (const check of checks) {
      const decision = await this.limiter.hit(check.key, check.limit, limits.windowMs);
      decisions.push(decision);
      if (!decision.allowed) break;
    }
    const tightest = decisions.reduce((a, b) => (b.remaining < a.remaining || !b.allowed ? b : a));
    const refused = decisions.find((decision) => !decision.allowed);
    this.setHeaders(context, tightest, refused);
    if (refused) {
      const refusal = checks[decisions.length - 1].refusal;
      throw new DomainError('RATE_LIMITED', refusal, { retry_after_seconds: Math.ceil(refused.resetMs / 1000) });
    }
  }

  private setHeaders(context: ExecutionContext, decision: RateLimitDecision, refused: RateLimitDecision | undefined): void {
    const res = responseOf(context);
    if (!res || res.headersSent) return;
    res.setHeader('X-RateLimit-Limit', decision.limit);
    res.setHeader('X-RateLimit-Remaining', decision.remaining);
    res.setHeader('X-RateLimit-Reset', Math.ceil(decision.resetMs / 1000));
    if (refused) res.setHeader('Retry-After', Math.ceil(refused.resetMs / 1000));
  }
}

const TOO_MANY = 'Too many requests: slow down';

/** The limiter key of an API key's own limit (shared with the WebSocket limiter). */
export const apiKeyRateLimitKey = (apiKeyId: string) => `api-key:${apiKeyId}`;

export const apiKeyRefusal = (perMinute: number) => `This API key's limit of ${perMinute} requests per minute is reached: slow down`;

function limitedField(context: ExecutionContext): FieldRateLimit | undefined {
  if (context.getType<string>() !== 'graphql') return undefined;
  const info = GqlExecutionContext.create(context).getInfo<{ parentType: { name: string }; fieldName: string }>();
  return fieldRateLimit(info.parentType.name, info.fieldName);
}
