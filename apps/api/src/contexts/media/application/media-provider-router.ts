import { Inject, Injectable } from '@nestjs/common';
import { CircuitBreaker, DomainError, MediaJob, MediaKind, MediaProvider, MediaProviderFailure, MediaRoute, routesOf } from '@sah/domain';
import { AppConfig } from '../../../config/app-config';
import { MediaCatalogue } from './media-catalogue';
import { MediaProviderKey, MediaProviderKeys } from './media-provider-keys';

export const MEDIA_PROVIDERS = Symbol('MEDIA_PROVIDERS');

/** A provider chosen for a call: its adapter, the model under its name, and the key to call it with. */
export interface MediaPick {
  provider: MediaProvider;
  route: MediaRoute;
  key: MediaProviderKey;
}

/**
 * Chooses the provider of a media job, as the chat gateway does: before submission, the model's
 * providers in catalogue order, skipping one without a usable key or whose circuit is open (it failed
 * `MEDIA_CIRCUIT_FAILURES` times in a row, in this process); once submitted, always the provider that
 * has the generation, so nothing is generated twice.
 */
@Injectable()
export class MediaProviderRouter {
  private readonly breakers = new Map<string, CircuitBreaker>();

  constructor(
    @Inject(MEDIA_PROVIDERS) private readonly providers: MediaProvider[],
    private readonly models: MediaCatalogue,
    private readonly keys: MediaProviderKeys,
    private readonly config: AppConfig,
  ) {}

  /** The model's providers in order (the job's own when the model left the catalogue). */
  async routesOf(job: MediaJob): Promise<MediaRoute[]> {
    const model = await this.models.find(job.model);
    return model ? routesOf(model) : [{ provider: job.provider, upstreamModel: job.upstreamModel }];
  }

  /**
   * The first provider that may take the job now: the job's own (the model's first, copied onto the
   * job when it was created, so the usual case reads nothing more), else the catalogue's next ones.
   * When every provider with a key has its circuit open, the first of them still gets the job (with
   * its own retries and backoff): an open circuit moves jobs to another provider, it does not stall a
   * model that has no other. Null when no provider has a usable key: the job waits.
   */
  async forSubmission(job: MediaJob, now = Date.now()): Promise<MediaPick | null> {
    const own = { provider: job.provider, upstreamModel: job.upstreamModel };
    const first = await this.candidate(job, own, now);
    if (first?.allowed) return first.pick;
    let despiteCircuit = first?.pick ?? null;
    for (const route of (await this.routesOf(job)).filter((r) => r.provider !== own.provider || r.upstreamModel !== own.upstreamModel)) {
      const next = await this.candidate(job, route, now);
      if (next?.allowed) return next.pick;
      despiteCircuit ??= next?.pick ?? null;
    }
    return despiteCircuit;
  }

  /** The provider that has the job's generation (polling, download, late reconciliation). */
  async forSubmitted(job: MediaJob): Promise<MediaPick | null> {
    const provider = this.adapter(job.provider, job);
    if (!provider) throw new MediaProviderFailure(`No adapter for provider ${job.provider}`, false);
    const key = await this.keys.next(job.provider, job.kind);
    return key ? { provider, route: { provider: job.provider, upstreamModel: job.upstreamModel }, key } : null;
  }

  /** An admin's routes name only providers the hub has an adapter for, each able to make the model's kind, once each. */
  assertServable(kind: MediaKind, routes: MediaRoute[]): void {
    routes.forEach((route, index) => {
      if (!this.providers.some((provider) => provider.name === route.provider && provider.kinds.includes(kind))) {
        const known = this.providers.filter((provider) => provider.kinds.includes(kind)).map((provider) => provider.name);
        throw DomainError.badInput(`No ${route.provider} adapter makes ${kind}s (known: ${known.join(', ')})`, { field: `routes.${index}.provider` });
      }
    });
    if (new Set(routes.map((route) => `${route.provider} ${route.upstreamModel}`)).size !== routes.length) {
      throw DomainError.badInput('routes lists the same provider and model twice', { field: 'routes' });
    }
  }

  succeeded(pick: MediaPick): void {
    this.breaker(pick.route.provider).recordSuccess();
  }

  /** A rate limit rests the key; a failure a retry may cure counts against the provider's circuit. */
  failed(pick: MediaPick, failure: MediaProviderFailure, now = Date.now()): void {
    if (failure.retryAfterMs) this.keys.coolDown(pick.key, failure.retryAfterMs, now);
    if (failure.retryable) this.breaker(pick.route.provider).recordFailure(now);
  }

  private async candidate(job: MediaJob, route: MediaRoute, now: number): Promise<{ pick: MediaPick; allowed: boolean } | null> {
    const provider = this.adapter(route.provider, job);
    if (!provider) return null;
    const key = await this.keys.next(route.provider, job.kind, now);
    if (!key) return null;
    // Asked last: in half-open state `allows` lets exactly one trial call through, and this is it.
    return { pick: { provider, route, key }, allowed: this.breaker(route.provider).allows(now) };
  }

  private adapter(name: string, job: MediaJob): MediaProvider | undefined {
    return this.providers.find((candidate) => candidate.name === name && candidate.kinds.includes(job.kind));
  }

  private breaker(provider: string): CircuitBreaker {
    let breaker = this.breakers.get(provider);
    if (!breaker) {
      breaker = new CircuitBreaker({ failureThreshold: this.config.media.circuitFailureThreshold, openMs: this.config.media.circuitOpenMs });
      this.breakers.set(provider, breaker);
    }
    return breaker;
  }
}
