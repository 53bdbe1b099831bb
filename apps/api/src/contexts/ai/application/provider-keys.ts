import { Injectable } from '@nestjs/common';
import { channelKey } from '@sah/domain';
import { ProviderKeyRepository } from '@sah/infrastructure';
import { AppConfig } from '../../../config/app-config';
import { ExpiringLoad } from '../../../platform/cache/expiring-load';

const CACHE_MS = 10_000;

export interface ProviderKey {
  /** `env:<provider>:<n>` for configured keys, the row id for keys added by admins. */
  id: string;
  secret: string;
}

/**
 * The credentials of each channel, used in rotation. A channel goes by its `channelKey`: a configured
 * channel by its protocol's name (its keys: the configuration's, then those admins added), any other
 * by its id. A key the provider rate-limited rests for its Retry-After. Cool-downs are per process:
 * each instance learns a provider's limits by itself.
 */
@Injectable()
export class ProviderKeys {
  private readonly cursor = new Map<string, number>();
  private readonly coolingUntil = new Map<string, number>();
  private readonly keys: ExpiringLoad<Map<string, ProviderKey[]>>;

  constructor(
    private readonly repository: ProviderKeyRepository,
    private readonly config: AppConfig,
  ) {
    this.keys = new ExpiringLoad(() => this.load(), CACHE_MS);
  }

  /** The next key of the channel not cooling down, or `null` when none is usable now. */
  async next(channel: string, now = Date.now()): Promise<ProviderKey | null> {
    const keys = (await this.keys.get()).get(channel) ?? [];
    for (let i = 0; i < keys.length; i += 1) {
      const index = ((this.cursor.get(channel) ?? 0) + i) % keys.length;
      const key = keys[index] as ProviderKey;
      if ((this.coolingUntil.get(key.id) ?? 0) <= now) {
        this.cursor.set(channel, index + 1);
        return key;
      }
    }
    return null;
  }

  /**
   * How long until one of the channel's keys is usable again: 0 when one is now, `null` when the
   * channel has no key at all.
   */
  async usableIn(channel: string, now = Date.now()): Promise<number | null> {
    const keys = (await this.keys.get()).get(channel) ?? [];
    if (keys.length === 0) return null;
    return Math.max(0, Math.min(...keys.map((key) => (this.coolingUntil.get(key.id) ?? 0) - now)));
  }

  async hasAny(channel: string): Promise<boolean> {
    return ((await this.keys.get()).get(channel) ?? []).length > 0;
  }

  coolDown(key: ProviderKey, ms: number, now = Date.now()): void {
    this.coolingUntil.set(key.id, now + ms);
  }

  invalidate(): void {
    this.keys.invalidate();
  }

  /** The configured keys first (on the configured channels), then the enabled ones admins added. */
  private async load(): Promise<Map<string, ProviderKey[]>> {
    const stored = await this.repository.enabledSecrets();
    const byChannel = new Map<string, ProviderKey[]>([
      ['openai', this.config.ai.openai.apiKeys.map((secret, n) => ({ id: `env:openai:${n}`, secret }))],
      ['anthropic', this.config.ai.anthropic.apiKeys.map((secret, n) => ({ id: `env:anthropic:${n}`, secret }))],
      ['gemini', this.config.ai.gemini.apiKeys.map((secret, n) => ({ id: `env:gemini:${n}`, secret }))],
    ]);
    for (const key of stored) {
      const channel = channelKey({ id: key.channelId, protocol: key.provider, baseUrl: key.configuredChannel ? null : '' });
      byChannel.set(channel, [...(byChannel.get(channel) ?? []), { id: key.id, secret: key.secret }]);
    }
    return byChannel;
  }
}
