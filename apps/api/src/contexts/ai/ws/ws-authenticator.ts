import { Injectable } from '@nestjs/common';
import { can, Credits, DomainError, Role } from '@sah/domain';
import type { IncomingMessage } from 'node:http';
import { ApiKeysService } from '../../identity/application/api-keys.service';
import { AccessTokens } from '../../identity/auth/access-tokens';
import { AuthStateCache } from '../../identity/auth/auth-state.cache';

/** Who holds a /ws/mcp connection, and the credential it was opened with (re-checked per request). */
export interface WsPrincipal {
  userId: string;
  role: Role;
  apiKeyId: string | null;
  /** The API key's own limit, if any. */
  apiKeyRequestsPerMinute: number | null;
  apiKeyMonthlyCreditBudget: Credits | null;
  apiKeyTokensPerMinute: number | null;
  apiKeyTeamId: string | null;
  credential: string;
}

const AI_SCOPE = 'ai.use';

/**
 * Guards do not run on WebSocket upgrades, so the connection authenticates here with the same rules
 * as the HTTP guard for `@RequirePermission('ai:use') @ApiKeyScope('ai.use')`: a JWT access token or
 * an API key with the ai.use scope; the account must be active and its role allowed to use AI.
 */
@Injectable()
export class WsAuthenticator {
  constructor(
    private readonly accessTokens: AccessTokens,
    private readonly apiKeys: ApiKeysService,
    private readonly authState: AuthStateCache,
  ) {}

  /** `Authorization: Bearer …`, else `?token=` for clients (browsers) that cannot set headers. */
  static credentialOf(req: IncomingMessage): string | undefined {
    const match = req.headers.authorization ? /^Bearer\s+(\S+)$/i.exec(req.headers.authorization) : null;
    if (match?.[1]) return match[1];
    const token = new URL(req.url ?? '/', 'http://localhost').searchParams.get('token');
    return token || undefined;
  }

  /**
   * Throws UNAUTHENTICATED or FORBIDDEN. Run at connect and again before every request, so a revoked
   * key, an expired or logged-out token, a suspension or a role change applies to open connections.
   */
  async authenticate(credential: string | undefined): Promise<WsPrincipal> {
    if (!credential) {
      throw new DomainError('UNAUTHENTICATED', 'Send Authorization: Bearer <access token or API key>, or ?token=');
    }
    let userId: string;
    let sessionOpen: Promise<void> | null = null;
    let apiKeyId: string | null = null;
    let apiKeyRequestsPerMinute: number | null = null;
    let apiKeyMonthlyCreditBudget: Credits | null = null;
    let apiKeyTokensPerMinute: number | null = null;
    let apiKeyTeamId: string | null = null;
    if (ApiKeysService.looksLikeApiKey(credential)) {
      const key = await this.apiKeys.authenticate(credential);
      if (!key) throw new DomainError('UNAUTHENTICATED', 'API key is invalid, expired or revoked');
      if (!key.scopes.includes(AI_SCOPE)) throw new DomainError('FORBIDDEN', `This API key lacks the ${AI_SCOPE} scope`);
      userId = key.userId;
      apiKeyId = key.id;
      apiKeyRequestsPerMinute = key.requestsPerMinute;
      apiKeyMonthlyCreditBudget = key.monthlyCreditBudget;
      apiKeyTokensPerMinute = key.tokensPerMinute;
      apiKeyTeamId = key.teamId;
    } else {
      // Session codes (VERIFIED-…) and anything else fail here like a bad token.
      const claims = await this.accessTokens.claimsOf(credential);
      userId = claims.sub;
      sessionOpen = this.accessTokens.assertSessionOpen(claims.sid);
    }
    // A token's session is checked beside the account's state: one wait for both.
    const [state] = await Promise.all([this.authState.get(userId), sessionOpen]);
    if (!state || !state.active) throw new DomainError('UNAUTHENTICATED', 'This account cannot sign in');
    if (!can(state.role, 'ai:use')) throw new DomainError('FORBIDDEN', 'Your role does not allow this', { permission: 'ai:use' });
    return { userId, role: state.role, apiKeyId, apiKeyRequestsPerMinute, apiKeyMonthlyCreditBudget, apiKeyTokensPerMinute, apiKeyTeamId, credential };
  }
}
