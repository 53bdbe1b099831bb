import { AiModel, ChatProvider, Credits, DomainError, ProviderFailure } from '@sah/domain';
import { ProviderKeyRepository } from '@sah/infrastructure';
import { AppConfig } from '../../../config/app-config';
import { AiCallMetrics } from '../../../platform/metrics/ai-call-metrics';
import { ChannelDirectory, routed } from './channel-directory';
import { ModelCatalog } from './model-catalog';
import { ProviderCaller } from './provider-caller';
import { ProviderHealth } from './provider-health';
import { ProviderKeys } from './provider-keys';

const MODEL: AiModel = {
  id: 'gpt-test',
  provider: 'openai',
  upstreamModel: 'gpt-test',
  aliases: [],
  contextWindow: 1000,
  maxOutputTokens: 100,
  inputPrice: Credits.whole(1),
  outputPrice: Credits.whole(1),
  enabled: true,
  fallbackModelId: null,
};

/** The caller with real key rotation and health, over configured keys only (no stored ones). */
function callerWith(openaiKeys: string[]): { caller: ProviderCaller; keys: ProviderKeys } {
  const config = {
    ai: {
      openai: { apiKeys: openaiKeys },
      anthropic: { apiKeys: [] },
      gemini: { apiKeys: [] },
      retryBaseMs: 1,
      circuitFailureThreshold: 1000,
      circuitOpenMs: 1000,
    },
  } as unknown as AppConfig;
  const keys = new ProviderKeys({ enabledSecrets: async () => [] } as unknown as ProviderKeyRepository, config);
  const health = new ProviderHealth(config, { observeProviderAttempt: () => undefined } as unknown as AiCallMetrics);
  const catalog = { fallbackOf: async () => null } as unknown as ModelCatalog;
  const provider = { name: 'openai' } as ChatProvider;
  // The configured OpenAI channel only, as a deployment without channels of its own has.
  const configured = { id: 'c0', protocol: 'openai' as const, name: 'OpenAI', baseUrl: null, priority: 0, weight: 1, enabled: true, models: [] };
  const channels = { route: async () => [routed(configured)] } as unknown as ChannelDirectory;
  return { caller: new ProviderCaller([provider], keys, health, catalog, config, channels), keys };
}

describe('ProviderCaller and resting keys', () => {
  const signal = new AbortController().signal;

  it('waits for a key resting a moment after a rate limit, then calls with it', async () => {
    const { caller, keys } = callerWith(['sk-only']);
    const key = await keys.next('openai');
    keys.coolDown(key!, 300);
    const started = Date.now();
    const used: string[] = [];

    const answered = await caller.call(MODEL, signal, async (_provider, _model, apiKey) => {
      used.push(apiKey);
      return 'answer';
    });

    expect(answered.value).toBe('answer');
    expect(used).toEqual(['sk-only']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('answers a long rest at once as a rate limit saying when to come back, without calling', async () => {
    const { caller, keys } = callerWith(['sk-a', 'sk-b']);
    keys.coolDown((await keys.next('openai'))!, 30_000);
    keys.coolDown((await keys.next('openai'))!, 45_000);
    const attempt = jest.fn();

    const refused = await caller.call(MODEL, signal, attempt).catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', details: { retry_after_seconds: 30 } });
    expect(attempt).not.toHaveBeenCalled();
  });

  it('says so when the provider has no key at all', async () => {
    const { caller } = callerWith([]);
    const refused = await caller.call(MODEL, signal, jest.fn()).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', message: 'No openai API key is configured' });
  });

  it('rests a rate-limited key and answers with the next one', async () => {
    const { caller } = callerWith(['sk-a', 'sk-b']);
    const used: string[] = [];

    const answered = await caller.call(MODEL, signal, async (_provider, _model, apiKey) => {
      used.push(apiKey);
      if (apiKey === 'sk-a') throw new ProviderFailure('rate_limited', 'slow down', 429, 60_000);
      return 'answer';
    });

    expect(answered.value).toBe('answer');
    expect(used).toEqual(['sk-a', 'sk-b']);
  });
});
