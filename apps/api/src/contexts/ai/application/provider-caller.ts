import { Inject, Injectable } from '@nestjs/common';
import { AiModel, ChatProvider, DomainError, MAX_RETRIES, ProviderFailure, ProviderName, retryDelayMs } from '@sah/domain';
import { UpstreamAborted } from '@sah/infrastructure';
import { AppConfig } from '../../../config/app-config';
import { ModelCatalog } from './model-catalog';
import { ProviderHealth } from './provider-health';
import { ProviderKey, ProviderKeys } from './provider-keys';

export interface Attempted<T> {
  value: T;
  /** The model that answered: the requested one or its fallback. */
  model: AiModel;
}

const RATE_LIMIT_COOL_DOWN_MS = 60_000;
/** A call finding every key resting waits this long at most for one; past that it is answered 429 at once. */
const KEY_WAIT_MS = 2_000;

/** The injection token of the provider adapters (`ChatProvider[]`, one per provider). */
export const CHAT_PROVIDERS = 'AI_CHAT_PROVIDERS';

/**
 * Calls a provider with the gateway's resilience rules: up to 3 retries with backoff (honouring
 * Retry-After) on rate limits, server errors and timeouts; a circuit breaker per provider; the
 * model's fallback when its provider's circuit is open or its retries are spent. `attempt` runs once
 * per provider call and must settle before anything reaches the client (for streams: up to the first event).
 */
@Injectable()
export class ProviderCaller {
  private readonly providers: Map<ProviderName, ChatProvider>;

  constructor(
    @Inject(CHAT_PROVIDERS) providers: ChatProvider[],
    private readonly keys: ProviderKeys,
    private readonly health: ProviderHealth,
    private readonly catalog: ModelCatalog,
    private readonly config: AppConfig,
  ) {
    this.providers = new Map(providers.map((provider) => [provider.name, provider]));
  }

  async call<T>(
    model: AiModel,
    signal: AbortSignal,
    attempt: (provider: ChatProvider, model: AiModel, apiKey: string) => Promise<T>,
    /** Which models may answer (a same-format passthrough skips a fallback speaking another protocol). */
    accepts: (target: AiModel) => boolean = () => true,
  ): Promise<Attempted<T>> {
    const fallback = await this.catalog.fallbackOf(model);
    let lastFailure: Error | undefined;
    for (const target of (fallback ? [model, fallback] : [model]).filter(accepts)) {
      const breaker = this.health.breaker(target.provider);
      const provider = this.providers.get(target.provider) as ChatProvider;
      for (let retry = 0; retry <= MAX_RETRIES; retry += 1) {
        if (!breaker.allows(Date.now())) {
          lastFailure ??= new ProviderFailure('unreachable', `${target.provider} is failing: its circuit is open`);
          break;
        }
        const key = await this.usableKey(target.provider, signal);
        if (!('secret' in key)) {
          lastFailure = key;
          break;
        }
        const started = Date.now();
        try {
          const value = await attempt(provider, target, key.secret);
          breaker.recordSuccess();
          this.health.record(target.provider, true, Date.now() - started);
          return { value, model: target };
        } catch (error) {
          if (error instanceof UpstreamAborted || signal.aborted) throw error;
          if (!(error instanceof ProviderFailure)) throw error;
          if (!error.retryable) throw refusal(error);
          breaker.recordFailure(Date.now());
          this.health.record(target.provider, false, Date.now() - started);
          if (error.kind === 'rate_limited') this.keys.coolDown(key, error.retryAfterMs ?? RATE_LIMIT_COOL_DOWN_MS);
          lastFailure = error;
          // A rate limit rests only its key: with another key ready, the retry need not wait.
          const anotherKeyReady = error.kind === 'rate_limited' && (await this.keys.usableIn(target.provider)) === 0;
          if (retry < MAX_RETRIES && !anotherKeyReady)
            await sleep(retryDelayMs(retry + 1, error.retryAfterMs, this.config.ai.retryBaseMs), signal);
        }
      }
    }
    throw unavailable(lastFailure);
  }

  /**
   * The next key, waiting a moment when every key rests after a rate limit (a call arriving just
   * after another was limited should not fail for a cool-down shorter than a retry's wait).
   */
  private async usableKey(provider: ProviderName, signal: AbortSignal): Promise<ProviderKey | Error> {
    const key = await this.keys.next(provider);
    if (key) return key;
    const waitMs = await this.keys.usableIn(provider);
    if (waitMs === null) return new DomainError('PROVIDER_UNAVAILABLE', `No ${provider} API key is configured`);
    if (waitMs > KEY_WAIT_MS)
      return new ProviderFailure('rate_limited', `Every ${provider} key is resting after a rate limit`, 429, waitMs);
    await sleep(waitMs, signal);
    return (
      (await this.keys.next(provider)) ??
      new ProviderFailure('rate_limited', `Every ${provider} key is resting after a rate limit`, 429, waitMs)
    );
  }
}

/** A failure that is nobody's to retry: the request itself was refused, or our credentials were. */
function refusal(failure: ProviderFailure): DomainError {
  if (failure.kind === 'invalid_request') return DomainError.badInput(`The provider refused the request: ${failure.message}`);
  return new DomainError('PROVIDER_ERROR', 'The provider refused the hub’s credentials; an administrator has to check the provider keys');
}

function unavailable(failure: Error | undefined): DomainError {
  if (failure instanceof DomainError) return failure;
  const kind = failure instanceof ProviderFailure ? failure.kind : 'unreachable';
  const retryAfterMs = failure instanceof ProviderFailure ? failure.retryAfterMs : undefined;
  if (kind === 'rate_limited') {
    return new DomainError('RATE_LIMITED', 'The provider is rate limiting the hub: try again shortly', {
      ...(retryAfterMs !== undefined ? { retry_after_seconds: Math.ceil(retryAfterMs / 1000) } : {}),
    });
  }
  return new DomainError('PROVIDER_ERROR', `The provider failed after retries (${kind}): try again later`, { reason: kind });
}

/**
 * Waits until `ms` have passed by the wall clock that key cool-downs use. A timer alone can fire early by
 * that clock (it counts from the event loop's cached time), and a retry would then find its key still
 * cooling down and give up.
 */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  const until = Date.now() + ms;
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout;
    const onAbort = () => {
      clearTimeout(timer);
      reject(new UpstreamAborted());
    };
    const wake = () => {
      const left = until - Date.now();
      if (left > 0) {
        timer = setTimeout(wake, left);
        return;
      }
      signal.removeEventListener('abort', onAbort);
      resolve();
    };
    timer = setTimeout(wake, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
