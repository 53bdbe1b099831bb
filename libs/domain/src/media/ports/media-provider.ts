import type { MediaKind } from '../media-model';

export interface GeneratedFile {
  bytes: Buffer;
  contentType: string;
}

export interface ImageRequest {
  upstreamModel: string;
  prompt: string;
  n: number;
  size: string | null;
  /** An image the generation starts from (https or data URL), already moderated. */
  referenceImageUrl?: string | null;
}

export interface VideoRequest {
  upstreamModel: string;
  prompt: string;
  seconds: number;
  size: string | null;
  /** An image the video starts from (https or data URL), already moderated. */
  referenceImageUrl?: string | null;
}

/** Where a provider's generation stands, in its own words mapped to three. */
export type ProviderVideoState =
  | { state: 'pending'; running: boolean }
  | { state: 'completed'; durationSeconds?: number }
  | { state: 'failed'; message: string };

export interface MediaCallOptions {
  apiKey: string;
  signal?: AbortSignal;
}

/**
 * A provider of generated media. Failures are thrown as `MediaProviderFailure`, saying whether a retry
 * may help and how long the provider asked us to wait.
 */
export abstract class MediaProvider {
  abstract readonly name: string;
  abstract readonly kinds: readonly MediaKind[];
  /** Images are made in one call. */
  abstract generateImages(request: ImageRequest, options: MediaCallOptions): Promise<GeneratedFile[]>;
  /** Videos are submitted, then polled, then downloaded. */
  abstract submitVideo(request: VideoRequest, options: MediaCallOptions): Promise<{ providerJobId: string }>;
  abstract videoState(providerJobId: string, options: MediaCallOptions): Promise<ProviderVideoState>;
  abstract downloadVideo(providerJobId: string, options: MediaCallOptions): Promise<GeneratedFile>;
  /**
   * Queue-based providers (fal) make images the way they make videos: submitted, polled with
   * `videoState`, then fetched. Without these two methods images are made by `generateImages`.
   */
  submitImages?(request: ImageRequest, options: MediaCallOptions): Promise<{ providerJobId: string }>;
  downloadImages?(providerJobId: string, options: MediaCallOptions): Promise<GeneratedFile[]>;
}

export interface ModerationVerdict {
  flagged: boolean;
  /** The categories the provider flagged (`violence`, `sexual/minors`…). */
  categories: string[];
}

/** Checks a prompt, and the reference images that come with it, before anything is generated. */
export abstract class ModerationProvider {
  abstract moderate(text: string, options: MediaCallOptions, imageUrls?: readonly string[]): Promise<ModerationVerdict>;
}

/** A provider call that failed: `retryable` for rate limits, timeouts and 5xx; never for a refusal. */
export class MediaProviderFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'MediaProviderFailure';
  }
}
