import { Injectable } from '@nestjs/common';
import { DomainError } from '@sah/domain';
import { ExpiringSecretStore } from '@sah/infrastructure';
import Redis from 'ioredis';
import { randomToken, sha256 } from '../application/secrets';

const CODE_TTL_MS = 60_000;

/**
 * One-time codes that carry a Google sign-in to the console: tokens never appear in a URL, only this
 * code, which the console exchanges once, within a minute, for tokens. Stored by hash only.
 */
@Injectable()
export class ConsoleSignInCodes {
  private readonly codes: ExpiringSecretStore;

  constructor(redis: Redis) {
    this.codes = new ExpiringSecretStore(redis, 'identity:console-sign-in-code');
  }

  async issue(userId: string): Promise<string> {
    const code = randomToken(32);
    await this.codes.put(sha256(code), userId, CODE_TTL_MS);
    return code;
  }

  /** The user the code was issued to; the code is spent either way. */
  async redeem(code: string): Promise<string> {
    const userId = await this.codes.take(sha256(code));
    if (!userId)
      throw new DomainError(
        'UNAUTHENTICATED',
        'This sign-in code is invalid, used or expired: sign in again',
      );
    return userId;
  }
}
