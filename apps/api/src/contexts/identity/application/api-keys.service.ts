import { Injectable } from '@nestjs/common';
import { API_KEY_SCOPES, Credits, DomainError, effectiveApiKeyScopes, isApiKeyScope, mayGrantApiKeyScope, Role } from '@sah/domain';
import { ApiKeyEntity, ApiKeyLimits, ApiKeyRepository, TeamRepository } from '@sah/infrastructure';
import { isUUID } from 'class-validator';
import { randomUUID } from 'node:crypto';
import type { Principal } from '../../../platform/auth/principal';
import { ApiKeyPrincipalCache } from '../auth/api-key-principal.cache';
import { AuthStateCache } from '../auth/auth-state.cache';
import { AuditLog } from './audit-log.service';
import { randomToken, sha256 } from './secrets';

const DEFAULT_LIFETIME_DAYS = 90;
const SECRET_PREFIX = 'sah_';

export interface AuthenticatedKey {
  id: string;
  userId: string;
  /** The owner's current role, with which the key acts. */
  role: Role;
  /** The key's scopes that its owner's current role may still grant: what the key may do now. */
  scopes: string[];
  /** The key's own limit (beside its owner's role limit), or null. */
  requestsPerMinute: number | null;
  monthlyCreditBudget: Credits | null;
  tokensPerMinute: number | null;
  /** The team whose wallet the key's calls spend, or null for its owner's own credits. */
  teamId: string | null;
}

/** The limits as their owner sends them: whole credits per month; undefined keeps, null removes. */
export interface ApiKeyLimitsInput {
  requestsPerMinute?: number | null;
  monthlyCreditBudget?: number | null;
  tokensPerMinute?: number | null;
}

export const MAX_API_KEY_REQUESTS_PER_MINUTE = 1_000_000;
export const MAX_API_KEY_MONTHLY_CREDIT_BUDGET = 1_000_000_000;
export const MAX_API_KEY_TOKENS_PER_MINUTE = 100_000_000;

const TOUCH_EVERY_MS = 60_000;

@Injectable()
export class ApiKeysService {
  /** When this process last recorded each key's use. */
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly audit: AuditLog,
    private readonly authState: AuthStateCache,
    private readonly teams: TeamRepository,
    private readonly principals: ApiKeyPrincipalCache,
  ) {}

  static looksLikeApiKey(token: string): boolean {
    return token.startsWith(SECRET_PREFIX);
  }

  /** Returns the secret once; only its SHA-256 is stored, and its first characters to recognise it. */
  async create(
    principal: Principal,
    input: { name: string; scopes: string[]; expiresInDays?: number; teamId?: string | null } & ApiKeyLimitsInput,
  ): Promise<{ key: ApiKeyEntity; secret: string }> {
    const scopes = [...new Set(input.scopes)];
    const unknown = scopes.filter((scope) => !isApiKeyScope(scope));
    if (scopes.length === 0 || unknown.length > 0) {
      throw DomainError.badInput(`Scopes must be some of ${API_KEY_SCOPES.join(', ')}`, { unknown });
    }
    const refused = scopes.filter((scope) => !mayGrantApiKeyScope(principal.role, scope));
    if (refused.length > 0) {
      throw new DomainError('FORBIDDEN', `Your role cannot grant ${refused.join(', ')}`, { scopes: refused });
    }
    const name = input.name.trim();
    if (name.length < 1 || name.length > 100) throw DomainError.badInput('Name must be 1 to 100 characters', { field: 'name' });
    const days = input.expiresInDays ?? DEFAULT_LIFETIME_DAYS;
    if (!Number.isInteger(days) || days < 1 || days > 365) throw DomainError.badInput('expiresInDays must be 1 to 365');
    const limits = checkedLimits(input, { requestsPerMinute: null, monthlyCreditBudget: null, tokensPerMinute: null });
    const teamId = input.teamId ?? null;
    // Any member may spend in the team's name (within the limits its managers set); others do not see the team.
    if (teamId && !(isUUID(teamId) && (await this.teams.memberships({ userId: principal.userId })).some((m) => m.teamId === teamId))) {
      throw DomainError.notFound('Team', { id: teamId });
    }

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
      suspendedAt: null,
      ...limits,
      teamId,
    };
    await this.keys.insert(key);
    await this.audit.record(principal.userId, 'api_key.created', { targetType: 'api_key', targetId: key.id, details: { scopes, ...limitsForAudit(limits), ...(teamId ? { teamId } : {}) } });
    return { key, secret };
  }

  /**
   * The key behind a secret (null if none is usable), acting with its owner's CURRENT rights: every
   * credential path (HTTP guard, WebSockets) goes through here, so no key outlives its owner's role.
   * Throws FORBIDDEN for a suspended key and UNAUTHENTICATED when the owner may not sign in.
   */
  async authenticate(secret: string): Promise<AuthenticatedKey | null> {
    const now = new Date();
    const keyHash = sha256(secret);
    const cached = this.principals.get(keyHash, now.getTime());
    const readAt = this.principals.current;
    const key = cached ? cached.key : await this.keys.findUsable(keyHash, now);
    if (!key || key.expiresAt <= now) return null;
    // Record use at most once a minute per key and process: a hot partner key must not write (or
    // even ask Redis) on every call.
    if (now.getTime() - (this.touched.get(key.id) ?? 0) >= TOUCH_EVERY_MS) {
      this.touched.set(key.id, now.getTime());
      await this.keys.touch(key.id, now);
    }
    if (key.suspendedAt) {
      throw new DomainError('FORBIDDEN', "This API key is suspended: its owner's role no longer allows its scopes", { api_key_id: key.id });
    }
    const owner = cached ? cached.owner : await this.authState.get(key.userId);
    if (!cached) this.principals.set(keyHash, { key, owner }, now.getTime(), readAt);
    if (!owner?.active) throw new DomainError('UNAUTHENTICATED', 'This account cannot sign in');
    return {
      id: key.id,
      userId: key.userId,
      role: owner.role,
      scopes: effectiveApiKeyScopes(owner.role, key.scopes),
      requestsPerMinute: key.requestsPerMinute,
      monthlyCreditBudget: key.monthlyCreditBudget,
      tokensPerMinute: key.tokensPerMinute,
      teamId: key.teamId,
    };
  }

  /**
   * After the owner's role changed: suspends, with an audit entry each, the keys carrying a scope the
   * new role may not grant. Not undone by a later promotion: the owner rotates the key instead.
   */
  async suspendUngrantable(userId: string, role: Role, actorId: string): Promise<void> {
    const now = new Date();
    const affected = (await this.keys.listUsableForUser(userId, now))
      .map((key) => ({ key, lost: key.scopes.filter((scope) => !mayGrantApiKeyScope(role, scope)) }))
      .filter(({ lost }) => lost.length > 0);
    await this.keys.suspend(
      affected.map(({ key }) => key.id),
      now,
    );
    this.principals.forgetUser(userId);
    for (const { key, lost } of affected) {
      await this.audit.record(actorId, 'api_key.suspended', { targetType: 'api_key', targetId: key.id, details: { ownerId: userId, role, scopes: lost } });
    }
  }

  list(userId: string): Promise<ApiKeyEntity[]> {
    return this.keys.listForUser(userId);
  }

  /** A new secret for the same name and scopes, valid as long as the old one was; the old one dies. */
  async rotate(principal: Principal, id: string): Promise<{ key: ApiKeyEntity; secret: string }> {
    const old = isUUID(id) ? await this.keys.findLiveForUser(id, principal.userId) : null;
    if (!old) throw DomainError.notFound('API key', { id });
    const lifetimeDays = Math.max(1, Math.min(365, Math.round((old.expiresAt.getTime() - old.createdAt.getTime()) / 86_400_000)));
    const created = await this.create(principal, {
      name: old.name,
      scopes: old.scopes,
      expiresInDays: lifetimeDays,
      requestsPerMinute: old.requestsPerMinute,
      // Budgets are set in whole credits. The month's spend so far stays with the old key's id.
      monthlyCreditBudget: old.monthlyCreditBudget?.toNumber() ?? null,
      tokensPerMinute: old.tokensPerMinute,
      teamId: old.teamId,
    });
    await this.keys.revoke(old.id, principal.userId, new Date());
    this.principals.forgetUser(principal.userId);
    await this.audit.record(principal.userId, 'api_key.rotated', { targetType: 'api_key', targetId: old.id, details: { replacedBy: created.key.id } });
    return created;
  }

  /** Changes a live key's own limits (a limit left undefined stays as it is); applies from its next request. */
  async setLimits(principal: Principal, id: string, input: ApiKeyLimitsInput): Promise<ApiKeyEntity> {
    const key = isUUID(id) ? await this.keys.findLiveForUser(id, principal.userId) : null;
    if (!key) throw DomainError.notFound('API key', { id });
    const limits = checkedLimits(input, limitsOf(key));
    if (!(await this.keys.setLimits(id, principal.userId, limits))) throw DomainError.notFound('API key', { id });
    this.principals.forgetUser(principal.userId);
    await this.audit.record(principal.userId, 'api_key.limits_changed', {
      targetType: 'api_key',
      targetId: id,
      details: { from: limitsForAudit(limitsOf(key)), to: limitsForAudit(limits) },
    });
    return { ...key, ...limits };
  }

  async revoke(principal: Principal, id: string): Promise<void> {
    if (!isUUID(id) || !(await this.keys.revoke(id, principal.userId, new Date()))) throw DomainError.notFound('API key', { id });
    this.principals.forgetUser(principal.userId);
    await this.audit.record(principal.userId, 'api_key.revoked', { targetType: 'api_key', targetId: id });
  }
}

function limitsOf(key: ApiKeyEntity): ApiKeyLimits {
  return { requestsPerMinute: key.requestsPerMinute, monthlyCreditBudget: key.monthlyCreditBudget, tokensPerMinute: key.tokensPerMinute };
}

/** The limits after `input` (undefined keeps `current`, null removes); whole numbers in range only. */
function checkedLimits(input: ApiKeyLimitsInput, current: ApiKeyLimits): ApiKeyLimits {
  const requestsPerMinute = checkedWhole('requestsPerMinute', input.requestsPerMinute, MAX_API_KEY_REQUESTS_PER_MINUTE, current.requestsPerMinute);
  const budget = checkedWhole('monthlyCreditBudget', input.monthlyCreditBudget, MAX_API_KEY_MONTHLY_CREDIT_BUDGET, undefined);
  const tokensPerMinute = checkedWhole('tokensPerMinute', input.tokensPerMinute, MAX_API_KEY_TOKENS_PER_MINUTE, current.tokensPerMinute);
  return {
    requestsPerMinute: requestsPerMinute ?? null,
    monthlyCreditBudget: budget === undefined ? current.monthlyCreditBudget : budget === null ? null : Credits.whole(budget),
    tokensPerMinute: tokensPerMinute ?? null,
  };
}

function checkedWhole<T>(field: string, value: number | null | undefined, max: number, current: T): number | null | T {
  if (value === undefined) return current;
  if (value !== null && (!Number.isInteger(value) || value < 1 || value > max)) {
    throw DomainError.badInput(`${field} must be a whole number from 1 to ${max}, or null for none`, { field });
  }
  return value;
}

function limitsForAudit(limits: ApiKeyLimits) {
  return { ...limits, monthlyCreditBudget: limits.monthlyCreditBudget?.toNumber() ?? null };
}
