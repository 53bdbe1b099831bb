import {
  GeneratedFile,
  ImageRequest,
  MediaCallOptions,
  MediaKind,
  MediaProvider,
  MediaProviderFailure,
  ModerationProvider,
  ModerationVerdict,
  ProviderFailure,
  ProviderVideoState,
  VideoRequest,
} from '@sah/domain';
import OpenAI from 'openai';
import type { ImageGenerateParams } from 'openai/resources/images';
import type { ModerationCreateParams } from 'openai/resources/moderations';
import type { VideoCreateParams } from 'openai/resources/videos';
import { toProviderFailure } from './provider-failures';

const MODERATION_MODEL = 'omni-moderation-latest';

/** The SDK's error as the media context reads it: retryable or not, and the provider's Retry-After. */
function mediaFailure(error: unknown): MediaProviderFailure {
  const failure = toProviderFailure(error, OpenAI);
  if (failure instanceof ProviderFailure) {
    return new MediaProviderFailure(failure.message, failure.retryable, failure.retryAfterMs, failure.status);
  }
  return new MediaProviderFailure(failure.message, true);
}

/** `images.generate` and this adapter's `videos.create` take no reference image: refused, never dropped silently. */
function refuseReference(request: { referenceImageUrl?: string | null }): void {
  if (request.referenceImageUrl) throw new MediaProviderFailure('This provider takes no reference image for this model', false);
}

/** One SDK client per key and base URL; the media queue does its own retries, so the SDK's are off. */
class OpenAiClients {
  private readonly clients = new Map<string, OpenAI>();

  constructor(private readonly options: { baseUrl?: string; timeoutMs: number }) {}

  of(apiKey: string): OpenAI {
    let client = this.clients.get(apiKey);
    if (!client) {
      client = new OpenAI({ apiKey, baseURL: this.options.baseUrl, maxRetries: 0, timeout: this.options.timeoutMs });
      this.clients.set(apiKey, client);
    }
    return client;
  }
}

/**
 * OpenAI's images API and the OpenAI video protocol (`/videos`: create → retrieve → content), through
 * the official SDK. Any vendor serving the same protocol is this adapter with another base URL; the
 * video calls have their own (`videoBaseUrl`, default `baseUrl`), as Sora 2 is served by other vendors.
 */
export class OpenAiMediaProvider extends MediaProvider {
  readonly name = 'openai';
  readonly kinds: readonly MediaKind[] = ['image', 'video'];
  private readonly clients: OpenAiClients;
  private readonly videoClients: OpenAiClients;

  constructor(options: { baseUrl?: string; videoBaseUrl?: string; timeoutMs: number }) {
    super();
    this.clients = new OpenAiClients(options);
    this.videoClients = new OpenAiClients({ baseUrl: options.videoBaseUrl ?? options.baseUrl, timeoutMs: options.timeoutMs });
  }

  async generateImages(request: ImageRequest, { apiKey, signal }: MediaCallOptions): Promise<GeneratedFile[]> {
    refuseReference(request);
    try {
      const response = await this.clients.of(apiKey).images.generate(
        {
          model: request.upstreamModel,
          prompt: request.prompt,
          n: request.n,
          ...(request.size ? { size: request.size as ImageGenerateParams['size'] } : {}),
        },
        { signal },
      );
      const images = (response.data ?? []).map((image) => {
        if (!image.b64_json) throw new MediaProviderFailure('The provider answered an image without data', false);
        return { bytes: Buffer.from(image.b64_json, 'base64'), contentType: `image/${response.output_format ?? 'png'}` };
      });
      if (images.length === 0) throw new MediaProviderFailure('The provider answered no image', false);
      return images;
    } catch (error) {
      throw error instanceof MediaProviderFailure ? error : mediaFailure(error);
    }
  }

  async submitVideo(request: VideoRequest, { apiKey, signal }: MediaCallOptions): Promise<{ providerJobId: string }> {
    refuseReference(request);
    try {
      const video = await this.videoClients.of(apiKey).videos.create(
        {
          model: request.upstreamModel,
          prompt: request.prompt,
          seconds: String(request.seconds) as VideoCreateParams['seconds'],
          ...(request.size ? { size: request.size as VideoCreateParams['size'] } : {}),
        },
        { signal },
      );
      return { providerJobId: video.id };
    } catch (error) {
      throw mediaFailure(error);
    }
  }

  async videoState(providerJobId: string, { apiKey, signal }: MediaCallOptions): Promise<ProviderVideoState> {
    try {
      const video = await this.videoClients.of(apiKey).videos.retrieve(providerJobId, { signal });
      switch (video.status) {
        case 'completed': {
          // `seconds` is a string ('4', '8', '12') in the protocol.
          const seconds = Number(video.seconds);
          return Number.isFinite(seconds) && seconds > 0 ? { state: 'completed', durationSeconds: seconds } : { state: 'completed' };
        }
        case 'failed':
          return { state: 'failed', message: video.error?.message ?? 'The provider failed to generate the video' };
        default:
          return { state: 'pending', running: video.status === 'in_progress' };
      }
    } catch (error) {
      throw mediaFailure(error);
    }
  }

  async downloadVideo(providerJobId: string, { apiKey, signal }: MediaCallOptions): Promise<GeneratedFile> {
    try {
      const response = await this.videoClients.of(apiKey).videos.downloadContent(providerJobId, { variant: 'video' }, { signal });
      const bytes = Buffer.from(await response.arrayBuffer());
      return { bytes, contentType: response.headers.get('content-type')?.split(';')[0] || 'video/mp4' };
    } catch (error) {
      throw mediaFailure(error);
    }
  }
}

/** OpenAI's moderation endpoint (`omni-moderation-latest`). */
export class OpenAiModerationProvider extends ModerationProvider {
  private readonly clients: OpenAiClients;

  constructor(options: { baseUrl?: string; timeoutMs: number }) {
    super();
    this.clients = new OpenAiClients(options);
  }

  /** A prompt alone goes as a string; with reference images, as multi-modal input (text and image_url parts). */
  async moderate(text: string, { apiKey, signal }: MediaCallOptions, imageUrls: readonly string[] = []): Promise<ModerationVerdict> {
    const input: ModerationCreateParams['input'] = imageUrls.length
      ? [{ type: 'text', text }, ...imageUrls.map((url) => ({ type: 'image_url' as const, image_url: { url } }))]
      : text;
    try {
      const response = await this.clients.of(apiKey).moderations.create({ model: MODERATION_MODEL, input }, { signal });
      const flagged = response.results.some((result) => result.flagged);
      const categories = new Set<string>();
      for (const result of response.results) {
        for (const [category, hit] of Object.entries(result.categories)) if (hit) categories.add(category);
      }
      return { flagged, categories: [...categories].sort() };
    } catch (error) {
      throw mediaFailure(error);
    }
  }
}
