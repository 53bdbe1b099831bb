import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config';
import { ProviderKeys } from '../../ai/application/provider-keys';

export interface MediaProviderKey {
  id: string;
  secret: string;
}

/**
 * The media context calls OpenAI with the gateway's credentials (OPENAI_API_KEY or keys admins
 * added) and fal.ai with FAL_KEY, each in rotation; a key a provider rate-limited rests for its
 * Retry-After. Null when none is usable now: the job tries another provider or waits.
 */
@Injectable()
export class MediaProviderKeys {
  private readonly falKeys: MediaProviderKey[];
  private falCursor = 0;
  private readonly coolingUntil = new Map<string, number>();

  constructor(
    private readonly keys: ProviderKeys,
    config: AppConfig,
  ) {
    this.falKeys = config.media.fal.apiKeys.map((secret, n) => ({ id: `env:fal:${n}`, secret }));
  }

  async next(provider: string, now = Date.now()): Promise<MediaProviderKey | null> {
    if (provider === 'openai') return this.keys.next('openai');
    if (provider !== 'fal') return null;
    for (let i = 0; i < this.falKeys.length; i += 1) {
      const index = (this.falCursor + i) % this.falKeys.length;
      const key = this.falKeys[index] as MediaProviderKey;
      if ((this.coolingUntil.get(key.id) ?? 0) <= now) {
        this.falCursor = index + 1;
        return key;
      }
    }
    return null;
  }

  coolDown(key: MediaProviderKey, ms: number, now = Date.now()): void {
    if (key.id.startsWith('env:fal:')) this.coolingUntil.set(key.id, now + ms);
    else this.keys.coolDown(key, ms);
  }
}
