import type {
  ApiKey,
  AuditEntry,
  IdentityUser,
  PageInfo,
  Team,
  VerifiedSession,
} from '../data-access/identity.types';

/** Server-shaped test data (with __typename, as Apollo's cache expects) for identity specs. */

export function aUser(overrides: Partial<IdentityUser> = {}): IdentityUser & { __typename: 'User' } {
  return {
    __typename: 'User',
    id: 'u2',
    email: 'ann@example.com',
    name: 'Ann User',
    roles: ['USER'],
    emailVerified: true,
    status: 'active',
    createdAt: '2026-01-15T10:00:00.000Z',
    ...overrides,
  };
}

export function aPage<T>(items: T[], pageInfo: Partial<PageInfo> = {}) {
  const perPage = pageInfo.perPage ?? 20;
  const total = pageInfo.total ?? items.length;
  return {
    items,
    pageInfo: {
      __typename: 'PageInfo',
      page: 1,
      perPage,
      total,
      totalPages: Math.max(1, Math.ceil(total / perPage)),
      ...pageInfo,
    },
  };
}

/** An API key's month-to-date spend (March 2026), in credits. */
export function aMonthlySpend(spent: number, held: number): ApiKey['monthlySpend'] & { __typename: 'ApiKeyMonthlySpend' } {
  return { __typename: 'ApiKeyMonthlySpend', month: '2026-03', spent, held };
}

export function anApiKey(overrides: Partial<ApiKey> = {}): ApiKey & { __typename: 'ApiKey' } {
  return {
    __typename: 'ApiKey',
    id: 'k1',
    name: 'CI pipeline',
    prefix: 'sah_AbCdEfGh',
    scopes: ['ai.use'],
    createdAt: '2026-01-15T10:00:00.000Z',
    expiresAt: '2099-04-15T10:00:00.000Z',
    lastUsedAt: null,
    revokedAt: null,
    requestsPerMinute: null,
    tokensPerMinute: null,
    monthlyCreditBudget: null,
    monthlySpend: aMonthlySpend(0, 0),
    ...overrides,
  };
}

export function anAuditEntry(overrides: Partial<AuditEntry> = {}): AuditEntry & { __typename: 'AuditEntry' } {
  return {
    __typename: 'AuditEntry',
    id: '1',
    occurredAt: '2026-01-15T10:00:00.000Z',
    actorId: '6f1c2d3e-0000-4000-8000-000000000001',
    action: 'user.role_assigned',
    targetType: 'user',
    targetId: '6f1c2d3e-0000-4000-8000-000000000002',
    ip: '127.0.0.1',
    requestId: 'req-1',
    details: { from: 'USER', to: 'MANAGER' },
    ...overrides,
  };
}

export function aVerifiedSession(
  overrides: Partial<VerifiedSession> = {},
): VerifiedSession & { __typename: 'VerifiedSession' } {
  return {
    __typename: 'VerifiedSession',
    id: 'vs1',
    externalSessionId: 'tool-session-abc123',
    createdAt: '2026-01-15T10:00:00.000Z',
    expiresAt: '2099-01-16T10:00:00.000Z',
    ...overrides,
  };
}

export function aTeam(overrides: Partial<Team> = {}) {
  const team = { id: 't1', name: 'Operations', createdAt: '2026-01-10T10:00:00.000Z', members: [], ...overrides };
  return {
    __typename: 'Team' as const,
    ...team,
    members: team.members.map((member) => ({ __typename: 'TeamMember' as const, ...member })),
  };
}
