import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Credits } from '@sah/domain';
import { LedgerQuery } from '@sah/infrastructure';
import { DataSource } from 'typeorm';
import { createAiUser, settling, UsageRow } from './support/ai-fixtures';
import { fund } from './support/billing-fixtures';
import { FakeOpenAI } from './support/fake-openai';
import { dataOf, gql } from './support/graphql-client';
import { createSignedInUser } from './support/identity-fixtures';
import { startTestApp, TestApp } from './support/test-app';

/** Guests' per-minute limit in this suite, low enough to reach; users keep the test default. */
const GUEST_LIMIT = 6;

describe('AI gateway: MCP server over Streamable HTTP with the official MCP SDK client', () => {
  let api: TestApp;
  let upstream: FakeOpenAI;
  let db: DataSource;
  const clients: Client[] = [];

  beforeAll(async () => {
    upstream = new FakeOpenAI();
    await upstream.start();
    api = await startTestApp({ ...upstream.env(), AI_RETRY_BASE_MS: '20', RATE_LIMIT_GUEST_PER_MINUTE: String(GUEST_LIMIT) });
    db = api.app.get(DataSource);
  });
  afterAll(async () => {
    await api.close();
    await upstream.stop();
  });
  beforeEach(() => upstream.reset());
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  const transportFor = (bearer?: string) =>
    new StreamableHTTPClientTransport(new URL(`${api.url}/mcp`), {
      requestInit: bearer ? { headers: { Authorization: `Bearer ${bearer}` } } : undefined,
    });
  const connect = async (bearer?: string) => {
    const client = new Client({ name: 'hub-e2e', version: '1.0.0' });
    clients.push(client);
    await client.connect(transportFor(bearer));
    return client;
  };
  const textOf = (result: CallToolResult) => result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
  const readJson = async (client: Client, uri: string) => {
    const [content] = (await client.readResource({ uri })).contents;
    expect(content).toMatchObject({ uri, mimeType: 'application/json' });
    return JSON.parse((content as { text: string }).text) as unknown;
  };
  const balance = settling(() => api, async (userId: string) => (await api.app.get(LedgerQuery).account(userId))?.balance ?? Credits.ZERO);
  const usageOf = settling(() => api, async (userId: string) =>
    (await db.query(`SELECT * FROM ai_usage WHERE user_id = $1 ORDER BY created_at`, [userId])) as Array<UsageRow & { api_key_id: string | null }>);
  const activeHolds = settling(() => api, async (userId: string) =>
    ((await db.query(`SELECT count(*)::int AS n FROM credit_hold WHERE user_id = $1 AND status = 'active'`, [userId])) as Array<{ n: number }>)[0]
      ?.n);

  it('lists the chat and check_credits tools and the balance and usage resources', async () => {
    const client = await connect((await createAiUser(api)).apiKey);
    expect(client.getServerVersion()).toMatchObject({ name: 'smart-ai-hub' });

    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['chat', 'check_credits']);
    const chat = tools.find((tool) => tool.name === 'chat');
    expect(chat?.inputSchema).toMatchObject({
      type: 'object',
      required: ['model'],
      properties: expect.objectContaining({ model: expect.anything(), prompt: expect.anything(), messages: expect.anything() }),
    });
    expect(chat?.outputSchema?.properties).toEqual(expect.objectContaining({ text: expect.anything(), credits: expect.anything() }));

    const { resources } = await client.listResources();
    expect(resources.map((resource) => resource.uri).sort()).toEqual(['credits://balance', 'usage://recent']);
  });

  it('chat answers with the upstream’s text, charges exactly usage × price and records an mcp usage row', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    upstream.reply({ text: 'The answer is 42.', usage: { input: 120, output: 30 } });
    const client = await connect(user.apiKey);

    const result = (await client.callTool({
      name: 'chat',
      arguments: {
        model: 'gpt-4o',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'What is the answer?' },
        ],
        maxTokens: 200,
        temperature: 0.3,
      },
    })) as CallToolResult;

    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe('The answer is 42.');
    // gpt-4o: 10 credits per 1,000 tokens in and out, so 150 tokens cost 1.5 credits.
    expect(result.structuredContent).toEqual({
      text: 'The answer is 42.',
      model: 'gpt-4o',
      finishReason: 'stop',
      usage: { inputTokens: 120, outputTokens: 30 },
      credits: 1.5,
    });
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]?.body).toMatchObject({
      model: 'gpt-4o',
      max_tokens: 200,
      temperature: 0.3,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'What is the answer?' },
      ],
    });
    expect((await balance(user.userId)).toString()).toBe('98.5');
    const rows = await usageOf(user.userId);
    expect(rows).toEqual([
      expect.objectContaining({ endpoint: 'mcp', model: 'gpt-4o', stream: false, input_tokens: 120, output_tokens: 30, credits: '1500', status: 'ok' }),
    ]);
    expect(rows[0]?.api_key_id).toEqual(expect.any(String));
    expect(await activeHolds(user.userId)).toBe(0);
  });

  it('chat takes a single prompt as one user message', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 10);
    upstream.reply({ text: 'hello back', usage: { input: 3, output: 2 } });
    const client = await connect(user.apiKey);

    const result = (await client.callTool({ name: 'chat', arguments: { model: 'gpt-4o-mini', prompt: 'hello', system: 'Be kind.' } })) as CallToolResult;
    expect(textOf(result)).toBe('hello back');
    expect(upstream.requests[0]?.body).toMatchObject({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be kind.' },
        { role: 'user', content: 'hello' },
      ],
    });
  });

  it('check_credits and the credits://balance resource report the caller’s own balance, reserved and available', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, '12.345');
    const client = await connect(user.apiKey);

    const result = (await client.callTool({ name: 'check_credits', arguments: {} })) as CallToolResult;
    const expected = { balance: 12.345, reserved: 0, available: 12.345 };
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual(expected);
    expect(JSON.parse(textOf(result))).toEqual(expected);
    expect(await readJson(client, 'credits://balance')).toEqual(expected);
  });

  it('usage://recent lists the caller’s latest calls, newest first, and nobody else’s', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 100);
    const client = await connect(user.apiKey);
    upstream.reply({ text: 'first', usage: { input: 10, output: 1 } });
    expect(await client.callTool({ name: 'chat', arguments: { model: 'gpt-4o-mini', prompt: 'one' } })).not.toHaveProperty('isError', true);
    upstream.reply({ text: 'second', usage: { input: 20, output: 2 } });
    expect(await client.callTool({ name: 'chat', arguments: { model: 'gpt-4o', prompt: 'two' } })).not.toHaveProperty('isError', true);

    const recent = (await readJson(client, 'usage://recent')) as { calls: Array<Record<string, unknown>> };
    expect(recent.calls).toEqual([
      expect.objectContaining({ endpoint: 'mcp', model: 'gpt-4o', inputTokens: 20, outputTokens: 2, credits: 0.22, status: 'ok', errorCode: null }),
      expect.objectContaining({ endpoint: 'mcp', model: 'gpt-4o-mini', inputTokens: 10, outputTokens: 1, credits: 0.011, status: 'ok' }),
    ]);
    expect(recent.calls[0]).not.toHaveProperty('hold_id');

    const stranger = await connect((await createAiUser(api)).apiKey);
    expect(await readJson(stranger, 'usage://recent')).toEqual({ calls: [] });
  });

  it('insufficient credits: a tool error naming INSUFFICIENT_CREDITS, and the upstream receives nothing', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, '0.5');
    const client = await connect(user.apiKey);

    const result = (await client.callTool({
      name: 'chat',
      arguments: { model: 'gpt-4o', prompt: 'hi', maxTokens: 1000 },
    })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^INSUFFICIENT_CREDITS: /);
    expect(result.structuredContent).toBeUndefined();
    expect(upstream.requests).toHaveLength(0);
    expect((await balance(user.userId)).toString()).toBe('0.5');
    expect(await activeHolds(user.userId)).toBe(0);
  });

  it('bad input becomes a tool error before any provider call', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 10);
    const client = await connect(user.apiKey);
    const chat = async (args: Record<string, unknown>) => textOf((await client.callTool({ name: 'chat', arguments: args })) as CallToolResult);

    expect(await chat({ model: 'gpt-4o', prompt: 'hi', messages: [{ role: 'user', content: 'hi' }] })).toMatch(/^BAD_USER_INPUT: Give either prompt or messages/);
    expect(await chat({ model: 'gpt-4o' })).toMatch(/^BAD_USER_INPUT: /);
    expect(await chat({ model: 'gpt-9', prompt: 'hi' })).toMatch(/^NOT_FOUND: /);
    expect(await chat({ model: 'gpt-4o', prompt: 'hi', stream: true })).toMatch(/Input validation error/);
    expect(await chat({ model: 'gpt-4o', messages: [{ role: 'tool', content: 'x' }] })).toMatch(/Input validation error/);
    expect(await chat({ model: 'gpt-4o', prompt: 'word '.repeat(130_000), maxTokens: 1000 })).toMatch(/^CONTEXT_LENGTH_EXCEEDED: /);
    expect(upstream.requests).toHaveLength(0);
    expect((await balance(user.userId)).toString()).toBe('10');
  });

  it('an upstream failure after retries is a tool error, and nothing is charged', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 10);
    upstream.failAlways({ status: 500 });
    const client = await connect(user.apiKey);

    const result = (await client.callTool({ name: 'chat', arguments: { model: 'gpt-4o-mini', prompt: 'hi', maxTokens: 10 } })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^PROVIDER_ERROR: /);
    expect((await balance(user.userId)).toString()).toBe('10');
    expect(await activeHolds(user.userId)).toBe(0);
  });

  it('a client that goes away mid-call stops the upstream request and pays nothing', async () => {
    const user = await createAiUser(api);
    await fund(api, user.userId, 10);
    upstream.reply({ text: 'too late', firstByteDelayMs: 3_000 });
    const client = await connect(user.apiKey);

    const call = client.callTool({ name: 'chat', arguments: { model: 'gpt-4o-mini', prompt: 'hi' } }).catch((error: unknown) => error);
    await upstream.waitFor(() => true);
    await client.close();
    await upstream.waitForAborted();
    expect(await call).toBeInstanceOf(Error);

    const rows = await (async () => {
      for (let i = 0; i < 50; i += 1) {
        const found = await usageOf(user.userId);
        if (found.length) return found;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return [];
    })();
    expect(rows).toEqual([expect.objectContaining({ endpoint: 'mcp', status: 'aborted', credits: '0' })]);
    expect((await balance(user.userId)).toString()).toBe('10');
    expect(await activeHolds(user.userId)).toBe(0);
  });

  it('refuses callers without a valid key with 401, and keys without the ai.use scope with 403', async () => {
    await expect(connect()).rejects.toMatchObject({ code: 401 });
    await expect(connect('sah_not-a-real-key')).rejects.toMatchObject({ code: 401 });
    await expect(connect()).rejects.toBeInstanceOf(StreamableHTTPError);

    const user = await createAiUser(api);
    const created = await gql<{ createApiKey: { secret: string } }>(
      api.url,
      'mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
      { input: { name: 'read-only', scopes: ['credits.read'] } },
      user.accessToken,
    );
    await expect(connect(dataOf(created).createApiKey.secret)).rejects.toMatchObject({ code: 403 });

    // The body is the contract's error shape; the SDK client reports it as the error's text.
    const response = await fetch(`${api.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED', request_id: expect.any(String) } });
  });

  it('speaks plain HTTP as the spec expects: 405 for GET and DELETE, the usual headers on POST', async () => {
    const { apiKey } = await createAiUser(api);
    const auth = { authorization: `Bearer ${apiKey}` };
    for (const method of ['GET', 'DELETE']) {
      const refused = await fetch(`${api.url}/mcp`, { method, headers: { ...auth, accept: 'text/event-stream' } });
      expect(refused.status).toBe(405);
      expect(refused.headers.get('allow')).toBe('POST');
      expect(await refused.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 }, id: null });
    }

    const initialize = await fetch(`${api.url}/mcp`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
      }),
    });
    expect(initialize.status).toBe(200);
    expect(initialize.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(initialize.headers.get('x-request-id')).toBeTruthy();
    expect(initialize.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(initialize.headers.get('x-ratelimit-remaining')).toEqual(expect.any(String));
    expect(initialize.headers.get('mcp-session-id')).toBeNull();
    expect(await initialize.text()).toContain('"serverInfo"');

    const notJson = await fetch(`${api.url}/mcp`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"jsonrpc":' });
    expect(notJson.status).toBe(400);
  });

  it('counts MCP requests against the caller’s rate limit (a guest, signed in with an access token)', async () => {
    const guest = await createSignedInUser(api, 'GUEST');
    const client = await connect(guest.accessToken);
    const outcomes: Array<number | 'ok'> = [];
    for (let i = 0; i < GUEST_LIMIT + 2; i += 1) {
      outcomes.push(
        await client.callTool({ name: 'check_credits', arguments: {} }).then(
          () => 'ok' as const,
          (error: unknown) => (error instanceof StreamableHTTPError ? (error.code ?? -1) : -1),
        ),
      );
    }
    // The handshake spent some of the budget; the rest goes to the calls, then 429.
    expect(outcomes).toContain('ok');
    expect(outcomes[outcomes.length - 1]).toBe(429);
    expect(outcomes.filter((outcome) => outcome !== 'ok' && outcome !== 429)).toEqual([]);
  });
});
