import { Injectable } from '@nestjs/common';
import { ProviderName } from '@sah/domain';
import { ProviderKeyRepository } from '@sah/infrastructure';
import { AppConfig } from '../../../config/app-config';
import { ExpiringLoad } from './expiring-load';

const CACHE_MS = 10_000;

export interface ProviderKey {
  /** `env:<provider>:<n>` for configured keys, the row id for keys added by admins. */
  id: string;
  secret: string;
}

/**
 * The credentials for each provider, used in rotation. A key the provider rate-limited rests for
 * its Retry-After. Cool-downs are per process: each instance learns a provider's limits by itself.
 */
@Injectable()
export class ProviderKeys {
  private readonly cursor = new Map<ProviderName, number>();
  private readonly coolingUntil = new Map<string, number>();
  private readonly keys: ExpiringLoad<Map<ProviderName, ProviderKey[]>>;

  constructor(
    private readonly repository: ProviderKeyRepository,
    private readonly config: AppConfig,
  ) {
    this.keys = new ExpiringLoad(() => this.load(), CACHE_MS);
  }

  /** The next key of the provider not cooling down, or `null` when none is usable now. */
  async next(provider: ProviderName, now = Date.now()): Promise<ProviderKey | null> {
    const keys = (await this.keys.get()).get(provider) ?? [];
    for (let i = 0; i < keys.length; i += 1) {
      const index = ((this.cursor.get(provider) ?? 0) + i) % keys.length;
      const key = keys[index] as ProviderKey;
      if ((this.coolingUntil.get(key.id) ?? 0) <= now) {
        this.cursor.set(provider, index + 1);
        return key;
      }
    }
    return null;
  }

  /**
   * How long until one of the provider's keys is usable again: 0 when one is now, `null` when the
   * provider has no key at all.
   */
  async usableIn(provider: ProviderName, now = Date.now()): Promise<number | null> {
    const keys = (await this.keys.get()).get(provider) ?? [];
    if (keys.length === 0) return null;
    return Math.max(0, Math.min(...keys.map((key) => (this.coolingUntil.get(key.id) ?? 0) - now)));
  }

  async hasAny(provider: ProviderName): Promise<boolean> {
    return ((await this.keys.get()).get(provider) ?? []).length > 0;
  }

  coolDown(key: ProviderKey, ms: number, now = Date.now()): void {
    this.coolingUntil.set(key.id, now + ms);
  }

  invalidate(): void {
    this.keys.invalidate();
  }

  /** The configured keys first, then the enabled ones admins added. */
  private async load(): Promise<Map<ProviderName, ProviderKey[]>> {
    const stored = await this.repository.enabledSecrets();
    const byProvider = new Map<ProviderName, ProviderKey[]>([
      ['openai', this.config.ai.openai.apiKeys.map((secret, n) => ({ id: `env:openai:${n}`, secret }))],
      ['anthropic', this.config.ai.anthropic.apiKeys.map((secret, n) => ({ id: `env:anthropic:${n}`, secret }))],
      ['gemini', this.config.ai.gemini.apiKeys.map((secret, n) => ({ id: `env:gemini:${n}`, secret }))],
    ]);
    for (const key of stored) byProvider.get(key.provider)?.push({ id: key.id, secret: key.secret });
    return byProvider;
  }
}
