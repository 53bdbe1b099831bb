import { Credits } from '@sah/domain';
import { LedgerQuery } from '@sah/infrastructure';
import { DataSource } from 'typeorm';
import WebSocket from 'ws';
import { createAiUser, settling, UsageRow } from './support/ai-fixtures';
import { fund } from './support/billing-fixtures';
import { FakeAnthropic } from './support/fake-anthropic';
import { FakeOpenAI } from './support/fake-openai';
import { dataOf, errorCode, gql } from './support/graphql-client';
import { createSignedInUser } from './support/identity-fixtures';
import { eventually, startTestApp, TestApp } from './support/test-app';

interface Frame {
  id: string | number | null;
  type: 'chunk' | 'done' | 'error';
  data?: { text?: string; model?: string; finishReason?: string };
  usage?: { inputTokens: number; outputTokens: number; credits: number };
  error?: { code: string; message: string; details?: Record<string, unknown> };
}

const PING_MS = 150;

/** A /ws/mcp client that records every frame, as an integration would hold one. */
class Client {
  readonly frames: Frame[] = [];
  pings = 0;
  readonly closed: Promise<number>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => this.frames.push(JSON.parse(data.toString()) as Frame));
    socket.on('ping', () => (this.pings += 1));
    this.closed = new Promise((resolve) => socket.once('close', (code) => resolve(code)));
  }

  static open(url: string, options: { bearer?: string; query?: string; autoPong?: boolean } = {}): Promise<Client> {
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/ws/mcp${options.query ? `?token=${encodeURIComponent(options.query)}` : ''}`, {
      headers: options.bearer ? { authorization: `Bearer ${options.bearer}` } : {},
      autoPong: options.autoPong ?? true,
    });
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new Client(socket)));
      socket.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => reject(Object.assign(new Error(`refused ${res.statusCode}`), { status: res.statusCode, body: JSON.parse(body) as unknown })));
      });
      socket.once('error', reject);
    });
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  for(id: string | number): Frame[] {
    return this.frames.filter((frame) => frame.id === id);
  }

  /** The request's last frame (done or error), waiting for it. */
  async result(id: string | number, timeoutMs = 10_000): Promise<Frame> {
    const frames = await eventually(
      async () => this.for(id),
      (found) => found.some((frame) => frame.type !== 'chunk'),
      timeoutMs,
    );
    const last = frames.find((frame) => frame.type !== 'chunk');
    if (!last) throw new Error(`no answer for ${id}: ${JSON.stringify(this.frames)}`);
    return last;
  }

  close(): Promise<number> {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close();
    return this.closed;
  }
}

describe('AI WebSocket protocol at /ws/mcp', () => {
  let api: TestApp;
  let upstream: FakeOpenAI;
  let claude: FakeAnthropic;
  let db: DataSource;
  const clients: Client[] = [];

  beforeAll(async () => {
    upstream = new FakeOpenAI();
    claude = new FakeAnthropic();
    await Promise.all([upstream.start(), claude.start()]);
    api = await startTestApp({ ...upstream.env(), ...claude.env(), WS_PING_INTERVAL_MS: String(PING_MS), AI_CIRCUIT_FAILURES: '1000', DATABASE_POOL_MAX: '10' });
    db = api.app.get(DataSource);
  });
  afterAll(async () => {
    await api.close();
    await Promise.all([upstream.stop(), claude.stop()]);
  });
  beforeEach(() => {
    upstream.reset();
    claude.reset();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  const connect = async (options: Parameters<typeof Client.open>[1]) => {
    const client = await Client.open(api.url, options);
    clients.push(client);
    return client;
  };
  const balance = settling(() => api, async (userId: string) => (await api.app.get(LedgerQuery).account(userId))?.balance ?? Credits.ZERO);
  const usageOf = settling(() => api, async (userId: string) =>
    (await db.query(`SELECT * FROM ai_usage WHERE user_id = $1 ORDER BY created_at`, [userId])) as UsageRow[]);
  const activeHolds = settling(() => api, async (userId: string) =>
    ((await db.query(`SELECT count(*)::int AS n FROM credit_hold WHERE user_id = $1 AND status = 'active'`, [userId])) as Array<{ n: number }>)[0]?.n);
  const refusal = (options: Parameters<typeof Client.open>[1]) =>
    Client.open(api.url, options).then(
      (client) => {
        clients.push(client);
        throw new Error('the socket opened');
      },
      (error: { status?: number; body?: { error?: { code?: string } } }) => ({ status: error.status, code: error.body?.error?.code }),
    );

  it('refuses an upgrade without a valid credential with a plain 401 (or 403 without ai.use), and never opens a socket', async () => {
    const user = await createAiUser(api);
    const wrongScope = dataOf(
      await gql<{ createApiKey: { secret: string } }>(
        api.url,
        'mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
        { input: { name: 'reader', scopes: ['credits.read'] } },
        user.accessToken,
      ),
    ).createApiKey.secret;

    expect(await refusal({})).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    expect(await refusal({ bearer: 'not-a-jwt' })).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    expect(await refusal({ bearer: 'sah_unknown-key' })).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    expect(await refusal({ query: 'VERIFIED-abc' })).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    expect(await refusal({ bearer: wrongScope })).toEqual({ status: 403, code: 'FORBIDDEN' });
    // Both credential kinds open a socket, by header or by ?token= for clients that cannot set headers.
    await connect({ bearer: user.apiKey });
    await connect({ query: user.accessToken });
  });

  it('re-checks the credential on every request: after logout an open connection gets UNAUTHENTICATED', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 10);
    const client = await connect({ query: user.accessToken });
    const ask = (id: string) => client.send({ id, type: 'completion', model: 'gpt-4o-mini', prompt: 'hi', maxTokens: 10 });

    ask('before');
    expect(await client.result('before')).toMatchObject({ type: 'done' });
    expect(dataOf(await gql(api.url, 'mutation ($t: String) { logout(refreshToken: $t) }', { t: user.refreshToken }, user.accessToken))).toEqual({ logout: true });
    ask('after');
    expect(await client.result('after')).toMatchObject({ type: 'error', error: { code: 'UNAUTHENTICATED' } });
    expect(upstream.requests).toHaveLength(1);
  });

  it('streams a chat: chunks, then done with usage and credits; the balance drops by exactly usage × price', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    upstream.reply({ text: 'one two three four', pieces: 4, usage: { input: 50, output: 4 } });
    const client = await connect({ bearer: user.apiKey });

    client.send({ id: 'r1', type: 'chat', provider: 'openai', model: 'gpt-4o', messages: [{ role: 'user', content: 'count' }], stream: true });
    const done = await client.result('r1');
    const frames = client.for('r1');
    expect(frames.slice(0, -1).every((frame) => frame.type === 'chunk')).toBe(true);
    expect(frames.filter((frame) => frame.type === 'chunk')).toHaveLength(4);
    expect(frames.map((frame) => frame.data?.text ?? '').join('')).toBe('one two three four');
    // gpt-4o: 10 credits per 1,000 tokens → 54 tokens = 0.54 credits.
    expect(done).toEqual({
      id: 'r1',
      type: 'done',
      data: { model: 'gpt-4o', finishReason: 'stop' },
      usage: { inputTokens: 50, outputTokens: 4, credits: 0.54 },
    });
    expect((await balance(user.userId)).toString()).toBe('99.46');
    expect(await usageOf(user.userId)).toEqual([
      expect.objectContaining({ endpoint: 'websocket', model: 'gpt-4o', stream: true, input_tokens: 50, output_tokens: 4, credits: '540', status: 'ok' }),
    ]);
    expect(await activeHolds(user.userId)).toBe(0);
  });

  it('answers a non-streamed completion (one prompt) in a single done frame, on a Claude model', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 10);
    claude.reply({ text: 'Bonjour', usage: { input: 10, output: 2 } });
    const client = await connect({ query: user.accessToken });

    client.send({ id: 42, type: 'completion', provider: 'claude', model: 'claude-sonnet-4-6', prompt: 'Hello', system: 'French only', maxTokens: 20 });
    expect(await client.result(42)).toEqual({
      id: 42,
      type: 'done',
      data: { text: 'Bonjour', model: 'claude-sonnet-4-6', finishReason: 'stop' },
      // Claude: 8 credits per 1,000 tokens → 12 tokens = 0.096.
      usage: { inputTokens: 10, outputTokens: 2, credits: 0.096 },
    });
    expect(client.for(42)).toHaveLength(1);
    expect(claude.requests[0]?.body).toMatchObject({ system: 'French only', max_tokens: 20, messages: [{ role: 'user', content: 'Hello' }] });
    expect((await balance(user.userId)).toString()).toBe('9.904');
  });

  it('counts each request against the caller’s per-minute limit, as HTTP requests are', async () => {
    const limited = await startTestApp({ ...upstream.env(), RATE_LIMIT_GUEST_PER_MINUTE: '2' });
    try {
      const guest = await createSignedInUser(limited, 'GUEST');
      await fund(limited, guest.userId, 10);
      const client = await Client.open(limited.url, { query: guest.accessToken });
      try {
        const chat = (id: string) => ({ id, type: 'chat', model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], maxTokens: 5 });
        for (const id of ['a', 'b']) {
          client.send(chat(id));
          expect((await client.result(id)).type).toBe('done');
        }
        client.send(chat('c'));
        expect(await client.result('c')).toMatchObject({ type: 'error', error: { code: 'RATE_LIMITED' } });
      } finally {
        await client.close();
      }
    } finally {
      await limited.close();
    }
  });

  it('counts each request against its API key’s own limit too', async () => {
    const owner = await createSignedInUser(api);
    await fund(api, owner.userId, 10);
    const created = await gql<{ createApiKey: { secret: string } }>(
      api.url,
      'mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
      { input: { name: 'ws', scopes: ['ai.use'], requestsPerMinute: 2 } },
      owner.accessToken,
    );
    const client = await connect({ bearer: dataOf(created).createApiKey.secret });
    const chat = (id: string) => ({ id, type: 'chat', model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], maxTokens: 5 });
    for (const id of ['a', 'b']) {
      client.send(chat(id));
      expect((await client.result(id)).type).toBe('done');
    }
    client.send(chat('c'));
    expect(await client.result('c')).toMatchObject({ type: 'error', error: { code: 'RATE_LIMITED', message: expect.stringContaining('2 requests per minute') } });
  });

  it('answers several requests in flight on one connection by id, up to a limit', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    upstream.reply({ model: 'gpt-4o', text: 'slow and steady', pieces: 3, firstByteDelayMs: 300, pieceDelayMs: 50 });
    upstream.reply({ model: 'gpt-4o-mini', text: 'quick' });
    const client = await connect({ bearer: user.apiKey });
    const chat = (id: string, model: string, stream: boolean) =>
      client.send({ id, type: 'chat', model, messages: [{ role: 'user', content: id }], stream, maxTokens: 50 });

    chat('slow-1', 'gpt-4o', true);
    chat('slow-2', 'gpt-4o', true);
    chat('slow-3', 'gpt-4o', false);
    chat('fast', 'gpt-4o-mini', false);
    chat('one-too-many', 'gpt-4o-mini', false);

    expect(await client.result('one-too-many')).toMatchObject({ type: 'error', error: { code: 'RATE_LIMITED' } });
    expect(await client.result('fast')).toMatchObject({ type: 'done', data: { text: 'quick', model: 'gpt-4o-mini' } });
    // The quick answer overtook the slow ones: answers are matched by id, not by order.
    expect(client.for('slow-1').some((frame) => frame.type === 'done')).toBe(false);
    for (const id of ['slow-1', 'slow-2']) {
      expect(await client.result(id)).toMatchObject({ type: 'done', data: { model: 'gpt-4o' } });
      expect(client.for(id).map((frame) => frame.data?.text ?? '').join('')).toBe('slow and steady');
    }
    expect(await client.result('slow-3')).toMatchObject({ type: 'done', data: { text: 'slow and steady' } });
    expect(upstream.requests).toHaveLength(4);

    // Once the slots are free, the connection takes requests again.
    chat('after', 'gpt-4o-mini', false);
    expect(await client.result('after')).toMatchObject({ type: 'done' });
  });

  it('answers bad frames, unknown models, a wrong provider and insufficient credits with error frames; the connection lives on', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, '0.5');
    const client = await connect({ bearer: user.apiKey });

    client.send('{"id": "broken", ');
    expect(await eventually(async () => client.frames[0], Boolean)).toMatchObject({ id: null, type: 'error', error: { code: 'BAD_USER_INPUT' } });
    client.send({ id: 'e1', type: 'chat', model: 'gpt-4o', messages: 'hi' });
    expect(await client.result('e1')).toMatchObject({ type: 'error', error: { code: 'BAD_USER_INPUT', details: { field: 'messages' } } });
    client.send({ id: 'e2', type: 'chat', model: 'gpt-9', messages: [{ role: 'user', content: 'hi' }] });
    expect(await client.result('e2')).toMatchObject({ type: 'error', error: { code: 'NOT_FOUND' } });
    client.send({ id: 'e3', type: 'chat', provider: 'claude', model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    expect(await client.result('e3')).toMatchObject({ type: 'error', error: { code: 'BAD_USER_INPUT', details: { field: 'provider' } } });
    client.send({ id: 'e4', type: 'chat', model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], maxTokens: 1000, stream: true });
    expect(await client.result('e4')).toMatchObject({ type: 'error', error: { code: 'INSUFFICIENT_CREDITS' } });
    expect(upstream.requests).toHaveLength(0);
    expect((await balance(user.userId)).toString()).toBe('0.5');

    upstream.reply({ text: 'still here', usage: { input: 5, output: 2 } });
    client.send({ id: 'ok', type: 'chat', model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], maxTokens: 10 });
    expect(await client.result('ok')).toMatchObject({ type: 'done', data: { text: 'still here' } });
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('closes a connection that sends a frame over 1 MB (1009 Message Too Big)', async () => {
    const user = await createAiUser(api);
    const client = await connect({ bearer: user.apiKey });
    client.send({ id: 'huge', type: 'completion', model: 'gpt-4o', prompt: 'x'.repeat(1024 * 1024) });
    expect(await client.closed).toBe(1009);
  });

  it('closing the socket mid-stream aborts the upstream, charges only what was produced and leaves no hold', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    upstream.reply({ text: Array.from({ length: 40 }, (_, i) => `w${i} `).join(''), pieces: 40, pieceDelayMs: 50 });
    const client = await connect({ bearer: user.apiKey });

    client.send({ id: 'long', type: 'chat', model: 'gpt-4o', messages: [{ role: 'user', content: 'talk' }], stream: true, maxTokens: 1000 });
    await eventually(async () => client.for('long').length, (n) => n >= 3);
    client.socket.terminate();

    await upstream.waitForAborted();
    const [usage] = await eventually(() => usageOf(user.userId), (rows) => rows.length > 0);
    expect(usage).toMatchObject({ endpoint: 'websocket', status: 'aborted', stream: true });
    expect(usage?.output_tokens).toBeGreaterThan(0);
    expect(usage?.output_tokens).toBeLessThan(40);
    const charged = Credits.whole(100).minus(await balance(user.userId));
    expect(charged.millis).toBe(BigInt(usage?.credits ?? -1));
    expect(charged.millis).toBeGreaterThan(0n);
    expect(await activeHolds(user.userId)).toBe(0);
  });

  it('at shutdown, settles calls in flight and closes connections with 1001 before the app stops', async () => {
    // On the suite's database, which outlives this app, so its books can be read after it stopped.
    const second = await startTestApp({ ...upstream.env(), ...claude.env(), DATABASE_URL: api.config.database.url });
    try {
      const user = await createAiUser(second);
      await fund(second, user.userId, 100);
      upstream.reply({ text: Array.from({ length: 40 }, (_, i) => `w${i} `).join(''), pieces: 40, pieceDelayMs: 50 });
      const client = await Client.open(second.url, { bearer: user.apiKey });
      client.send({ id: 's', type: 'chat', model: 'gpt-4o', messages: [{ role: 'user', content: 'talk' }], stream: true, maxTokens: 1000 });
      await eventually(async () => client.for('s').length, (n) => n >= 2);

      await second.close();
      expect(await client.closed).toBe(1001);
      const usage = await usageOf(user.userId);
      expect(usage).toEqual([expect.objectContaining({ endpoint: 'websocket', status: 'aborted' })]);
      expect(usage[0]?.output_tokens).toBeLessThan(40);
      expect(await activeHolds(user.userId)).toBe(0);
    } finally {
      await second.close().catch(() => undefined);
    }
  });

  it('pings live clients, which stay connected, and terminates a client that stops answering', async () => {
    const user = await createAiUser(api);
    const live = await connect({ bearer: user.apiKey });
    const silent = await connect({ bearer: user.apiKey, autoPong: false });

    // Unanswered: pinged once, cut at the next round. 1006 = the server dropped it without a close frame.
    expect(await silent.closed).toBe(1006);
    await new Promise((resolve) => setTimeout(resolve, PING_MS * 3));
    expect(live.pings).toBeGreaterThanOrEqual(3);
    expect(live.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('shows admins the open connections per user (and a Prometheus gauge); a USER is refused', async () => {
    const user = await createAiUser(api);
    await connect({ bearer: user.apiKey });
    await connect({ query: user.accessToken });
    const admin = await createSignedInUser(api, 'ADMIN');
    const query = '{ aiConnections { open inFlight byUser { userId connections } } }';

    const stats = dataOf(await gql<{ aiConnections: { open: number; inFlight: number; byUser: { userId: string; connections: number }[] } }>(api.url, query, {}, admin.accessToken))
      .aiConnections;
    expect(stats.open).toBeGreaterThanOrEqual(2);
    expect(stats.byUser).toContainEqual({ userId: user.userId, connections: 2 });
    expect(errorCode(await gql(api.url, query, {}, user.accessToken))).toBe('FORBIDDEN');

    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    expect(metrics).toMatch(/^ai_websocket_connections [1-9]\d*$/m);

    await Promise.all(clients.splice(0).map((client) => client.close()));
    const after = await eventually(
      async () => dataOf(await gql<{ aiConnections: { byUser: { userId: string }[] } }>(api.url, query, {}, admin.accessToken)).aiConnections,
      (value) => !value.byUser.some((row) => row.userId === user.userId),
    );
    expect(after.byUser.map((row) => row.userId)).not.toContain(user.userId);
  });
});
