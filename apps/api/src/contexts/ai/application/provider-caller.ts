import { Inject, Injectable } from '@nestjs/common';
import { AiModel, asServedBy, ChatProvider, DomainError, MAX_RETRIES, ProviderFailure, ProviderName, retryDelayMs } from '@sah/domain';
import { UpstreamAborted } from '@sah/infrastructure';
import { AppConfig } from '../../../config/app-config';
import { ChannelDirectory, RoutedChannel } from './channel-directory';
import { ModelCatalog } from './model-catalog';
import { ProviderHealth } from './provider-health';
import { ProviderKey, ProviderKeys } from './provider-keys';

export interface Attempted<T> {
  value: T;
  /** The model that answered: the requested one or its fallback (under the catalogue's upstream name). */
  model: AiModel;
  /** The channel that answered. */
  channel: { id: string; name: string };
}

/** What one attempt is given: the channel's adapter, the model under the channel's name for it, the key and the channel. */
export type Attempt<T> = (provider: ChatProvider, model: AiModel, apiKey: string, channel: RoutedChannel) => Promise<T>;

const RATE_LIMIT_COOL_DOWN_MS = 60_000;
/** A call finding every key resting waits this long at most for one; past that it is answered 429 at once. */
const KEY_WAIT_MS = 2_000;

/** The injection token of the provider adapters (`ChatProvider[]`, one per provider). */
export const CHAT_PROVIDERS = 'AI_CHAT_PROVIDERS';

/**
 * Calls a provider with the gateway's resilience rules: the model's channels in the order of its
 * routing policy, skipping those whose circuit is open; up to 3 retries (4 calls in all) on rate
 * limits, server errors and timeouts, each going to the channel that failed least in this call (a
 * channel not yet tried at once, else after a backoff honouring Retry-After); a circuit breaker per
 * channel; the model's fallback when every channel's circuit is open or the retries are spent.
 * `attempt` runs once per provider call and must settle before anything reaches the client (for
 * streams: up to the first event).
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
    private readonly channels: ChannelDirectory,
  ) {
    this.providers = new Map(providers.map((provider) => [provider.name, provider]));
  }

  async call<T>(
    model: AiModel,
    signal: AbortSignal,
    attempt: Attempt<T>,
    /** Which models may answer (a same-format passthrough skips a fallback speaking another protocol). */
    accepts: (target: AiModel) => boolean = () => true,
  ): Promise<Attempted<T>> {
    const fallback = await this.catalog.fallbackOf(model);
    let lastFailure: Error | undefined;
    for (const target of (fallback ? [model, fallback] : [model]).filter(accepts)) {
      const provider = this.providers.get(target.provider) as ChatProvider;
      const channels = await this.channels.route(target);
      if (channels.length === 0) lastFailure ??= new DomainError('PROVIDER_UNAVAILABLE', `No enabled channel serves ${target.id}`);
      const failures = new Map<string, number>();
      // Left out for the rest of this call: no usable key, or a half-open circuit whose one trial call is another's.
      const skipped = new Set<string>();
      let calls = 0;
      while (calls <= MAX_RETRIES) {
        const now = Date.now();
        const candidates = channels.filter((channel) => !skipped.has(channel.id) && this.health.breaker(channel.key).stateAt(now) !== 'open');
        if (candidates.length === 0) {
          if (channels.some((channel) => !skipped.has(channel.id))) {
            lastFailure ??= new ProviderFailure('unreachable', `${target.provider} is failing: its circuit is open`);
          }
          break;
        }
        // The least-failed channel in this call, in routing order among equals.
        const channel = candidates.reduce((best, next) => ((failures.get(next.id) ?? 0) < (failures.get(best.id) ?? 0) ? next : best));
        if (!this.health.breaker(channel.key).allows(now)) {
          lastFailure ??= new ProviderFailure('unreachable', `${target.provider} is failing: its circuit is open`);
          skipped.add(channel.id);
          continue;
        }
        const key = await this.usableKey(channel, signal);
        if (!('secret' in key)) {
          lastFailure = key;
          skipped.add(channel.id);
          continue;
        }
        calls += 1;
        const started = Date.now();
        try {
          const value = await attempt(provider, asServedBy(channel.channel, target), key.secret, channel);
          this.health.breaker(channel.key).recordSuccess();
          this.health.record(channel.key, target.provider, true, Date.now() - started);
          return { value, model: target, channel: { id: channel.id, name: channel.name } };
        } catch (error) {
          if (error instanceof UpstreamAborted || signal.aborted) throw error;
          if (!(error instanceof ProviderFailure)) throw error;
          if (!error.retryable) throw refusal(error);
          this.health.breaker(channel.key).recordFailure(Date.now());
          this.health.record(channel.key, target.provider, false, Date.now() - started);
          if (error.kind === 'rate_limited') this.keys.coolDown(key, error.retryAfterMs ?? RATE_LIMIT_COOL_DOWN_MS);
          lastFailure = error;
          const failed = (failures.get(channel.id) ?? 0) + 1;
          failures.set(channel.id, failed);
          // Another channel not yet failed as often, or (after a rate limit, which rests only its key) another key ready: no wait.
          const anotherChannel = candidates.some((other) => other.id !== channel.id && (failures.get(other.id) ?? 0) < failed);
          const anotherKeyReady = error.kind === 'rate_limited' && (await this.keys.usableIn(channel.key)) === 0;
          if (calls <= MAX_RETRIES && !anotherChannel && !anotherKeyReady)
            await sleep(retryDelayMs(failed, error.retryAfterMs, this.config.ai.retryBaseMs), signal);
        }
      }
    }
    throw unavailable(lastFailure);
  }

  /**
   * The next key, waiting a moment when every key rests after a rate limit (a call arriving just
   * after another was limited should not fail for a cool-down shorter than a retry's wait).
   */
  private async usableKey(channel: RoutedChannel, signal: AbortSignal): Promise<ProviderKey | Error> {
    const key = await this.keys.next(channel.key);
    if (key) return key;
    const waitMs = await this.keys.usableIn(channel.key);
    const whose = channel.baseUrl === undefined ? channel.channel.protocol : `channel '${channel.name}'`;
    if (waitMs === null) {
      return new DomainError('PROVIDER_UNAVAILABLE', channel.baseUrl === undefined ? `No ${whose} API key is configured` : `No API key is configured for ${whose}`);
    }
    if (waitMs > KEY_WAIT_MS) return new ProviderFailure('rate_limited', `Every ${whose} key is resting after a rate limit`, 429, waitMs);
    await sleep(waitMs, signal);
    return (await this.keys.next(channel.key)) ?? new ProviderFailure('rate_limited', `Every ${whose} key is resting after a rate limit`, 429, waitMs);
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
