import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { trace } from '@opentelemetry/api';
import { can, DomainError, Permission } from '@sah/domain';
import type { Request } from 'express';
import {
  ANY_API_KEY_SCOPE,
  API_KEY_SCOPE_KEY,
  PERMISSION_KEY,
  PUBLIC_KEY,
  requestOf,
  VERIFIED_SESSION_KEY,
} from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { inSpan } from '../../../platform/tracing/in-span';
import { ApiKeysService } from '../application/api-keys.service';
import { VerifiedSessions } from '../sessions/verified-sessions.service';
import { AccessTokens } from './access-tokens';
import { AuthStateCache } from './auth-state.cache';

/**
 * Global guard, deny by default: every operation needs a principal unless marked @Public. The bearer
 * is a JWT access token or an API key; role and status are re-read (cached) on every request.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly accessTokens: AccessTokens,
    private readonly apiKeys: ApiKeysService,
    private readonly authState: AuthStateCache,
    private readonly verifiedSessions: VerifiedSessions,
  ) {}

  canActivate(context: ExecutionContext): Promise<boolean> {
    // Its own span: a slow key look-up or auth-state read shows apart from the work it guards.
    return inSpan('auth', {}, () => this.check(context));
  }

  private async check(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) ?? false;
    const req = requestOf(context) as Request | undefined;
    const bearer = req ? bearerToken(req) : undefined;

    if (!bearer || !req) {
      if (isPublic) return true;
      throw new DomainError('UNAUTHENTICATED', 'Sign in first: send Authorization: Bearer <token>');
    }
    if (bearer.startsWith(VERIFIED_PREFIX)) {
      const acceptsSession = this.reflector.getAllAndOverride<boolean>(VERIFIED_SESSION_KEY, targets) ?? false;
      // Public routes that read the code themselves (session verification) must not pay for it twice.
      if (!acceptsSession) {
        if (isPublic) return true;
        throw new DomainError('UNAUTHENTICATED', 'A session code cannot be used here: sign in or use an API key');
      }
    }
    try {
      req.principal ??= await this.authenticate(bearer);
    } catch (error) {
      // A stale token must not lock a caller out of public operations such as login.
      if (isPublic) return true;
      throw error;
    }

    const principal = req.principal;
    trace.getActiveSpan()?.setAttribute('sah.auth.via', principal.via);
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION_KEY, targets);
    if (permission && !can(principal.role, permission)) {
      throw new DomainError('FORBIDDEN', 'Your role does not allow this', { permission });
    }
    if (principal.via === 'api_key' && !isPublic) this.assertKeyMayCall(principal, context);
    return true;
  }

  /** `principal.scopes` are already cut down to what the key's owner may grant today. */
  private assertKeyMayCall(principal: Principal, context: ExecutionContext): void {
    const scope = this.reflector.getAllAndOverride<string | undefined>(API_KEY_SCOPE_KEY, [context.getHandler(), context.getClass()]);
    if (!scope) throw new DomainError('FORBIDDEN', 'API keys cannot call this operation');
    const allowed = scope === ANY_API_KEY_SCOPE ? principal.scopes.length > 0 : principal.scopes.includes(scope);
    if (!allowed) {
      const what = scope === ANY_API_KEY_SCOPE ? 'any usable scope' : `the ${scope} scope`;
      throw new DomainError('FORBIDDEN', `This API key lacks ${what}, or its owner's role no longer allows it`, { scope });
    }
  }

  private async authenticate(bearer: string): Promise<Principal> {
    if (bearer.startsWith(VERIFIED_PREFIX)) {
      const user = await this.verifiedSessions.verify(bearer).catch((error: unknown) => {
        // As a credential, an unknown code is simply not one: 401, like any bad bearer.
        throw error instanceof DomainError && error.code === 'NOT_FOUND'
          ? new DomainError('UNAUTHENTICATED', 'Unknown session code')
          : error;
      });
      return this.principalFor(user.id, { via: 'verified_session', scopes: [] });
    }
    if (ApiKeysService.looksLikeApiKey(bearer)) {
      const key = await this.apiKeys.authenticate(bearer);
      if (!key) throw new DomainError('UNAUTHENTICATED', 'API key is invalid, expired or revoked');
      // authenticate() has read the owner's current role and status already.
      return {
        userId: key.userId,
        role: key.role,
        via: 'api_key',
        scopes: key.scopes,
        apiKeyId: key.id,
        apiKeyRequestsPerMinute: key.requestsPerMinute,
        apiKeyMonthlyCreditBudget: key.monthlyCreditBudget,
        apiKeyTokensPerMinute: key.tokensPerMinute,
        apiKeyTeamId: key.teamId,
      };
    }
    const claims = await this.accessTokens.claimsOf(bearer);
    // Whether the session was signed out and the account's state are independent reads: one wait for both.
    const [principal] = await Promise.all([
      this.principalFor(claims.sub, { via: 'access_token', scopes: [], sessionId: claims.sid }),
      this.accessTokens.assertSessionOpen(claims.sid),
    ]);
    return principal;
  }

  private async principalFor(userId: string, rest: Omit<Principal, 'userId' | 'role'>): Promise<Principal> {
    const state = await this.authState.get(userId);
    if (!state || !state.active) throw new DomainError('UNAUTHENTICATED', 'This account cannot sign in');
    return { userId, role: state.role, ...rest };
  }
}

const VERIFIED_PREFIX = 'VERIFIED-';

/**
 * `Authorization: Bearer …`, Anthropic's `x-api-key` or Gemini's `x-goog-api-key` header, so their
 * SDKs work unchanged; on the Gemini paths also Google's `?key=` (which logs and traces mask).
 */
function bearerToken(req: Request): string | undefined {
  const header = req.headers?.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  const apiKey = req.headers?.['x-api-key'] ?? req.headers?.['x-goog-api-key'];
  const queryKey = req.path?.startsWith('/v1beta/') ? req.query?.['key'] : undefined;
  return match?.[1] ?? ([apiKey, queryKey].find((key): key is string => typeof key === 'string' && key !== '') || undefined);
}
