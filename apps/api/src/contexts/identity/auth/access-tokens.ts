import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DomainError } from '@sah/domain';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../../../config/app-config';

interface AccessClaims {
  sub: string;
  jti: string;
  exp: number;
}

/** Short-lived JWT access tokens: HS256 only, issuer and audience checked, revocable by `jti`. */
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
    const { jwtSecret, jwtIssuer, jwtAudience } = this.config.identity;
    let claims: AccessClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessClaims>(token, {
        secret: jwtSecret,
        algorithms: ['HS256'],
        issuer: jwtIssuer,
        audience: jwtAudience,
      });
    } catch {
      throw new DomainError('UNAUTHENTICATED', 'Access token is invalid or expired');
    }
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
