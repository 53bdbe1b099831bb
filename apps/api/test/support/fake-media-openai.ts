import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_MEDIA_API_KEY = 'sk-fake-media';

/** A 1×1 PNG: what the fake "generates". */
export const FAKE_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
/** The start of an MP4 (ftyp box) plus some bytes. */
export const FAKE_MP4 = Buffer.concat([Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex'), randomBytes(64)]);

interface FakeVideo {
  id: string;
  model: string;
  prompt: string;
  seconds: string;
  size: string;
  createdAt: number;
  polls: number;
  /** Fixed outcome; "completed" after `pollsToComplete` retrieves. */
  outcome: 'completed' | 'failed';
  /** Not completed before this instant (epoch ms), whatever the polls. */
  notBefore: number;
}

export interface RecordedMediaRequest {
  method: string;
  path: string;
  contentType: string;
  body: Record<string, unknown>;
  /** The bearer the call carried. */
  apiKey: string | null;
}

/**
 * OpenAI's media endpoints on 127.0.0.1 in OpenAI's wire format: `POST /v1/images/generations`
 * (b64_json + usage), `POST /v1/videos` (multipart or JSON) → `GET /v1/videos/:id` (queued,
 * in_progress, completed, failed) → `GET /v1/videos/:id/content` (binary), `POST /v1/moderations`,
 * and 429 with Retry-After or 500 on demand. Prompts (or reference image URLs) containing FLAGGED are flagged by moderation; video
 * prompts containing PROVIDER_FAIL end `failed`.
 */
export class FakeMediaOpenAI {
  readonly requests: RecordedMediaRequest[] = [];
  /** Retrieves before a video completes. */
  pollsToComplete = 2;
  /** Videos created from now on complete no earlier than this many ms after creation. */
  videoMinMs = 0;
  /** How long each `GET /v1/videos/:id` takes to answer (a slow provider keeps workers busy). */
  retrieveDelayMs = 0;
  /** The next N calls to this path answer 429 with `Retry-After: 1`… */
  private readonly rateLimited = new Map<string, number>();
  private readonly serverErrors = new Map<string, number>();
  /** …or, for moderations, 503 while `moderationDown`. */
  moderationDown = false;
  private readonly videos = new Map<string, FakeVideo>();
  private server?: Server;
  url = '';

  /** `apiKey`: the only key this fake accepts (a video vendor has keys of its own). */
  constructor(readonly apiKey = FAKE_MEDIA_API_KEY) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** The hub's configuration pointing its OpenAI adapters at this fake. */
  env(): Record<string, string> {
    return { OPENAI_API_KEY: this.apiKey, OPENAI_BASE_URL: this.url };
  }

  rateLimit(path: string, times: number): void {
    this.rateLimited.set(path, times);
  }

  /** The next N calls to this path answer 500 (a provider having an outage). */
  failServer(path: string, times: number): void {
    this.serverErrors.set(path, times);
  }

  calls(path: string): RecordedMediaRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const contentType = req.headers['content-type'] ?? '';
    const body = contentType.startsWith('multipart/form-data') ? parseMultipart(raw, contentType) : raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
    const path = (req.url ?? '').split('?')[0] ?? '';
    const apiKey = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? null;
    this.requests.push({ method: req.method ?? '', path, contentType, body, apiKey });
    if (apiKey !== this.apiKey) {
      return error(res, 401, 'invalid_request_error', 'invalid_api_key', 'Incorrect API key provided.');
    }
    const limited = this.rateLimited.get(path) ?? 0;
    if (limited > 0) {
      this.rateLimited.set(path, limited - 1);
      res.setHeader('retry-after', '1');
      return error(res, 429, 'requests', 'rate_limit_exceeded', 'Rate limit reached for requests. Please try again later.');
    }
    const failing = this.serverErrors.get(path) ?? 0;
    if (failing > 0) {
      this.serverErrors.set(path, failing - 1);
      return error(res, 500, 'server_error', null, 'The server had an error while processing your request. Sorry about that!');
    }
    if (req.method === 'POST' && path === '/v1/moderations') return this.moderate(res, body);
    if (req.method === 'POST' && path === '/v1/images/generations') return this.image(res, body);
    if (req.method === 'POST' && path === '/v1/videos') return this.createVideo(res, body);
    const match = /^\/v1\/videos\/([\w-]+)(\/content)?$/.exec(path);
    if (req.method === 'GET' && match) {
      if (!match[2] && this.retrieveDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.retrieveDelayMs));
      return this.video(res, match[1] as string, Boolean(match[2]));
    }
    error(res, 404, 'invalid_request_error', null, `Unknown request URL: ${req.method} ${path}.`);
  }

  private moderate(res: ServerResponse, body: Record<string, unknown>): void {
    if (this.moderationDown) return error(res, 503, 'server_error', null, 'The server is overloaded or not ready yet.');
    // A string, or multi-modal parts (`text`, `image_url`) when a reference image comes along.
    const parts = Array.isArray(body['input']) ? (body['input'] as Array<{ type: string; text?: string; image_url?: { url?: string } }>) : [{ type: 'text', text: String(body['input'] ?? '') }];
    const flagged = parts.some((part) => (part.type === 'text' ? (part.text ?? '') : (part.image_url?.url ?? '')).includes('FLAGGED'));
    const types = [...new Set(parts.map((part) => (part.type === 'image_url' ? 'image' : 'text')))];
    const categories = { harassment: false, 'harassment/threatening': false, hate: false, 'hate/threatening': false, illicit: false, 'illicit/violent': false, 'self-harm': false, 'self-harm/intent': false, 'self-harm/instructions': false, sexual: false, 'sexual/minors': false, violence: flagged, 'violence/graphic': flagged };
    const scores = Object.fromEntries(Object.entries(categories).map(([name, hit]) => [name, hit ? 0.93 : 0.0001]));
    json(res, 200, {
      id: `modr-${randomBytes(8).toString('hex')}`,
      model: 'omni-moderation-latest',
      results: [{ flagged, categories, category_scores: scores, category_applied_input_types: Object.fromEntries(Object.keys(categories).map((name) => [name, types])) }],
    });
  }

  private image(res: ServerResponse, body: Record<string, unknown>): void {
    const n = Number(body['n'] ?? 1);
    json(res, 200, {
      created: Math.floor(Date.now() / 1000),
      background: 'opaque',
      data: Array.from({ length: n }, () => ({ b64_json: FAKE_PNG.toString('base64') })),
      output_format: 'png',
      quality: 'medium',
      size: body['size'] ?? '1024x1024',
      usage: { input_tokens: 12, input_tokens_details: { image_tokens: 0, text_tokens: 12 }, output_tokens: 1056 * n, total_tokens: 12 + 1056 * n },
    });
  }

  private createVideo(res: ServerResponse, body: Record<string, unknown>): void {
    const prompt = String(body['prompt'] ?? '');
    const video: FakeVideo = {
      id: `video_${randomBytes(12).toString('hex')}`,
      model: String(body['model'] ?? 'sora-2'),
      prompt,
      seconds: String(body['seconds'] ?? '4'),
      size: String(body['size'] ?? '720x1280'),
      createdAt: Date.now(),
      polls: 0,
      outcome: prompt.includes('PROVIDER_FAIL') ? 'failed' : 'completed',
      notBefore: Date.now() + this.videoMinMs,
    };
    this.videos.set(video.id, video);
    json(res, 200, this.videoObject(video, 'queued'));
  }

  private video(res: ServerResponse, id: string, content: boolean): void {
    const video = this.videos.get(id);
    if (!video) return error(res, 404, 'invalid_request_error', null, `Video with id '${id}' not found.`);
    const status = this.statusOf(video);
    if (!content) {
      video.polls += 1;
      return json(res, 200, this.videoObject(video, status));
    }
    if (status !== 'completed') return error(res, 400, 'invalid_request_error', null, 'Video is not ready yet.');
    res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(FAKE_MP4.length) });
    res.end(FAKE_MP4);
  }

  private statusOf(video: FakeVideo): 'queued' | 'in_progress' | 'completed' | 'failed' {
    if (video.polls === 0) return 'queued';
    if (video.polls < this.pollsToComplete || Date.now() < video.notBefore) return 'in_progress';
    return video.outcome;
  }

  private videoObject(video: FakeVideo, status: string) {
    const done = status === 'completed' || status === 'failed';
    return {
      id: video.id,
      object: 'video',
      created_at: Math.floor(video.createdAt / 1000),
      completed_at: done ? Math.floor(Date.now() / 1000) : null,
      error: status === 'failed' ? { code: 'generation_failed', message: 'Video generation failed.' } : null,
      expires_at: done ? Math.floor(Date.now() / 1000) + 3600 : null,
      model: video.model,
      progress: status === 'completed' ? 100 : status === 'in_progress' ? 50 : 0,
      prompt: video.prompt,
      remixed_from_video_id: null,
      seconds: video.seconds,
      size: video.size,
      status,
    };
  }
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Text fields of a multipart/form-data body (what the SDK's `videos.create` sends). */
function parseMultipart(raw: Buffer, contentType: string): Record<string, unknown> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  const marker = `--${boundary?.[1] ?? boundary?.[2] ?? ''}`;
  const fields: Record<string, unknown> = {};
  for (const part of raw.toString('utf8').split(marker)) {
    const name = /name="([^"]+)"/.exec(part)?.[1];
    const split = part.indexOf('\r\n\r\n');
    if (name && split >= 0) fields[name] = part.slice(split + 4).replace(/\r\n$/, '');
  }
  return fields;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_${randomBytes(8).toString('hex')}` });
  res.end(JSON.stringify(body));
}

function error(res: ServerResponse, status: number, type: string, code: string | null, message: string): void {
  json(res, status, { error: { message, type, param: null, code } });
}
