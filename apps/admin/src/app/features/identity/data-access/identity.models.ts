import type { Role } from '../../../core/auth/auth.models';

/** Hand-written to match apps/api/schema.graphql (types `User`, `ApiKey`, `AuditEntry`, …). */

export type UserStatus = 'active' | 'suspended';
export const USER_STATUSES: readonly UserStatus[] = ['active', 'suspended'];

export interface IdentityUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly roles: readonly Role[];
  readonly emailVerified: boolean;
  readonly status: UserStatus;
  /** ISO date-time. */
  readonly createdAt: string;
}

export interface PageInfo {
  readonly page: number;
  readonly perPage: number;
  readonly total: number;
  readonly totalPages: number;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly pageInfo: PageInfo;
}

/** `UsersFilterInput`; absent fields are not sent. */
export interface UsersFilter {
  readonly search?: string;
  readonly role?: Role;
  readonly status?: UserStatus;
  readonly page?: number;
  /** At most 100. */
  readonly perPage?: number;
}

export interface ApiKey {
  readonly id: string;
  readonly name: string;
  /** The first characters of the secret, to recognise it. */
  readonly prefix: string;
  readonly scopes: readonly string[];
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

export interface CreatedApiKey {
  readonly apiKey: ApiKey;
  /** Shown once: the API stores only its hash. */
  readonly secret: string;
}

export type ApiKeyScope = 'ai.use' | 'credits.read' | 'media.create' | 'partner.credits';

export interface CreateApiKeyInput {
  readonly name: string;
  readonly scopes: readonly ApiKeyScope[];
  /** 1–365, the API defaults to 90. */
  readonly expiresInDays?: number;
}

export interface ApiKeyScopeOption {
  readonly scope: ApiKeyScope;
  readonly description: string;
  /** partner.credits: the API refuses it to roles without `partner-keys:grant`. */
  readonly adminOnly: boolean;
}

export const API_KEY_SCOPES: readonly ApiKeyScopeOption[] = [
  { scope: 'ai.use', description: 'Call AI models through the gateway', adminOnly: false },
  { scope: 'credits.read', description: 'Read the credit balance and history', adminOnly: false },
  { scope: 'media.create', description: 'Create image and video jobs', adminOnly: false },
  { scope: 'partner.credits', description: 'Partner API: check and deduct users’ credits', adminOnly: true },
];

export interface AuditEntry {
  readonly id: string;
  readonly occurredAt: string;
  readonly actorId: string | null;
  readonly action: string;
  readonly targetType: string | null;
  readonly targetId: string | null;
  readonly ip: string | null;
  readonly requestId: string | null;
  readonly details: Readonly<Record<string, unknown>>;
}

/** `AuditLogFilterInput`; absent fields are not sent. */
export interface AuditLogFilter {
  readonly action?: string;
  readonly actorId?: string;
  readonly targetId?: string;
  /** ISO date-time, inclusive. */
  readonly from?: string;
  /** ISO date-time, inclusive. */
  readonly to?: string;
  readonly page?: number;
  /** At most 200. */
  readonly perPage?: number;
}

/** A VERIFIED session of a third-party tool, opened by the signed-in account (`VerifiedSession`). */
export interface VerifiedSession {
  readonly id: string;
  /** The id the tool passed as ?session=. */
  readonly externalSessionId: string;
  readonly createdAt: string;
  readonly expiresAt: string;
}

export type TeamRole = 'member' | 'manager';
export const TEAM_ROLES: readonly TeamRole[] = ['member', 'manager'];
export const TEAM_ROLE_LABELS: Readonly<Record<TeamRole, string>> = { member: 'Member', manager: 'Manager' };

export interface TeamMember {
  readonly userId: string;
  /** "member" or "manager". */
  readonly role: string;
  readonly addedAt: string;
}

export interface Team {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly members: readonly TeamMember[];
}

export interface AddTeamMemberInput {
  readonly teamId: string;
  readonly userId: string;
  readonly role: TeamRole;
}
