import { Injectable } from '@nestjs/common';
import { RefreshTokenStore } from '@sah/infrastructure';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../../../config/app-config';
import { RequestContext } from '../../../platform/http/request-context';
import { AccessTokens } from '../auth/access-tokens';
import { describeDevice } from './device-description';
import { randomToken, sha256 } from './secrets';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/**
 * Access JWT + opaque refresh token. Each sign-in starts a session: a refresh family, whose id the
 * access tokens carry (`sid`). Every refresh rotates; ending a session ends both kinds of token.
 */
@Injectable()
export class SessionTokens {
  constructor(
    private readonly accessTokens: AccessTokens,
    private readonly refreshTokens: RefreshTokenStore,
    private readonly config: AppConfig,
  ) {}

  async issue(userId: string): Promise<TokenPair> {
    const refreshToken = randomToken(32);
    const sessionId = randomUUID();
    await this.refreshTokens.insert({
      userId,
      familyId: sessionId,
      tokenHash: sha256(refreshToken),
      now: new Date(),
      ttlSeconds: this.config.identity.refreshTokenTtlSeconds,
      device: describeDevice(RequestContext.current()?.userAgent),
    });
    const access = await this.accessTokens.issue(userId, sessionId);
    return { accessToken: access.token, refreshToken, expiresIn: access.expiresIn };
  }

  async rotate(refreshToken: string): Promise<{ userId: string; tokens: TokenPair }> {
    const next = randomToken(32);
    const { userId, familyId } = await this.refreshTokens.rotate(
      sha256(refreshToken),
      sha256(next),
      new Date(),
      this.config.identity.refreshTokenTtlSeconds,
    );
    const access = await this.accessTokens.issue(userId, familyId);
    return { userId, tokens: { accessToken: access.token, refreshToken: next, expiresIn: access.expiresIn } };
  }

  /** Ends the session this refresh token belongs to, if it is the user's. */
  async endSessionOf(refreshToken: string, userId: string): Promise<void> {
    const sessionId = await this.refreshTokens.revokeFamilyOf(sha256(refreshToken), userId, new Date());
    if (sessionId) await this.accessTokens.endSession(sessionId);
  }

  /** Ends one session: its refresh tokens stop rotating and its access tokens are refused. */
  async endSession(userId: string, sessionId: string): Promise<void> {
    await this.refreshTokens.revokeFamily(sessionId, userId, new Date());
    await this.accessTokens.endSession(sessionId);
  }

  /**
   * Ends a session by its id if it is the user's and not ended yet; false otherwise, changing nothing
   * (an id someone else's session has must not end its access tokens).
   */
  async endOwnSession(userId: string, sessionId: string): Promise<boolean> {
    if (!(await this.refreshTokens.revokeFamily(sessionId, userId, new Date()))) return false;
    await this.accessTokens.endSession(sessionId);
    return true;
  }

  /** Ends every session of the user but `keepSessionId` (the caller's own, when it may stay). */
  async endAllSessions(userId: string, keepSessionId?: string): Promise<void> {
    const now = new Date();
    const accessTokensIssuedSince = new Date(now.getTime() - this.config.identity.accessTokenTtlSeconds * 1000);
    const withLiveAccessTokens = await this.refreshTokens.familiesActiveSince(userId, accessTokensIssuedSince);
    await this.refreshTokens.revokeAllForUser(userId, now, keepSessionId);
    for (const sessionId of withLiveAccessTokens) {
      if (sessionId !== keepSessionId) await this.accessTokens.endSession(sessionId);
    }
  }
}
