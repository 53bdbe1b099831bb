import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DomainError } from '@sah/domain';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../../../config/app-config';

export interface AccessClaims {
  sub: string;
  jti: string;
  iat: number;
  exp: number;
}

/**
 * Short-lived JWT access tokens, revocable by `jti`. The verifier pins everything it can: HS256 only,
 * issuer and audience, and the claims every token we issue carries. A token without `exp` (or with
 * one further away than our lifetime) is refused even when signed with the real secret.
 */
@Injectable()
export class AccessTokens {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly redis: Redis,
  ) {}

  async issue(userId: string): Promise<{ token: string; expiresIn: number }> {
    const { jwtSecret, jwtIssuer, jwtAudience, accessTokenTtlSeconds } = this.config.identity;
    const token = await this.jwt.signAsync(
      { sub: userId, jti: randomUUID() },
      { secret: jwtSecret, algorithm: 'HS256', expiresIn: accessTokenTtlSeconds, issuer: jwtIssuer, audience: jwtAudience },
    );
    return { token, expiresIn: accessTokenTtlSeconds };
  }

  async verify(token: string): Promise<AccessClaims> {
    const { jwtSecret, jwtIssuer, jwtAudience, accessTokenTtlSeconds } = this.config.identity;
    let claims: Partial<AccessClaims>;
    try {
      claims = await this.jwt.verifyAsync<Partial<AccessClaims>>(token, {
        secret: jwtSecret,
        algorithms: ['HS256'],
        issuer: jwtIssuer,
        audience: jwtAudience,
        // Needs `iat`, and refuses a token issued longer ago than any token we issue may live.
        maxAge: accessTokenTtlSeconds,
      });
    } catch {
      throw invalidToken();
    }
    // We never issue a token that lives longer than the configured lifetime.
    if (!isAccessClaims(claims) || claims.exp - claims.iat > accessTokenTtlSeconds) throw invalidToken();
    if (await this.redis.exists(deniedKey(claims.jti))) {
      throw new DomainError('UNAUTHENTICATED', 'Access token was revoked');
    }
    return claims;
  }

  /** Refuses this token until it would have expired anyway. */
  async deny(jti: string, expiresAt: number): Promise<void> {
    const ttlMs = expiresAt * 1000 - Date.now();
    if (ttlMs > 0) await this.redis.set(deniedKey(jti), '1', 'PX', ttlMs);
  }
}

const deniedKey = (jti: string) => `identity:denied-jti:${jti}`;
const invalidToken = () => new DomainError('UNAUTHENTICATED', 'Access token is invalid or expired');

/** `exp` is required: jsonwebtoken accepts a token without one as never expiring. */
function isAccessClaims(claims: Partial<AccessClaims>): claims is AccessClaims {
  return (
    typeof claims.sub === 'string' &&
    claims.sub.length > 0 &&
    typeof claims.jti === 'string' &&
    claims.jti.length > 0 &&
    typeof claims.iat === 'number' &&
    typeof claims.exp === 'number'
  );
}
