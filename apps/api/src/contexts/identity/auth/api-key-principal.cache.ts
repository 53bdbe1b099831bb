import { Injectable } from '@nestjs/common';
import type { ApiKeyEntity } from '@sah/infrastructure';
import type { AuthState } from './auth-state.cache';

/** How long a looked-up key and its owner's state serve this process: the bound on a change made elsewhere. */
export const API_KEY_PRINCIPAL_TTL_MS = 1_000;
/** A bound on memory, far above the keys one process sees in a second; past it the cache starts over. */
const MAX_ENTRIES = 10_000;

export interface CachedApiKey {
  key: ApiKeyEntity;
  owner: AuthState | null;
}

/**
 * API keys (by the secret's SHA-256) with their owner's role and status, kept in this process for a
 * second, so a busy key costs no database or Redis round trip per call. A change made through this
 * process (revocation, rotation, limits, suspension, role or status) drops the owner's entries at once;
 * one made through another instance applies here within API_KEY_PRINCIPAL_TTL_MS.
 */
@Injectable()
export class ApiKeyPrincipalCache {
  private readonly entries = new Map<string, CachedApiKey & { until: number }>();
  /** Moves on every change: a look-up that began before one must not cache what it read. */
  private generation = 0;

  /** Taken before reading a key from the database, handed back to `set`. */
  get current(): number {
    return this.generation;
  }

  get(keyHash: string, now: number): CachedApiKey | undefined {
    const entry = this.entries.get(keyHash);
    if (!entry) return undefined;
    if (entry.until > now) return entry;
    this.entries.delete(keyHash);
    return undefined;
  }

  set(keyHash: string, value: CachedApiKey, now: number, readAt: number): void {
    if (readAt !== this.generation) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(keyHash, { ...value, until: now + API_KEY_PRINCIPAL_TTL_MS });
  }

  forgetUser(userId: string): void {
    this.generation += 1;
    for (const [keyHash, entry] of this.entries) if (entry.key.userId === userId) this.entries.delete(keyHash);
  }
}
