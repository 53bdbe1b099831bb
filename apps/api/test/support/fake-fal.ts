import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FAKE_MP4, FAKE_PNG, readBody } from './fake-media-openai';

export const FAKE_FAL_KEY = 'fal-key-id:fal-key-secret';

const QUEUE_HOST = 'https://queue.fal.run';

interface FakeFalRequest {
  id: string;
  endpointId: string;
  input: Record<string, unknown>;
  statusPolls: number;
  outcome: 'completed' | 'failed';
}

/** One call as the fake saw it: the fal URL the client targeted (through the proxy) and its body. */
export interface FalCall {
  method: string;
  /** `submit`, `status`, `result` or `file`. */
  kind: string;
  url: string;
  body: Record<string, unknown>;
  at: number;
}

/**
 * fal.ai on 127.0.0.1, reached the way a fal proxy is: the client sends every call to the proxy URL
 * with the real target in `x-fal-target-url`. Speaks fal's queue wire format: `POST
 * https://queue.fal.run/{endpoint}` → `{request_id, status_url, response_url, cancel_url}`; `GET
 * …/{owner}/{app}/requests/{id}/status` → `IN_QUEUE` (202), `IN_PROGRESS` (202), `COMPLETED` (200,
 * with `error` when the app failed); `GET …/requests/{id}` → the output (`images[].url` or
 * `video.url`, files served here as binary), errors as `{detail}`, 429 with Retry-After on demand.
 * Prompts containing PROVIDER_FAIL complete with an error.
 */
export class FakeFal {
  readonly calls: FalCall[] = [];
  /** Status polls a request answers IN_QUEUE, then IN_PROGRESS, before COMPLETED. */
  pollsToComplete = 2;
  private readonly planned = new Map<string, Array<{ status: number; retryAfter?: string }>>();
  private readonly requests = new Map<string, FakeFalRequest>();
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** The hub's configuration: fal keys and this fake as the fal proxy. */
  env(): Record<string, string> {
    return { FAL_KEY: FAKE_FAL_KEY, FAL_PROXY_URL: `${this.url}/api/fal/proxy` };
  }

  /** The next calls of a kind (`submit`, `status`, `result`) answer these errors, in order. */
  failNext(kind: string, ...answers: Array<{ status: number; retryAfter?: string }>): void {
    this.planned.set(kind, [...(this.planned.get(kind) ?? []), ...answers]);
  }

  of(kind: string): FalCall[] {
    return this.calls.filter((call) => call.kind === kind);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (req.method === 'GET' && path.startsWith('/files/')) return this.file(res, path);
    if (path !== '/api/fal/proxy') return detail(res, 404, 'Not Found');
    const target = String(req.headers['x-fal-target-url'] ?? '');
    if (!target.startsWith(`${QUEUE_HOST}/`)) return detail(res, 412, 'Invalid x-fal-target-url');
    const body = raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
    const route = new URL(target).pathname.replace(/^\//, '');
    const match = /^(.+?)\/requests\/([0-9a-f-]+)(\/status)?$/.exec(route);
    const kind = req.method === 'POST' && !match ? 'submit' : match?.[3] ? 'status' : 'result';
    this.calls.push({ method: req.method ?? '', kind, url: target, body, at: Date.now() });
    if (req.headers.authorization !== `Key ${FAKE_FAL_KEY}`) return detail(res, 401, 'Invalid Key Authorization header format');
    const planned = this.planned.get(kind)?.shift();
    if (planned) {
      if (planned.retryAfter) res.setHeader('retry-after', planned.retryAfter);
      return detail(res, planned.status, planned.status === 429 ? 'Too many requests: concurrent request limit reached' : 'Internal server error');
    }
    if (kind === 'submit') return this.submit(res, route, body);
    const request = this.requests.get(match?.[2] ?? '');
    // Status and result URLs name the app (`owner/alias`), not the endpoint's sub-path.
    if (!request || !request.endpointId.startsWith(`${match?.[1]}`)) return detail(res, 404, 'Request not found');
    return kind === 'status' ? this.status(res, request) : this.result(res, request);
  }

  private submit(res: ServerResponse, endpointId: string, input: Record<string, unknown>): void {
    if (typeof input['prompt'] !== 'string' || !input['prompt']) {
      return json(res, 422, { detail: [{ loc: ['body', 'prompt'], msg: 'field required', type: 'value_error.missing' }] });
    }
    const request: FakeFalRequest = {
      id: randomUUID(),
      endpointId,
      input,
      statusPolls: 0,
      outcome: String(input['prompt']).includes('PROVIDER_FAIL') ? 'failed' : 'completed',
    };
    this.requests.set(request.id, request);
    json(res, 200, { ...this.urls(request), queue_position: 0 });
  }

  private status(res: ServerResponse, request: FakeFalRequest): void {
    request.statusPolls += 1;
    const polls = request.statusPolls;
    if (polls < this.pollsToComplete) {
      const status = polls === 1 ? { status: 'IN_QUEUE', queue_position: 0 } : { status: 'IN_PROGRESS', logs: [] };
      return json(res, 202, { ...status, ...this.urls(request) });
    }
    const error = request.outcome === 'failed' ? { error: 'Generation failed: the model could not render this prompt', error_type: 'generation_error' } : {};
    json(res, 200, { status: 'COMPLETED', logs: [], metrics: { inference_time: 1.2 }, ...error, ...this.urls(request) });
  }

  private result(res: ServerResponse, request: FakeFalRequest): void {
    if (request.statusPolls < this.pollsToComplete) return detail(res, 400, 'Request is still in progress');
    if (request.outcome === 'failed') return detail(res, 500, 'Generation failed: the model could not render this prompt');
    if (request.endpointId.includes('video')) {
      return json(res, 200, { video: { url: `${this.url}/files/${request.id}.mp4`, content_type: 'video/mp4', file_name: 'output.mp4', file_size: FAKE_MP4.length } });
    }
    const count = Number(request.input['num_images'] ?? 1);
    json(res, 200, {
      images: Array.from({ length: count }, (_, n) => ({ url: `${this.url}/files/${request.id}-${n}.png`, width: 1024, height: 768, content_type: 'image/png' })),
      timings: { inference: 0.4 },
      seed: 42,
      has_nsfw_concepts: Array.from({ length: count }, () => false),
      prompt: request.input['prompt'],
    });
  }

  /** fal's CDN: result files, public and binary. */
  private file(res: ServerResponse, path: string): void {
    this.calls.push({ method: 'GET', kind: 'file', url: `${this.url}${path}`, body: {}, at: Date.now() });
    const video = path.endsWith('.mp4');
    const bytes = video ? FAKE_MP4 : FAKE_PNG;
    res.writeHead(200, { 'content-type': video ? 'video/mp4' : 'image/png', 'content-length': String(bytes.length) });
    res.end(bytes);
  }

  private urls(request: FakeFalRequest) {
    const app = request.endpointId.split('/').slice(0, 2).join('/');
    const base = `${QUEUE_HOST}/${app}/requests/${request.id}`;
    return { request_id: request.id, response_url: base, status_url: `${base}/status`, cancel_url: `${base}/cancel` };
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-fal-request-id': randomUUID() });
  res.end(JSON.stringify(body));
}

function detail(res: ServerResponse, status: number, message: string): void {
  json(res, status, { detail: message });
}
