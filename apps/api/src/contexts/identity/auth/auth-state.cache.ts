import { Injectable } from '@nestjs/common';
import { Role, UserRepository } from '@sah/domain';
import Redis from 'ioredis';
import { ApiKeyPrincipalCache } from './api-key-principal.cache';

export interface AuthState {
  role: Role;
  active: boolean;
}

const TTL_SECONDS = 300;
const key = (userId: string) => `identity:auth-state:${userId}`;

/**
 * Role and status per user, read on every authenticated request so a role change or suspension
 * applies at once. Cached in Redis (shared by all instances) and dropped whenever it changes.
 */
@Injectable()
export class AuthStateCache {
  constructor(
    private readonly redis: Redis,
    private readonly users: UserRepository,
    private readonly apiKeyPrincipals: ApiKeyPrincipalCache,
  ) {}

  async get(userId: string): Promise<AuthState | null> {
    const cached = await this.redis.get(key(userId));
    if (cached) return JSON.parse(cached) as AuthState;
    const user = await this.users.findById(userId);
    if (!user) return null;
    const state: AuthState = { role: user.role, active: user.mayAct };
    await this.redis.set(key(userId), JSON.stringify(state), 'EX', TTL_SECONDS);
    return state;
  }

  async invalidate(userId: string): Promise<void> {
    this.apiKeyPrincipals.forgetUser(userId);
    await this.redis.del(key(userId));
  }
}
