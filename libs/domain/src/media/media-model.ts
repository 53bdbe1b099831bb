import { Credits } from '../shared/credits';
import { DomainError } from '../shared/domain-error';

export type MediaKind = 'image' | 'video';

/** What one price buys: each image, each whole video, or each minute of video (charged per second). */
export type MediaPriceUnit = 'image' | 'video' | 'minute';

/** One provider that can serve a model, under its own name for it. */
export interface MediaRoute {
  provider: string;
  upstreamModel: string;
}

/** A media model as the catalogue offers it. Admins change its price; running jobs keep theirs. */
export interface MediaModel {
  /** The public id clients ask for (`gpt-image-1`, `sora-2`). */
  id: string;
  kind: MediaKind;
  /** Which provider adapter serves it (`openai` speaks the OpenAI images and videos protocol). */
  provider: string;
  /** The provider's own name for it. */
  upstreamModel: string;
  /** Further providers, in order, tried before submission when the ones before are failing. */
  fallbacks: MediaRoute[];
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

const DATA_URL = /^data:image\/(png|jpeg|webp|gif);base64,[A-Za-z0-9+/]+={0,2}$/;

/** A reference image is an https URL or a base64 image data URL: anything else is refused before a hold. */
export function assertReferenceImage(url: string): void {
  if (url.startsWith('data:')) {
    if (url.length > MEDIA_LIMITS.maxReferenceDataUrlLength || !DATA_URL.test(url)) {
      throw DomainError.badInput(`referenceImageUrl must be a base64 png, jpeg, webp or gif data URL of at most ${MEDIA_LIMITS.maxReferenceDataUrlLength} characters`, {
        field: 'referenceImageUrl',
      });
    }
    return;
  }
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    parsed = null;
  }
  if (!parsed || parsed.protocol !== 'https:' || url.length > MEDIA_LIMITS.maxReferenceUrlLength) {
    throw DomainError.badInput(`referenceImageUrl must be an https URL of at most ${MEDIA_LIMITS.maxReferenceUrlLength} characters, or an image data URL`, {
      field: 'referenceImageUrl',
    });
  }
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

/** The providers of a model in the order they are tried: its own first, then its fallbacks. */
export function routesOf(model: Pick<MediaModel, 'provider' | 'upstreamModel' | 'fallbacks'>): MediaRoute[] {
  return [{ provider: model.provider, upstreamModel: model.upstreamModel }, ...model.fallbacks];
}

export const MEDIA_LIMITS = {
  maxPromptLength: 4000,
  /** A reference image as an https URL, or inline as a data URL (about 3 MB of image). */
  maxReferenceUrlLength: 2048,
  maxReferenceDataUrlLength: 4_000_000,
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
