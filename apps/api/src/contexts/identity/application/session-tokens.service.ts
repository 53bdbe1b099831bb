import { Injectable } from '@nestjs/common';
import { RefreshTokenStore } from '@sah/infrastructure';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../../../config/app-config';
import { AccessTokens } from '../auth/access-tokens';
import { randomToken, sha256 } from './secrets';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/** Access JWT + opaque refresh token. Each sign-in starts a refresh family; every refresh rotates. */
@Injectable()
export class SessionTokens {
  constructor(
    private readonly accessTokens: AccessTokens,
    private readonly refreshTokens: RefreshTokenStore,
    private readonly config: AppConfig,
  ) {}

  async issue(userId: string): Promise<TokenPair> {
    const refreshToken = randomToken(32);
    await this.refreshTokens.insert({
      userId,
      familyId: randomUUID(),
      tokenHash: sha256(refreshToken),
      now: new Date(),
      ttlSeconds: this.config.identity.refreshTokenTtlSeconds,
    });
    const access = await this.accessTokens.issue(userId);
    return { accessToken: access.token, refreshToken, expiresIn: access.expiresIn };
  }

  async rotate(refreshToken: string): Promise<{ userId: string; tokens: TokenPair }> {
    const next = randomToken(32);
    const { userId } = await this.refreshTokens.rotate(sha256(refreshToken), sha256(next), new Date(), this.config.identity.refreshTokenTtlSeconds);
    const access = await this.accessTokens.issue(userId);
    return { userId, tokens: { accessToken: access.token, refreshToken: next, expiresIn: access.expiresIn } };
  }

  revokeFamily(refreshToken: string, userId: string): Promise<void> {
    return this.refreshTokens.revokeFamilyOf(sha256(refreshToken), userId, new Date());
  }

  revokeAll(userId: string): Promise<void> {
    return this.refreshTokens.revokeAllForUser(userId, new Date());
  }
}
