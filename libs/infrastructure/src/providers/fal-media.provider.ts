import { createFalClient, type FalClient } from '@fal-ai/client';
import {
  GeneratedFile,
  ImageRequest,
  MediaCallOptions,
  MediaKind,
  MediaProvider,
  MediaProviderFailure,
  ProviderVideoState,
  VideoRequest,
} from '@sah/domain';

export interface FalMediaOptions {
  /**
   * A fal proxy (the `x-fal-target-url` protocol): every queue call goes there instead of
   * `queue.fal.run`. Unset in production without a proxy; tests point it at a local fake.
   */
  proxyUrl?: string;
  timeoutMs: number;
}

/** A fal answer that was not a success, read before the client sees it (so its own retries stay out of the way). */
class FalWireFailure extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'FalWireFailure';
  }
}

interface FalImageOutput {
  images?: Array<{ url?: string; content_type?: string }>;
}
interface FalVideoOutput {
  video?: { url?: string; content_type?: string };
}
interface FalStatus {
  status?: string;
  error?: string | null;
}

/** fal's request id and the endpoint it ran on, kept together as our provider job id. */
const SEPARATOR = '::';

/**
 * fal.ai's queue API through the official `@fal-ai/client`: submit → status → result, then the
 * files downloaded from the URLs the result names. Images and videos both go through the queue, so
 * a submitted generation is polled (never submitted twice). The media queue does its own retries and
 * honours Retry-After, so the client's retries are kept out: its `fetch` turns every non-2xx answer
 * and broken connection into a failure the client does not retry.
 */
export class FalMediaProvider extends MediaProvider {
  readonly name = 'fal';
  readonly kinds: readonly MediaKind[] = ['image', 'video'];
  private readonly clients = new Map<string, FalClient>();

  constructor(private readonly options: FalMediaOptions) {
    super();
  }

  /** fal makes images through its queue too: see `submitImages`. */
  async generateImages(): Promise<GeneratedFile[]> {
    throw new MediaProviderFailure('fal images are submitted to its queue, not generated in one call', false);
  }

  override submitImages(request: ImageRequest, options: MediaCallOptions): Promise<{ providerJobId: string }> {
    return this.submit(
      request.upstreamModel,
      {
        prompt: request.prompt,
        num_images: request.n,
        ...(request.size ? { image_size: imageSize(request.size) } : {}),
        ...(request.referenceImageUrl ? { image_url: request.referenceImageUrl } : {}),
      },
      options,
    );
  }

  submitVideo(request: VideoRequest, options: MediaCallOptions): Promise<{ providerJobId: string }> {
    return this.submit(
      request.upstreamModel,
      {
        prompt: request.prompt,
        // Kling makes 5 or 10 second videos.
        duration: request.seconds > 5 ? '10' : '5',
        ...(request.size ? { aspect_ratio: aspectRatio(request.size) } : {}),
        ...(request.referenceImageUrl ? { image_url: request.referenceImageUrl } : {}),
      },
      options,
    );
  }

  async videoState(providerJobId: string, { apiKey, signal }: MediaCallOptions): Promise<ProviderVideoState> {
    const { endpointId, requestId } = parseJobId(providerJobId);
    const status = (await this.call(() =>
      this.client(apiKey).queue.status(endpointId, { requestId, logs: false, abortSignal: this.signal(signal) }),
    )) as FalStatus;
    switch (status.status) {
      case 'COMPLETED':
        return status.error ? { state: 'failed', message: status.error } : { state: 'completed' };
      case 'IN_PROGRESS':
        return { state: 'pending', running: true };
      case 'IN_QUEUE':
        return { state: 'pending', running: false };
      default:
        throw new MediaProviderFailure(`fal answered an unknown queue status: ${String(status.status)}`, true);
    }
  }

  override async downloadImages(providerJobId: string, options: MediaCallOptions): Promise<GeneratedFile[]> {
    const output = (await this.result(providerJobId, options)) as FalImageOutput;
    const urls = (output.images ?? []).map((image) => image.url).filter((url): url is string => Boolean(url));
    if (urls.length === 0) throw new MediaProviderFailure('fal answered no image', false);
    return Promise.all(urls.map((url) => this.download(url, 'image/png', options.signal)));
  }

  async downloadVideo(providerJobId: string, options: MediaCallOptions): Promise<GeneratedFile> {
    const output = (await this.result(providerJobId, options)) as FalVideoOutput;
    if (!output.video?.url) throw new MediaProviderFailure('fal answered no video', false);
    return this.download(output.video.url, 'video/mp4', options.signal);
  }

  private async submit(endpointId: string, input: Record<string, unknown>, { apiKey, signal }: MediaCallOptions) {
    const queued = await this.call(() => this.client(apiKey).queue.submit(endpointId, { input, abortSignal: this.signal(signal) }));
    if (!queued.request_id) throw new MediaProviderFailure('fal answered a submission without a request id', false);
    return { providerJobId: `${endpointId}${SEPARATOR}${queued.request_id}` };
  }

  private async result(providerJobId: string, { apiKey, signal }: MediaCallOptions): Promise<unknown> {
    const { endpointId, requestId } = parseJobId(providerJobId);
    const result = await this.call(() => this.client(apiKey).queue.result(endpointId, { requestId, abortSignal: this.signal(signal) }));
    return result.data;
  }

  /** Result files live on fal's CDN (public, short-lived URLs): fetched at once, never hot-linked. */
  private async download(url: string, fallbackType: string, signal?: AbortSignal): Promise<GeneratedFile> {
    if (!/^https?:\/\//.test(url)) throw new MediaProviderFailure('fal named a result file that is not an http(s) URL', false);
    const response = await fetch(url, { signal: this.signal(signal) }).catch((error: unknown) => {
      throw new MediaProviderFailure(`The fal result file could not be fetched: ${(error as Error).message}`, true);
    });
    if (!response.ok) throw failureOf(await wireFailure(response));
    const bytes = Buffer.from(await response.arrayBuffer());
    return { bytes, contentType: response.headers.get('content-type')?.split(';')[0] || fallbackType };
  }

  private async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof MediaProviderFailure) throw error;
      if (error instanceof FalWireFailure) throw failureOf(error);
      throw new MediaProviderFailure(`fal could not be reached: ${error instanceof Error ? error.message : String(error)}`, true);
    }
  }

  private signal(signal?: AbortSignal): AbortSignal {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    return signal ? AbortSignal.any([signal, timeout]) : timeout;
  }

  /** One client per key (fal's `Key` credentials); all of them through the proxy when one is configured. */
  private client(apiKey: string): FalClient {
    let client = this.clients.get(apiKey);
    if (!client) {
      client = createFalClient({
        credentials: apiKey,
        ...(this.options.proxyUrl ? { proxyUrl: { url: this.options.proxyUrl, when: 'always' as const } } : {}),
        retry: { maxRetries: 0 },
        fetch: strictFetch,
      });
      this.clients.set(apiKey, client);
    }
    return client;
  }
}

/** The client's fetch: answers only successes; anything else becomes a failure the client passes on untouched. */
async function strictFetch(input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(input, init);
  } catch (error) {
    throw new FalWireFailure(`fal could not be reached: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (response.ok) return response;
  throw await wireFailure(response);
}

async function wireFailure(response: Response): Promise<FalWireFailure> {
  const text = await response.text().catch(() => '');
  let message = `fal answered HTTP ${response.status}`;
  try {
    const body = JSON.parse(text) as { detail?: unknown; message?: unknown };
    const detail = typeof body.detail === 'string' ? body.detail : typeof body.message === 'string' ? body.message : Array.isArray(body.detail) ? JSON.stringify(body.detail) : null;
    if (detail) message = `${message}: ${detail.slice(0, 300)}`;
  } catch {
    // Not JSON: the status says enough.
  }
  return new FalWireFailure(message, response.status, retryAfterMs(response.headers.get('retry-after')));
}

/** Rate limits, timeouts, conflicts and server errors may pass; any other refusal will not. */
function failureOf(error: FalWireFailure): MediaProviderFailure {
  const status = error.status;
  const retryable = status === undefined || status === 408 || status === 409 || status === 429 || status >= 500;
  if (status === 401 || status === 403) return new MediaProviderFailure('fal refused the hub’s credentials', false, undefined, status);
  return new MediaProviderFailure(error.message, retryable, error.retryAfterMs, status);
}

function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function parseJobId(providerJobId: string): { endpointId: string; requestId: string } {
  const at = providerJobId.lastIndexOf(SEPARATOR);
  if (at <= 0) throw new MediaProviderFailure(`Not a fal job id: ${providerJobId}`, false);
  return { endpointId: providerJobId.slice(0, at), requestId: providerJobId.slice(at + SEPARATOR.length) };
}

/** `1024x768` → fal's `{width, height}`. */
function imageSize(size: string): { width: number; height: number } | string {
  const match = /^(\d{2,5})x(\d{2,5})$/.exec(size);
  return match ? { width: Number(match[1]), height: Number(match[2]) } : size;
}

/** `1280x720` → `16:9`; Kling takes 16:9, 9:16 or 1:1. */
function aspectRatio(size: string): string {
  const match = /^(\d+)x(\d+)$/.exec(size);
  if (!match) return size;
  const ratio = Number(match[1]) / Number(match[2]);
  return ratio > 1.2 ? '16:9' : ratio < 0.8 ? '9:16' : '1:1';
}
