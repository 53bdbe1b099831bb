import { Injectable } from '@nestjs/common';
import { MediaKind } from '@sah/domain';
import { AppConfig } from '../../../config/app-config';
import { ProviderKeys } from '../../ai/application/provider-keys';

export interface MediaProviderKey {
  id: string;
  secret: string;
}

/** Keys from the environment used in turn, each resting for its Retry-After after a rate limit. */
class KeyRing {
  private cursor = 0;
  private readonly coolingUntil = new Map<string, number>();
  readonly keys: readonly MediaProviderKey[];

  constructor(name: string, secrets: readonly string[]) {
    this.keys = secrets.map((secret, n) => ({ id: `env:${name}:${n}`, secret }));
  }

  owns(key: MediaProviderKey): boolean {
    return this.keys.some((own) => own.id === key.id);
  }

  next(now: number): MediaProviderKey | null {
    for (let i = 0; i < this.keys.length; i += 1) {
      const index = (this.cursor + i) % this.keys.length;
      const key = this.keys[index] as MediaProviderKey;
      if ((this.coolingUntil.get(key.id) ?? 0) <= now) {
        this.cursor = index + 1;
        return key;
      }
    }
    return null;
  }

  coolDown(key: MediaProviderKey, until: number): void {
    this.coolingUntil.set(key.id, until);
  }
}

/**
 * The media context calls OpenAI with the gateway's credentials (OPENAI_API_KEY or keys admins
 * added) and fal.ai with FAL_KEY, each in rotation; a key a provider rate-limited rests for its
 * Retry-After. The OpenAI-protocol video calls carry OPENAI_VIDEO_API_KEY when it is set (their vendor,
 * OPENAI_VIDEO_BASE_URL, is usually not OpenAI), else the OpenAI keys. Null when none is usable now:
 * the job tries another provider or waits.
 */
@Injectable()
export class MediaProviderKeys {
  private readonly fal: KeyRing;
  private readonly openaiVideo: KeyRing;

  constructor(
    private readonly keys: ProviderKeys,
    config: AppConfig,
  ) {
    this.fal = new KeyRing('fal', config.media.fal.apiKeys);
    this.openaiVideo = new KeyRing('openai-video', config.media.videoApiKeys);
  }

  /** A key for `provider`; `kind` is what the call makes (none: moderation). */
  async next(provider: string, kind?: MediaKind, now = Date.now()): Promise<MediaProviderKey | null> {
    if (provider === 'openai') {
      if (kind === 'video' && this.openaiVideo.keys.length > 0) return this.openaiVideo.next(now);
      return this.keys.next('openai');
    }
    return provider === 'fal' ? this.fal.next(now) : null;
  }

  coolDown(key: MediaProviderKey, ms: number, now = Date.now()): void {
    const ring = [this.fal, this.openaiVideo].find((candidate) => candidate.owns(key));
    if (ring) ring.coolDown(key, now + ms);
    else this.keys.coolDown(key, ms);
  }
}
