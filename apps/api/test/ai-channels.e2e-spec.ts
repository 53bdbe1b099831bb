import { randomBytes } from 'node:crypto';
import OpenAI from 'openai';
import { DataSource } from 'typeorm';
import { createAiUser, settling } from './support/ai-fixtures';
import { fund } from './support/billing-fixtures';
import { FakeWireUpstream, openAiCompletion } from './support/fake-wire-upstream';
import { dataOf, errorCode, gql } from './support/graphql-client';
import { createSignedInUser } from './support/identity-fixtures';
import { startTestApp, TestApp } from './support/test-app';

const CHANNEL_FIELDS = 'id protocol name baseUrl configured priority weight enabled keyConfigured models { modelId upstreamModel inputPricePer1k outputPricePer1k } health { circuit consecutiveFailures calls }';
const CREATE_CHANNEL = `mutation ($input: CreateAiChannelInput!) { createAiChannel(input: $input) { ${CHANNEL_FIELDS} } }`;
const UPDATE_CHANNEL = `mutation ($input: UpdateAiChannelInput!) { updateAiChannel(input: $input) { ${CHANNEL_FIELDS} } }`;
const CHANNELS = `query { aiChannels { ${CHANNEL_FIELDS} } }`;
const TEST_CHANNEL = 'mutation ($id: ID!) { testAiChannel(id: $id) { ok status message } }';
const DELETE_CHANNEL = 'mutation ($id: ID!) { deleteAiChannel(id: $id) }';
const CREATE_MODEL = 'mutation ($input: CreateAiModelInput!) { createAiModel(input: $input) { id routingPolicy } }';
const SET_POLICY = 'mutation ($input: SetAiModelRoutingPolicyInput!) { setAiModelRoutingPolicy(input: $input) { id routingPolicy } }';
const HEALTH = 'query { aiProviderHealth { provider circuit channels { name configured health { circuit } } } }';

interface Channel {
  id: string;
  name: string;
  baseUrl: string | null;
  configured: boolean;
  keyConfigured: boolean;
  models: Array<{ modelId: string; upstreamModel: string | null }>;
  health: { circuit: string; consecutiveFailures: number; calls: number };
}

/**
 * Channels and routing: several channels (each a base URL with its keys) serve one model, chosen by
 * the model's routing policy; the usage record names the channel that served. Two local fakes speak
 * OpenAI's wire format, one per channel.
 */
describe('AI channels and routing', () => {
  let api: TestApp;
  let first: FakeWireUpstream;
  let second: FakeWireUpstream;
  let configured: FakeWireUpstream;
  let db: DataSource;
  let admin: { accessToken: string };

  beforeAll(async () => {
    [first, second, configured] = [new FakeWireUpstream('/v1'), new FakeWireUpstream('/v1'), new FakeWireUpstream('/v1')];
    await Promise.all([first.start(), second.start(), configured.start()]);
    api = await startTestApp({
      OPENAI_API_KEY: 'sk-configured',
      OPENAI_BASE_URL: configured.url,
      // The fakes listen on 127.0.0.1: loopback is allowed as for webhooks in development, private ranges never.
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      AI_RETRY_BASE_MS: '20',
      AI_CIRCUIT_FAILURES: '2',
      AI_CIRCUIT_OPEN_MS: '600000',
    });
    db = api.app.get(DataSource);
    admin = await createSignedInUser(api, 'ADMIN');
  });
  afterAll(async () => {
    await api.close();
    await Promise.all([first.stop(), second.stop(), configured.stop()]);
  });
  beforeEach(() => {
    for (const upstream of [first, second, configured]) upstream.reset();
  });

  const suffix = () => randomBytes(3).toString('hex');
  const client = (apiKey: string) => new OpenAI({ apiKey, baseURL: `${api.url}/v1`, maxRetries: 0 });
  const ask = (apiKey: string, model: string) => client(apiKey).chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });
  const answer = (text: string) => ({ json: openAiCompletion({ content: text }, 'stop', 10, 2) });
  const channelsUsed = settling(() => api, async (userId: string) =>
    ((await db.query(`SELECT channel_name, status FROM ai_usage WHERE user_id = $1 ORDER BY created_at`, [userId])) as Array<{ channel_name: string; status: string }>).map(
      (row) => `${row.channel_name}:${row.status}`,
    ));

  async function model(): Promise<string> {
    const id = `routed-${suffix()}`;
    const input = { id, provider: 'openai', upstreamModel: 'gpt-4o', contextWindow: 8000, maxOutputTokens: 1000, inputPricePer1k: 10, outputPricePer1k: 10 };
    expect(dataOf(await gql<{ createAiModel: { routingPolicy: string } }>(api.url, CREATE_MODEL, { input }, admin.accessToken)).createAiModel.routingPolicy).toBe('priority');
    return id;
  }

  async function channel(name: string, upstream: FakeWireUpstream, fields: Record<string, unknown>): Promise<Channel> {
    const input = { protocol: 'openai', name, baseUrl: upstream.url, keys: [{ label: 'main', apiKey: `sk-${name}-key` }], ...fields };
    return dataOf(await gql<{ createAiChannel: Channel }>(api.url, CREATE_CHANNEL, { input }, admin.accessToken)).createAiChannel;
  }

  it('lists the configured provider as a channel, serving the catalogue as before', async () => {
    const channels = dataOf(await gql<{ aiChannels: Channel[] }>(api.url, CHANNELS, {}, admin.accessToken)).aiChannels;
    expect(channels.filter((c) => c.configured).map((c) => [c.name, c.baseUrl, c.keyConfigured])).toEqual(
      expect.arrayContaining([
        ['OpenAI', null, true],
        ['Anthropic', null, false],
      ]),
    );
    const user = await createAiUser(api);
    await fund(api, user.userId, 1000);
    configured.then(answer('from the configured channel'));
    expect((await ask(user.apiKey, 'gpt-4o')).choices[0]?.message.content).toBe('from the configured channel');
    expect(configured.requests[0]?.headers.authorization).toBe('Bearer sk-configured');
    expect(await channelsUsed(user.userId)).toEqual(['OpenAI:ok']);
  });

  it('priority: uses the first channel until its circuit opens, then the second; the usage record names the channel', async () => {
    const id = await model();
    const a = await channel(`first-${suffix()}`, first, { priority: 0, models: [{ modelId: id }] });
    const b = await channel(`second-${suffix()}`, second, { priority: 1, models: [{ modelId: id, upstreamModel: 'gpt-4o-at-second' }] });
    const user = await createAiUser(api);
    await fund(api, user.userId, 1000);

    first.then(answer('one'));
    expect((await ask(user.apiKey, id)).choices[0]?.message.content).toBe('one');
    expect(first.requests.map((r) => [r.body['model'], r.headers.authorization])).toEqual([['gpt-4o', `Bearer sk-${a.name}-key`]]);

    // The first channel fails (the fake answers 500 with nothing scripted): each call fails over to the
    // second before any byte reached the client; after two failures the first's circuit is open.
    second.then(answer('two')).then(answer('three')).then(answer('four'));
    expect((await ask(user.apiKey, id)).choices[0]?.message.content).toBe('two');
    expect((await ask(user.apiKey, id)).choices[0]?.message.content).toBe('three');
    expect((await ask(user.apiKey, id)).choices[0]?.message.content).toBe('four');
    expect(first.requests).toHaveLength(3);
    expect(second.requests.map((r) => [r.body['model'], r.headers.authorization])).toEqual(
      Array.from({ length: 3 }, () => ['gpt-4o-at-second', `Bearer sk-${b.name}-key`]),
    );

    expect(await channelsUsed(user.userId)).toEqual([`${a.name}:ok`, `${b.name}:ok`, `${b.name}:ok`, `${b.name}:ok`]);
    const health = dataOf(await gql<{ aiProviderHealth: Array<{ provider: string; channels: Array<{ name: string; health: { circuit: string } }> }> }>(api.url, HEALTH, {}, admin.accessToken));
    const openai = health.aiProviderHealth.find((p) => p.provider === 'openai');
    expect(openai?.channels).toEqual(
      expect.arrayContaining([
        { name: a.name, configured: false, health: { circuit: 'open' } },
        { name: b.name, configured: false, health: { circuit: 'closed' } },
      ]),
    );
  });

  it('cost: picks the channel charging less for the model, whatever its priority', async () => {
    const id = await model();
    await channel(`dear-${suffix()}`, first, { priority: 0, models: [{ modelId: id, inputPricePer1k: 5, outputPricePer1k: 5 }] });
    const cheap = await channel(`cheap-${suffix()}`, second, { priority: 9, models: [{ modelId: id, inputPricePer1k: 1, outputPricePer1k: 2 }] });
    const set = dataOf(await gql<{ setAiModelRoutingPolicy: { routingPolicy: string } }>(api.url, SET_POLICY, { input: { modelId: id, policy: 'cost' } }, admin.accessToken));
    expect(set.setAiModelRoutingPolicy.routingPolicy).toBe('cost');
    const user = await createAiUser(api);
    await fund(api, user.userId, 1000);

    second.then(answer('cheap one')).then(answer('cheap two'));
    expect((await ask(user.apiKey, id)).choices[0]?.message.content).toBe('cheap one');
    expect((await ask(user.apiKey, id)).choices[0]?.message.content).toBe('cheap two');
    expect(first.requests).toHaveLength(0);
    expect(await channelsUsed(user.userId)).toEqual([`${cheap.name}:ok`, `${cheap.name}:ok`]);
    const policy = await gql(api.url, SET_POLICY, { input: { modelId: id, policy: 'cheapest' } }, admin.accessToken);
    expect(errorCode(policy)).toBe('BAD_USER_INPUT');
  });

  it('latency: measures each channel once, then sends calls to the faster one whatever its priority; the usage records name it', async () => {
    const id = await model();
    // The slow channel is first by priority: only measured latency can put the fast one ahead of it.
    const slow = await channel(`slow-${suffix()}`, first, { priority: 0, models: [{ modelId: id }] });
    const fast = await channel(`fast-${suffix()}`, second, { priority: 1, models: [{ modelId: id }] });
    const set = dataOf(await gql<{ setAiModelRoutingPolicy: { routingPolicy: string } }>(api.url, SET_POLICY, { input: { modelId: id, policy: 'latency' } }, admin.accessToken));
    expect(set.setAiModelRoutingPolicy.routingPolicy).toBe('latency');
    const user = await createAiUser(api);
    await fund(api, user.userId, 1000);

    // The slow fake holds its one answer far longer than a local round trip takes even on a loaded
    // machine; a second request to it would get a 500 (nothing scripted) and show in its requests.
    const SLOW_MS = 400;
    first.then({ json: async () => (await new Promise((resolve) => setTimeout(resolve, SLOW_MS)), answer('slow').json) });
    for (let n = 1; n <= 5; n++) second.then(answer(`fast ${n}`));

    // No figures for either: priority order, so the slow channel. Then the fast one, unmeasured, goes
    // first to be measured; from then on both have a median latency and the fast one's is lower.
    const replies: Array<string | null | undefined> = [];
    for (let n = 0; n < 6; n++) replies.push((await ask(user.apiKey, id)).choices[0]?.message.content);
    expect(replies).toEqual(['slow', 'fast 1', 'fast 2', 'fast 3', 'fast 4', 'fast 5']);
    expect([first.requests.length, second.requests.length]).toEqual([1, 5]);
    expect(await channelsUsed(user.userId)).toEqual([`${slow.name}:ok`, ...Array.from({ length: 5 }, () => `${fast.name}:ok`)]);

    const query = 'query { aiProviderHealth { provider channels { name health { circuit calls errorRate p50LatencyMs } } } }';
    type Health = { aiProviderHealth: Array<{ provider: string; channels: Array<{ name: string; health: { circuit: string; calls: number; errorRate: number; p50LatencyMs: number | null } }> }> };
    const channels = dataOf(await gql<Health>(api.url, query, {}, admin.accessToken)).aiProviderHealth.find((p) => p.provider === 'openai')?.channels ?? [];
    const figures = (name: string) => channels.find((c) => c.name === name)?.health;
    expect(figures(slow.name)).toMatchObject({ circuit: 'closed', calls: 1, errorRate: 0 });
    expect(figures(fast.name)).toMatchObject({ circuit: 'closed', calls: 5, errorRate: 0 });
    // The figures the routing read: the fast channel's median under the slow one's.
    expect(figures(fast.name)?.p50LatencyMs).toBeLessThan(figures(slow.name)?.p50LatencyMs ?? 0);
  });

  it('refuses a base URL reaching a private address (UNSAFE_ADDRESS), at save and at connect', async () => {
    for (const baseUrl of ['http://169.254.169.254/v1', 'https://10.0.0.7/v1', 'https://[::ffff:192.168.1.1]/v1']) {
      const refused = await gql(api.url, CREATE_CHANNEL, { input: { protocol: 'openai', name: `ssrf-${suffix()}`, baseUrl, models: [] } }, admin.accessToken);
      expect([baseUrl, errorCode(refused), refused.errors?.[0]?.extensions.details?.['field']]).toEqual([baseUrl, 'BAD_USER_INPUT', 'baseUrl']);
    }
    const metadata = await gql(api.url, CREATE_CHANNEL, { input: { protocol: 'openai', name: `ssrf-${suffix()}`, baseUrl: 'http://169.254.169.254/v1', models: [] } }, admin.accessToken);
    expect(metadata.errors?.[0]?.extensions.details).toEqual({ field: 'baseUrl', reason: 'UNSAFE_ADDRESS' });
    expect(metadata.errors?.[0]?.message).toContain('169.254.169.254');

    // A base URL that became unsafe after it was saved is refused when connecting.
    const saved = await channel(`rebound-${suffix()}`, first, { models: [] });
    first.then({ json: { object: 'list', data: [] } });
    expect(dataOf(await gql<{ testAiChannel: { ok: boolean; status: number } }>(api.url, TEST_CHANNEL, { id: saved.id }, admin.accessToken)).testAiChannel).toMatchObject({ ok: true, status: 200 });
    expect(first.requests.map((r) => [r.method, r.path])).toEqual([['GET', '/v1/models']]);
    await db.query(`UPDATE ai_channel SET base_url = 'https://10.0.0.7/v1' WHERE id = $1`, [saved.id]);
    const tested = dataOf(await gql<{ testAiChannel: { ok: boolean; status: number | null; message: string } }>(api.url, TEST_CHANNEL, { id: saved.id }, admin.accessToken));
    expect(tested.testAiChannel).toMatchObject({ ok: false, status: null });
    expect(tested.testAiChannel.message).toContain('which channels may not reach');
  });

  it('edits and deletes channels for admins only, keeping the configured ones', async () => {
    const created = await channel(`edit-${suffix()}`, first, { models: [] });
    const updated = dataOf(await gql<{ updateAiChannel: Channel & { weight: number } }>(api.url, UPDATE_CHANNEL, { input: { id: created.id, weight: 5, enabled: false } }, admin.accessToken));
    expect(updated.updateAiChannel).toMatchObject({ weight: 5, enabled: false });
    const all = dataOf(await gql<{ aiChannels: Channel[] }>(api.url, CHANNELS, {}, admin.accessToken)).aiChannels;
    const openai = all.find((c) => c.configured && c.name === 'OpenAI') as Channel;
    expect(errorCode(await gql(api.url, DELETE_CHANNEL, { id: openai.id }, admin.accessToken))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(api.url, UPDATE_CHANNEL, { input: { id: openai.id, baseUrl: first.url } }, admin.accessToken))).toBe('BAD_USER_INPUT');
    const user = await createSignedInUser(api);
    expect(errorCode(await gql(api.url, CHANNELS, {}, user.accessToken))).toBe('FORBIDDEN');
    expect(dataOf(await gql<{ deleteAiChannel: boolean }>(api.url, DELETE_CHANNEL, { id: created.id }, admin.accessToken)).deleteAiChannel).toBe(true);
    expect(errorCode(await gql(api.url, DELETE_CHANNEL, { id: created.id }, admin.accessToken))).toBe('NOT_FOUND');
    const actions = (await db.query(`SELECT action FROM identity_audit_log WHERE target_id = $1 ORDER BY id`, [created.id])) as Array<{ action: string }>;
    expect(actions.map((row) => row.action)).toEqual(['ai_channel.created', 'ai_channel.updated', 'ai_channel.deleted']);
  });
});
