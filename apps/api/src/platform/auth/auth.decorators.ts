import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Permission } from '@sah/domain';
import type { Request, Response } from 'express';
import type { Principal } from './principal';

export const PUBLIC_KEY = 'identity:public';
export const PERMISSION_KEY = 'identity:permission';
export const API_KEY_SCOPE_KEY = 'identity:api-key-scope';
export const AUTH_RATE_LIMIT_KEY = 'identity:auth-rate-limit';
export const SKIP_RATE_LIMIT_KEY = 'identity:skip-rate-limit';
export const RATE_LIMIT_AWAITED_BY_HANDLER_KEY = 'identity:rate-limit-awaited-by-handler';
export const VERIFIED_SESSION_KEY = 'identity:verified-session';

/** Open to anonymous callers. Everything else requires a signed-in principal (deny by default). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** The caller's role must hold this permission (see the matrix in libs/domain). */
export const RequirePermission = (permission: Permission) => SetMetadata(PERMISSION_KEY, permission);

/** Marks an operation any API key of the user may call, whatever its scopes (e.g. `me`). */
export const ANY_API_KEY_SCOPE = '*';

/** API keys may call this operation when they carry this scope; without it, keys are refused. */
export const ApiKeyScope = (scope: string) => SetMetadata(API_KEY_SCOPE_KEY, scope);

/**
 * A third-party tool holding a user's `VERIFIED-…` code may call this operation for that user.
 * Everywhere else such codes are refused as credentials.
 */
export const AcceptVerifiedSession = () => SetMetadata(VERIFIED_SESSION_KEY, true);

/**
 * REST sign-in routes: also limited per IP, more strictly than other calls. GraphQL fields are
 * listed in graphql/field-rate-limits.ts instead, so that each execution counts (aliases).
 */
export const AuthRateLimit = () => SetMetadata(AUTH_RATE_LIMIT_KEY, true);

/** Not counted against any rate limit (health checks, metrics scrapes, the console's HTML). */
export const SkipRateLimit = () => SetMetadata(SKIP_RATE_LIMIT_KEY, true);

/**
 * The rate-limit guard leaves the request's count to the handler: `req.countRequest()` starts it
 * (once) and gives its outcome, so that the handler sends it beside its own checks and their round
 * trips overlap (the AI gateway's routes pass it on as `AiCaller.countRequest`). Every path of such a
 * handler must await it before the work the limit guards; a request that never does is counted when
 * its response closes.
 */
export const RateLimitAwaitedByHandler = () => SetMetadata(RATE_LIMIT_AWAITED_BY_HANDLER_KEY, true);

export function requestOf(context: ExecutionContext): Request {
  return context.getType<string>() === 'graphql'
    ? GqlExecutionContext.create(context).getContext<{ req: Request }>().req
    : context.switchToHttp().getRequest<Request>();
}

export function responseOf(context: ExecutionContext): Response | undefined {
  return context.getType<string>() === 'graphql'
    ? GqlExecutionContext.create(context).getContext<{ res?: Response }>().res
    : context.switchToHttp().getResponse<Response>();
}

/** The authenticated caller (the guard guarantees one on non-public operations). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = requestOf(context).principal;
  if (!principal) throw new Error('CurrentPrincipal used on an operation without authentication');
  return principal;
});
