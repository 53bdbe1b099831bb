import { TestBed } from '@angular/core/testing';

import type { Role } from '../../../core/auth/auth.types';
import { AuthStore } from '../../../core/auth/auth.store';
import type {
  AiChannel,
  AiModel,
  ChatStreamChunk,
  ProviderChannel,
  ProviderHealth,
  ProviderKey,
  UsageFigures,
  UsageRow,
  UsageSummary,
} from '../data-access/ai.types';

/** Server-shaped test data (with __typename, as Apollo expects) for AI specs. */

export function aProviderHealth(
  overrides: Partial<ProviderHealth> = {},
): ProviderHealth & { __typename: 'AiProviderHealth' } {
  return {
    __typename: 'AiProviderHealth',
    provider: 'openai',
    circuit: 'closed',
    consecutiveFailures: 0,
    calls: 120,
    errorRate: 0.025,
    p50LatencyMs: 412,
    p95LatencyMs: 1830,
    keyConfigured: true,
    channels: [aProviderChannel()],
    ...overrides,
  };
}

/** A channel as `aiProviderHealth` lists it; by default OpenAI's configured channel. */
export function aProviderChannel(
  overrides: Partial<Omit<ProviderChannel, 'health'>> & { health?: Partial<ProviderChannel['health']> } = {},
): ProviderChannel & { __typename: 'AiChannel' } {
  const { health, ...rest } = overrides;
  return {
    __typename: 'AiChannel',
    id: 'channel-openai',
    name: 'OpenAI',
    configured: true,
    enabled: true,
    priority: 0,
    weight: 1,
    keyConfigured: true,
    models: [],
    ...rest,
    health: { circuit: 'closed', consecutiveFailures: 0, calls: 120, errorRate: 0.025, p50LatencyMs: 412, ...health },
  };
}

export function aProviderKey(overrides: Partial<ProviderKey> = {}): ProviderKey & { __typename: 'AiProviderKey' } {
  return {
    __typename: 'AiProviderKey',
    id: 'key-1',
    provider: 'openai',
    label: 'Production',
    last4: 'a1b2',
    enabled: true,
    createdAt: '2026-03-01T10:00:00.000Z',
    ...overrides,
  };
}

export function aChannel(overrides: Partial<AiChannel> = {}): AiChannel & { __typename: 'AiChannel' } {
  return {
    __typename: 'AiChannel',
    id: 'channel-1',
    name: 'Azure EU',
    protocol: 'openai',
    baseUrl: 'https://eu.example.com/v1',
    configured: false,
    enabled: true,
    priority: 0,
    weight: 1,
    keyConfigured: true,
    models: [{ modelId: 'gpt-4o', upstreamModel: null, inputPricePer1k: null, outputPricePer1k: null }],
    health: { circuit: 'closed', calls: 12, errorRate: 0 },
    ...overrides,
  };
}

export function aModel(overrides: Partial<AiModel> = {}): AiModel & { __typename: 'AiModel' } {
  return {
    __typename: 'AiModel',
    id: 'gpt-4o',
    provider: 'openai',
    upstreamModel: 'gpt-4o',
    aliases: ['gpt-4'],
    contextWindow: 128000,
    maxOutputTokens: 16384,
    inputPricePer1k: 10,
    outputPricePer1k: 10,
    enabled: true,
    routingPolicy: 'priority',
    fallbackModelId: null,
    ...overrides,
  };
}

export function someFigures(overrides: Partial<UsageFigures> = {}): UsageFigures {
  return {
    requests: 12,
    inputTokens: 3400,
    outputTokens: 900,
    credits: 43.25,
    avgLatencyMs: 640,
    p95LatencyMs: 1900,
    errorRate: 0.0833,
    ...overrides,
  };
}

export function aUsageRow(key: string, overrides: Partial<UsageFigures> = {}): UsageRow & { __typename: 'UsageSummaryRow' } {
  return { __typename: 'UsageSummaryRow', key, ...someFigures(overrides) };
}

export function aUsageSummary(
  rows: UsageRow[],
  overrides: Partial<Omit<UsageSummary, 'rows'>> = {},
): UsageSummary & { __typename: 'UsageSummary' } {
  return {
    __typename: 'UsageSummary',
    groupBy: 'MODEL',
    rows,
    totals: { __typename: 'UsageTotals', ...someFigures() } as UsageFigures,
    truncated: false,
    ...overrides,
  };
}

export function aDelta(delta: string, model = 'gpt-4o'): ChatStreamChunk & { __typename: 'ChatCompletionChunk' } {
  return {
    __typename: 'ChatCompletionChunk',
    delta,
    done: false,
    model,
    finishReason: null,
    usage: null,
    credits: null,
  };
}

export function aLastChunk(
  overrides: Partial<ChatStreamChunk> = {},
): ChatStreamChunk & { __typename: 'ChatCompletionChunk' } {
  return {
    __typename: 'ChatCompletionChunk',
    delta: null,
    done: true,
    model: 'gpt-4o',
    finishReason: 'stop',
    usage: { inputTokens: 120, outputTokens: 30 },
    credits: 1.5,
    ...overrides,
  };
}

/** Signs a user with these roles into the AuthStore, as a finished login would. */
export function signInAs(roles: Role[], id = 'u1'): void {
  TestBed.inject(AuthStore).signIn({
    accessToken: 'access-1',
    refreshToken: 'refresh-1',
    expiresIn: 900,
    user: { id, email: `${id}@example.com`, name: 'Test User', roles, emailVerified: true },
  });
}
