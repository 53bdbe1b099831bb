import { MEDIA_JOBS, QUEUES } from '@sah/infrastructure';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import OpenAI from 'openai';
import { createAiUser } from './support/ai-fixtures';
import { assertBuilt, BUILT_MAIN, freePort, RunningProcess, startProcess } from './support/api-process';
import { fund } from './support/billing-fixtures';
import { FakeFal } from './support/fake-fal';
import { FakeOpenAI } from './support/fake-openai';
import { dataOf, gql } from './support/graphql-client';
import { createSignedInUser, PASSWORD, uniqueEmail } from './support/identity-fixtures';
import { eventually, startTestApp, TestApp, testEnv } from './support/test-app';

/** One span as OTLP/JSON carries it (ids in hex). */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: Array<{ key: string; value: Record<string, unknown> }>;
  scope: string;
}
const SPAN_KIND = { SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 };

/** A local OTLP/HTTP receiver: keeps every span POSTed to /v1/traces (the JSON encoding). */
class OtlpSink {
  readonly spans: OtlpSpan[] = [];
  readonly raw: string[] = [];
  /** Where the process sent anything: traces only, no OTLP metrics or logs. */
  readonly paths: string[] = [];
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        this.paths.push(req.url ?? '');
        if (req.url !== '/v1/traces') return void res.writeHead(404).end();
        this.raw.push(body);
        const parsed = JSON.parse(body) as {
          resourceSpans: Array<{ scopeSpans: Array<{ scope: { name: string }; spans: Omit<OtlpSpan, 'scope'>[] }> }>;
        };
        for (const resource of parsed.resourceSpans) {
          for (const scoped of resource.scopeSpans) this.spans.push(...scoped.spans.map((span) => ({ ...span, scope: scoped.scope.name })));
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((done) => this.server?.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  stop(): Promise<void> {
    return new Promise((done) => (this.server ? this.server.close(() => done()) : done()));
  }
}

const attribute = (span: OtlpSpan, key: string) => {
  const value = span.attributes?.find((a) => a.key === key)?.value;
  return value ? Object.values(value)[0] : undefined;
};

/** The span's parent, grandparent … up to the root, as far as they were received. */
function ancestors(span: OtlpSpan, spans: OtlpSpan[]): OtlpSpan[] {
  const chain: OtlpSpan[] = [];
  for (let parent = spans.find((s) => s.spanId === span.parentSpanId); parent; parent = spans.find((s) => s.spanId === parent?.parentSpanId)) {
    chain.push(parent);
  }
  return chain;
}

const startOf = (span: OtlpSpan) => BigInt(span.startTimeUnixNano);
const endOf = (span: OtlpSpan) => BigInt(span.endTimeUnixNano);

/**
 * The built API as a process with OTEL_EXPORTER_OTLP_ENDPOINT set (instrumentation must load before
 * express, pg and ioredis, which an in-Jest app cannot do). An in-Jest app on the same database seeds
 * the user, key and credits.
 */
describe('tracing: one AI call through the OpenAI-compatible gateway is one trace', () => {
  const sink = new OtlpSink();
  const upstream = new FakeOpenAI();
  const fal = new FakeFal();
  const storageDir = mkdtempSync(join(tmpdir(), 'traced-media-'));
  let seeder: TestApp;
  let api: RunningProcess;
  let url: string;

  beforeAll(async () => {
    assertBuilt();
    const [endpoint] = await Promise.all([sink.start(), upstream.start(), fal.start()]);
    seeder = await startTestApp({ ...upstream.env(), WORKERS: 'off' });
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    api = startProcess([BUILT_MAIN], {
      ...testEnv({ ...upstream.env(), DATABASE_URL: seeder.config.database.url, LOG_LEVEL: 'info' }),
      // Media jobs on fal (OPENAI_BASE_URL is the chat fake), unmoderated: its moderation is OpenAI's.
      ...fal.env(),
      MEDIA_MODERATION: 'off',
      MEDIA_STORAGE_DIR: storageDir,
      MEDIA_POLL_INTERVAL_MS: '50',
      PORT: String(port),
      HOST: '127.0.0.1',
      ADMIN_DIST_DIR: '/nonexistent-sah-console',
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_TRACES_SAMPLER_ARG: '1',
      // Export spans a fifth of a second after they end, not after the default 5 s.
      OTEL_BSP_SCHEDULE_DELAY: '200',
    });
    // A niced process on a busy 2-core machine can take minutes to boot; waiting for the line costs nothing when it is quick.
    await api.waitFor(/ready: API/, 180_000);
  }, 240_000);
  afterAll(async () => {
    api?.child.kill('SIGTERM');
    await api?.exited;
    await seeder?.close();
    await Promise.all([sink.stop(), upstream.stop(), fal.stop()]);
    rmSync(storageDir, { recursive: true, force: true });
  }, 60_000);

  it('holds the request, database and provider call spans, and the provider got its traceparent', async () => {
    const user = await createAiUser(seeder);
    await fund(seeder, user.userId, 100);
    const prompt = `secret-prompt-${user.userId}`;
    const answer = `secret-answer-${user.userId}`;
    upstream.reply({ text: answer, usage: { input: 12, output: 3 } });

    const completion = await new OpenAI({ apiKey: user.apiKey, baseURL: `${url}/v1`, maxRetries: 0 }).chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: prompt }],
    });
    expect(completion.choices[0]?.message.content).toBe(answer);

    const traceparent = String(upstream.requests[0]?.headers.traceparent ?? '');
    expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const [, traceId, providerCallSpanId] = traceparent.split('-');

    const isRequest = (span: OtlpSpan) => span.traceId === traceId && span.kind === SPAN_KIND.SERVER;
    const spans = await eventually(
      async () => sink.spans.filter((span) => span.traceId === traceId),
      (found) =>
        found.some(isRequest) && found.some((span) => span.spanId === providerCallSpanId) && found.some((span) => span.name === 'billing.capture'),
      30_000,
    );
    const request = spans.find(isRequest);
    expect(request && attribute(request, 'url.path')).toBe('/v1/chat/completions');
    expect(spans.filter((span) => span.scope.includes('instrumentation-pg')).length).toBeGreaterThan(0);
    // The span whose id the provider received is the outgoing call to it, inside the request's trace.
    const providerCall = spans.find((span) => span.spanId === providerCallSpanId);
    expect(providerCall).toMatchObject({ kind: SPAN_KIND.CLIENT });
    expect(providerCall && attribute(providerCall, 'server.port')).toBe(Number(new URL(upstream.url).port));
    expect(spans.every((span) => span.traceId === traceId)).toBe(true);
    expect(new Set(sink.paths)).toEqual(new Set(['/v1/traces']));

    // request → auth → hold → provider call → capture: each step its own span under the request, one after the other.
    const only = (name: string) => {
      const named = spans.filter((span) => span.name === name);
      expect(named.map((span) => span.name)).toEqual([name]);
      return named[0] as OtlpSpan;
    };
    const [auth, hold, capture] = [only('auth'), only('billing.hold'), only('billing.capture')];
    const steps = [auth, hold, providerCall as OtlpSpan, capture];
    for (const step of steps) expect(ancestors(step, spans)).toContainEqual(request);
    steps.slice(1).forEach((step, i) => expect(startOf(step)).toBeGreaterThanOrEqual(endOf(steps[i] as OtlpSpan)));
    expect(attribute(auth, 'sah.auth.via')).toBe('api_key');
    // The ledger's SQL runs inside the hold and capture spans, not beside them.
    for (const step of [hold, capture]) {
      expect(spans.filter((span) => span.scope.includes('instrumentation-pg') && ancestors(span, spans).includes(step)).length).toBeGreaterThan(0);
    }

    // Neither the prompt nor the completion reaches a span.
    expect(sink.raw.join('\n')).not.toContain(prompt);
    expect(sink.raw.join('\n')).not.toContain(answer);

    // The request's log line names its trace.
    const logged = await eventually(
      async () => api.output().split('\n').filter((line) => line.includes(traceId)),
      (lines) => lines.some((line) => line.includes('"request completed"')),
    );
    expect(logged.map((line) => JSON.parse(line) as Record<string, unknown>)).toContainEqual(
      expect.objectContaining({ trace_id: traceId, span_id: expect.stringMatching(/^[0-9a-f]{16}$/), request_id: expect.any(String) }),
    );
  });

  it("runs a BullMQ job in a consumer span whose parent is the span that enqueued it", async () => {
    // Registering sends a verification mail: outbox event, then a job on the mail queue run inline.
    const email = uniqueEmail('traced');
    const registered = await gql(url, 'mutation ($input: RegisterInput!) { register(input: $input) { id } }', {
      input: { email, password: PASSWORD, name: 'Traced User' },
    });
    expect(registered.errors).toBeUndefined();

    const spans = await eventually(
      async () => sink.spans,
      (found) => found.some((span) => span.kind === SPAN_KIND.CONSUMER && span.name.startsWith('process mail')),
      30_000,
    );
    const consumer = spans.find((span) => span.kind === SPAN_KIND.CONSUMER && span.name.startsWith('process mail'));
    const producer = spans.find((span) => span.spanId === consumer?.parentSpanId);
    expect(producer).toMatchObject({ kind: SPAN_KIND.PRODUCER, traceId: consumer?.traceId });
    expect(producer?.name).toMatch(/^add mail/);
    // Nobody's e-mail address rides along in the job's spans.
    expect(sink.raw.join('\n')).not.toContain(email);
  });

  it("runs a media job in a worker span inside the trace of the request that created it", async () => {
    // An API key: the seeder's access tokens are signed with another secret than the process's.
    const owner = await createSignedInUser(seeder);
    await fund(seeder, owner.userId, 100);
    const key = dataOf(
      await gql<{ createApiKey: { secret: string } }>(
        seeder.url,
        'mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
        { input: { name: 'media', scopes: ['media.create'] } },
        owner.accessToken,
      ),
    ).createApiKey.secret;
    const created = await gql<{ createImageJob: { id: string } }>(
      url,
      'mutation ($input: CreateImageJobInput!) { createImageJob(input: $input) { id } }',
      { input: { prompt: `traced fox ${owner.userId}`, model: 'flux-schnell' } },
      key,
    );
    const jobId = dataOf(created).createImageJob.id;

    const isWorker = (span: OtlpSpan) => span.kind === SPAN_KIND.CONSUMER && attribute(span, 'bullmq.job.id') === jobId;
    const spans = await eventually(
      async () => sink.spans,
      (found) => {
        const worker = found.find(isWorker);
        return !!worker && found.some((span) => span.traceId === worker.traceId && span.kind === SPAN_KIND.SERVER);
      },
      30_000,
    );
    const worker = spans.find(isWorker) as OtlpSpan;
    expect(worker.name).toBe(`process ${QUEUES.mediaImage}`);
    // Its parent is the enqueue, made while the GraphQL request that created the job was running.
    const chain = ancestors(worker, spans);
    expect(chain[0]).toMatchObject({ kind: SPAN_KIND.PRODUCER, name: `add ${QUEUES.mediaImage}.${MEDIA_JOBS.run}` });
    const request = chain.find((span) => span.kind === SPAN_KIND.SERVER);
    expect(request && attribute(request, 'url.path')).toBe('/graphql');
    expect(spans.filter((span) => span.traceId === worker.traceId).map((span) => span.name)).toContain('billing.hold');
    // The job's own work (the fal calls, the capture) is traced under the worker span.
    await eventually(
      async () => sink.spans.filter((span) => span.traceId === worker.traceId && ancestors(span, sink.spans).includes(worker)),
      (found) => found.some((span) => span.kind === SPAN_KIND.CLIENT) && found.some((span) => span.name === 'billing.capture'),
      30_000,
    );
    expect(sink.raw.join('\n')).not.toContain(`traced fox ${owner.userId}`);
  }, 90_000);
});

describe('tracing off and bad tracing settings', () => {
  beforeAll(assertBuilt);

  it('without OTEL_EXPORTER_OTLP_ENDPOINT loads nothing of the OpenTelemetry SDK or its instrumentations', async () => {
    const bootstrap = join(dirname(BUILT_MAIN), 'platform/tracing/start-api-tracing.js');
    const script = `require(${JSON.stringify(bootstrap)});
      const loaded = Object.keys(require.cache).filter((path) => path.includes('@opentelemetry/') && !path.includes('@opentelemetry/api/'));
      process.stdout.write(JSON.stringify(loaded));`;
    const run = startProcess(['-e', script], {});
    expect(await run.exited).toBe(0);
    expect(JSON.parse(run.output())).toEqual([]);
  });

  it('stops at start with one line naming a bad OTEL_TRACES_SAMPLER_ARG', async () => {
    const run = startProcess([BUILT_MAIN, '--check-config'], { OTEL_TRACES_SAMPLER_ARG: '2' });
    expect(await run.exited).toBe(1);
    expect(run.output()).toBe('Invalid configuration: OTEL_TRACES_SAMPLER_ARG=2 (expected a ratio from 0 to 1, such as 0.1)\n');
  });
});
