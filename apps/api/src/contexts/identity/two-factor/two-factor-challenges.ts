import { Injectable } from '@nestjs/common';
import { DomainError } from '@sah/domain';
import { ExpiringSecretStore } from '@sah/infrastructure';
import Redis from 'ioredis';
import { randomToken, sha256 } from '../application/secrets';
import type { ReturnTarget } from '../oauth/google-sign-in-request';

export const CHALLENGE_TTL_SECONDS = 5 * 60;

/** `sign_in`: the user has a second factor to present. `enrol`: policy requires one first. */
export type ChallengePurpose = 'sign_in' | 'enrol';

export interface Challenge {
  userId: string;
  purpose: ChallengePurpose;
  /** How the first factor was proved ('password', 'google'), for the audit entry of the sign-in. */
  method: string;
  /** A Google sign-in for a third-party tool: the VERIFIED code it ends with is for this session. */
  externalSession?: { id: string; returnTo?: ReturnTarget };
}

export interface IssuedChallenge {
  token: string;
  purpose: ChallengePurpose;
  expiresIn: number;
}

/**
 * The short-lived token between the first factor and the second: it proves the password (or Google)
 * was right, and nothing more. Stored by hash; spent when the sign-in completes.
 */
@Injectable()
export class TwoFactorChallenges {
  private readonly store: ExpiringSecretStore;

  constructor(redis: Redis) {
    this.store = new ExpiringSecretStore(redis, 'identity:two-factor-challenge');
  }

  async issue(challenge: Challenge): Promise<IssuedChallenge> {
    const token = randomToken(32);
    await this.store.put(sha256(token), JSON.stringify(challenge), CHALLENGE_TTL_SECONDS * 1000);
    return { token, purpose: challenge.purpose, expiresIn: CHALLENGE_TTL_SECONDS };
  }

  async read(token: string, purpose: ChallengePurpose): Promise<Challenge> {
    const stored = await this.store.get(sha256(token));
    const challenge = stored ? (JSON.parse(stored) as Challenge) : null;
    if (!challenge || challenge.purpose !== purpose) throw expired();
    return challenge;
  }

  /** Spends the token; only one of two concurrent completions gets it. */
  async spend(token: string): Promise<void> {
    if (!(await this.store.take(sha256(token)))) throw expired();
  }

  discard(token: string): Promise<void> {
    return this.store.delete(sha256(token));
  }
}

const expired = () =>
  new DomainError('UNAUTHENTICATED', 'This sign-in step is invalid or expired: sign in again');
