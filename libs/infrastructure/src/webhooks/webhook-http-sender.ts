import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { AddressPolicy, checkAddress, guardedLookup, Resolve, systemResolve } from './webhook-address-guard';

export const RESPONSE_BODY_LOG_BYTES = 4096;
const FREE_SOCKET_TIMEOUT_MS = 4_000;

export interface WebhookRequest {
  url: URL;
  /** Plain http or another port than 80/443 (loopback only, see the address policy). */
  loopbackOnly: boolean;
  headers: Record<string, string>;
  body: string;
}

export type WebhookResponse =
  | { status: number; headers: Record<string, string>; body: string; durationMs: number }
  | { error: string; durationMs: number };

/**
 * POSTs one webhook with node:http(s): no redirects followed, no proxy (node:http reads no proxy
 * variables), every address checked when the socket connects, one deadline for the whole exchange,
 * and only the first 4 kB of the answer kept. Keep-alive agents per policy keep throughput up.
 */
export class WebhookHttpSender {
  private readonly agents = new Map<string, { http: http.Agent; https: https.Agent }>();

  constructor(
    private readonly options: {
      allowLoopback: boolean;
      timeoutMs: number;
      resolve?: Resolve;
      userAgent?: string;
    },
  ) {}

  send(request: WebhookRequest): Promise<WebhookResponse> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const policy: AddressPolicy = {
      allowLoopback: this.options.allowLoopback,
      loopbackOnly: request.loopbackOnly,
    };
    const host = request.url.hostname.replace(/^\[(.*)\]$/, '$1');
    try {
      // Sockets skip `lookup` for literal addresses, so those are checked here.
      if (isIP(host)) checkAddress(host, host, policy);
    } catch (error) {
      return Promise.resolve({ error: (error as Error).message, durationMs: elapsed() });
    }
    const secure = request.url.protocol === 'https:';
    const agents = this.agentsFor(policy);
    return new Promise((resolve) => {
      let settled = false;
      let current: http.ClientRequest | undefined;
      const finish = (response: WebhookResponse) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        resolve(response);
      };
      const deadline = setTimeout(
        () => current?.destroy(new Error(`no complete answer within ${this.options.timeoutMs} ms`)),
        this.options.timeoutMs,
      );
      const post = (firstTry: boolean) => {
        let answered = false;
        const req = (secure ? https : http).request(request.url, {
          method: 'POST',
          agent: secure ? agents.https : agents.http,
          headers: {
            ...request.headers,
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(request.body)),
            'user-agent': this.options.userAgent ?? 'SmartAIHub-Webhooks/1',
          },
        });
        current = req;
        req.on('error', (error: NodeJS.ErrnoException) => {
          // A kept-alive socket the receiver closed just as we reused it (its idle timeout): Node's
          // documented remedy is to send again on a new socket, once. Receivers dedupe by webhook-id.
          if (firstTry && !answered && req.reusedSocket && error.code === 'ECONNRESET') return post(false);
          finish({ error: error.message, durationMs: elapsed() });
        });
        req.on('response', (res) => {
          answered = true;
          const chunks: Buffer[] = [];
          let kept = 0;
          res.on('data', (chunk: Buffer) => {
            if (kept < RESPONSE_BODY_LOG_BYTES) {
              chunks.push(chunk.subarray(0, RESPONSE_BODY_LOG_BYTES - kept));
              kept += Math.min(chunk.length, RESPONSE_BODY_LOG_BYTES - kept);
            }
          });
          const done = () =>
            finish({
              status: res.statusCode ?? 0,
              headers: flatHeaders(res.headers),
              body: Buffer.concat(chunks).toString('utf8'),
              durationMs: elapsed(),
            });
          res.on('end', done);
          res.on('error', done);
        });
        req.end(request.body);
      };
      post(true);
    });
  }

  close(): void {
    for (const { http: plain, https: secure } of this.agents.values()) {
      plain.destroy();
      secure.destroy();
    }
  }

  private agentsFor(policy: AddressPolicy): { http: http.Agent; https: https.Agent } {
    const key = `${policy.allowLoopback}:${policy.loopbackOnly}`;
    let agents = this.agents.get(key);
    if (!agents) {
      const lookup = guardedLookup(
        policy,
        this.options.resolve ?? systemResolve,
      ) as unknown as http.AgentOptions['lookup'];
      // Idle sockets close after 4 s, before the 5 s idle timeout of many servers (Node's among them).
      const options = { keepAlive: true, maxSockets: 64, timeout: FREE_SOCKET_TIMEOUT_MS, lookup };
      agents = { http: new http.Agent(options), https: new https.Agent(options) };
      this.agents.set(key, agents);
    }
    return agents;
  }
}

function flatHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
}
