import { Credits } from '../shared/credits';
import { DomainError } from '../shared/domain-error';

export type MediaKind = 'image' | 'video';

/** What one price buys: each image, each whole video, or each minute of video (charged per second). */
export type MediaPriceUnit = 'image' | 'video' | 'minute';

/** A media model as the catalogue offers it. Admins change its price; running jobs keep theirs. */
export interface MediaModel {
  /** The public id clients ask for (`gpt-image-1`, `sora-2`). */
  id: string;
  kind: MediaKind;
  /** Which provider adapter serves it (`openai` speaks the OpenAI images and videos protocol). */
  provider: string;
  /** The provider's own name for it. */
  upstreamModel: string;
  price: Credits;
  unit: MediaPriceUnit;
  enabled: boolean;
}

export interface MediaRequestSize {
  /** Images asked for (images only). */
  n?: number;
  /** Length of the video (videos only). */
  seconds?: number;
}

const SECONDS_PER_MINUTE = 60n;

/**
 * The exact price of a job, fixed when it is created: per image × n, per video, or per minute
 * pro-rata per second (rounded up to the next milli-credit).
 */
export function priceOf(model: Pick<MediaModel, 'price' | 'unit'>, size: MediaRequestSize): Credits {
  switch (model.unit) {
    case 'image':
      return Credits.fromMillis(model.price.millis * BigInt(size.n ?? 1));
    case 'video':
      return model.price;
    case 'minute': {
      const seconds = BigInt(size.seconds ?? 0);
      return Credits.fromMillis((model.price.millis * seconds + SECONDS_PER_MINUTE - 1n) / SECONDS_PER_MINUTE);
    }
  }
}

export const MEDIA_LIMITS = {
  maxPromptLength: 4000,
  maxImages: 4,
  minVideoSeconds: 1,
  maxVideoSeconds: 60,
} as const;

/** Refuses what no provider would take, before anything is held or queued. */
export function assertMediaRequest(model: MediaModel, kind: MediaKind, prompt: string, size: MediaRequestSize): void {
  if (!model.enabled) throw DomainError.badInput(`Model ${model.id} is disabled`, { field: 'model' });
  if (model.kind !== kind) throw DomainError.badInput(`Model ${model.id} makes ${model.kind}s, not ${kind}s`, { field: 'model' });
  const text = prompt.trim();
  if (!text) throw DomainError.badInput('prompt must not be empty', { field: 'prompt' });
  if (text.length > MEDIA_LIMITS.maxPromptLength) {
    throw DomainError.badInput(`prompt must be at most ${MEDIA_LIMITS.maxPromptLength} characters`, { field: 'prompt' });
  }
  if (kind === 'image') {
    const n = size.n ?? 1;
    if (!Number.isInteger(n) || n < 1 || n > MEDIA_LIMITS.maxImages) {
      throw DomainError.badInput(`n must be an integer from 1 to ${MEDIA_LIMITS.maxImages}`, { field: 'n' });
    }
  } else {
    const seconds = size.seconds;
    if (seconds === undefined || !Number.isInteger(seconds) || seconds < MEDIA_LIMITS.minVideoSeconds || seconds > MEDIA_LIMITS.maxVideoSeconds) {
      throw DomainError.badInput(`seconds must be an integer from ${MEDIA_LIMITS.minVideoSeconds} to ${MEDIA_LIMITS.maxVideoSeconds}`, {
        field: 'seconds',
      });
    }
  }
}
