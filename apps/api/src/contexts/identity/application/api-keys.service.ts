import { Injectable } from '@nestjs/common';
import { can, DomainError } from '@sah/domain';
import { ApiKeyEntity, ApiKeyRepository } from '@sah/infrastructure';
import { isUUID } from 'class-validator';
import { randomUUID } from 'node:crypto';
import type { Principal } from '../../../platform/auth/principal';
import { AuditLog } from './audit-log.service';
import { randomToken, sha256 } from './secrets';

export const API_KEY_SCOPES = ['ai.use', 'credits.read', 'media.create', 'partner.credits'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

const DEFAULT_LIFETIME_DAYS = 90;
const SECRET_PREFIX = 'sah_';

export interface AuthenticatedKey {
  id: string;
  userId: string;
  scopes: string[];
}

const TOUCH_EVERY_MS = 60_000;

@Injectable()
export class ApiKeysService {
  /** When this process last recorded each key's use. */
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly audit: AuditLog,
  ) {}

  static looksLikeApiKey(token: string): boolean {
    return token.startsWith(SECRET_PREFIX);
  }

  /** Returns the secret once; only its SHA-256 is stored, and its first characters to recognise it. */
  async create(
    principal: Principal,
    input: { name: string; scopes: string[]; expiresInDays?: number },
  ): Promise<{ key: ApiKeyEntity; secret: string }> {
    const scopes = [...new Set(input.scopes)];
    const unknown = scopes.filter((scope) => !(API_KEY_SCOPES as readonly string[]).includes(scope));
    if (scopes.length === 0 || unknown.length > 0) {
      throw DomainError.badInput(`Scopes must be some of ${API_KEY_SCOPES.join(', ')}`, { unknown });
    }
    if (scopes.includes('partner.credits') && !can(principal.role, 'partner-keys:grant')) {
      throw new DomainError('FORBIDDEN', 'Only administrators can create keys with the partner.credits scope');
    }
    const name = input.name.trim();
    if (name.length < 1 || name.length > 100) throw DomainError.badInput('Name must be 1 to 100 characters', { field: 'name' });
    const days = input.expiresInDays ?? DEFAULT_LIFETIME_DAYS;
    if (!Number.isInteger(days) || days < 1 || days > 365) throw DomainError.badInput('expiresInDays must be 1 to 365');

    const secret = `${SECRET_PREFIX}${randomToken(32)}`;
    const now = new Date();
    const key: ApiKeyEntity = {
      id: randomUUID(),
      userId: principal.userId,
      name,
      prefix: secret.slice(0, 12),
      keyHash: sha256(secret),
      scopes,
      createdAt: now,
      expiresAt: new Date(now.getTime() + days * 86_400_000),
      lastUsedAt: null,
      revokedAt: null,
    };
    await this.keys.insert(key);
    await this.audit.record(principal.userId, 'api_key.created', { targetType: 'api_key', targetId: key.id, details: { scopes } });
    return { key, secret };
  }

  async authenticate(secret: string): Promise<AuthenticatedKey | null> {
    const now = new Date();
    const key = await this.keys.findUsable(sha256(secret), now);
    if (!key) return null;
    // Record use at most once a minute per key and process: a hot partner key must not write (or
    // even ask Redis) on every call.
    if (now.getTime() - (this.touched.get(key.id) ?? 0) >= TOUCH_EVERY_MS) {
      this.touched.set(key.id, now.getTime());
      await this.keys.touch(key.id, now);
    }
    return { id: key.id, userId: key.userId, scopes: key.scopes };
  }

  list(userId: string): Promise<ApiKeyEntity[]> {
    return this.keys.listForUser(userId);
  }

  /** A new secret for the same name and scopes, valid as long as the old one was; the old one dies. */
  async rotate(principal: Principal, id: string): Promise<{ key: ApiKeyEntity; secret: string }> {
    const old = isUUID(id) ? await this.keys.findLiveForUser(id, principal.userId) : null;
    if (!old) throw DomainError.notFound('API key', { id });
    const lifetimeDays = Math.max(1, Math.min(365, Math.round((old.expiresAt.getTime() - old.createdAt.getTime()) / 86_400_000)));
    const created = await this.create(principal, { name: old.name, scopes: old.scopes, expiresInDays: lifetimeDays });
    await this.keys.revoke(old.id, principal.userId, new Date());
    await this.audit.record(principal.userId, 'api_key.rotated', { targetType: 'api_key', targetId: old.id, details: { replacedBy: created.key.id } });
    return created;
  }

  async revoke(principal: Principal, id: string): Promise<void> {
    if (!isUUID(id) || !(await this.keys.revoke(id, principal.userId, new Date()))) throw DomainError.notFound('API key', { id });
    await this.audit.record(principal.userId, 'api_key.revoked', { targetType: 'api_key', targetId: id });
  }
}
