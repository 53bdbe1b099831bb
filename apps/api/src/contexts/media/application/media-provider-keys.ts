import { Injectable } from '@nestjs/common';
import { ProviderKeys } from '../../ai/application/provider-keys';

/**
 * The media context calls providers with the gateway's credentials (OPENAI_API_KEY or keys admins
 * added). Null when none is usable now: the job waits and tries again.
 */
@Injectable()
export class MediaProviderKeys {
  constructor(private readonly keys: ProviderKeys) {}

  async next(provider: string): Promise<{ id: string; secret: string } | null> {
    if (provider !== 'openai') return null;
    return this.keys.next('openai');
  }

  coolDown(key: { id: string; secret: string }, ms: number): void {
    this.keys.coolDown(key, ms);
  }
}
