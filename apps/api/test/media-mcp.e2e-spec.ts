import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fund } from './support/billing-fixtures';
import { FakeMediaOpenAI, FAKE_PNG } from './support/fake-media-openai';
import { dataOf, gql } from './support/graphql-client';
import { createSignedInUser } from './support/identity-fixtures';
import { eventually, startTestApp, TestApp } from './support/test-app';

interface JobOutput {
  jobId: string;
  status: string;
  credits: number;
  urls: string[];
  error: string | null;
}

/** The media tools of the hub's MCP server, through the official MCP client. */
describe('media: MCP tools', () => {
  let api: TestApp;
  let fake: FakeMediaOpenAI;
  let storageDir: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    fake = await new FakeMediaOpenAI().start();
    storageDir = mkdtempSync(join(tmpdir(), 'media-mcp-'));
    api = await startTestApp({ ...fake.env(), MEDIA_STORAGE_DIR: storageDir, MEDIA_POLL_INTERVAL_MS: '50', MEDIA_RETRY_BASE_MS: '50' });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await api?.close();
    await fake?.stop();
    rmSync(storageDir, { recursive: true, force: true });
  });

  const keyOf = async (token: string, scopes: string[]) =>
    dataOf(
      await gql<{ createApiKey: { secret: string } }>(
        api.url,
        'mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
        { input: { name: 'mcp', scopes } },
        token,
      ),
    ).createApiKey.secret;

  const connect = async (bearer: string) => {
    const client = new Client({ name: 'media-e2e', version: '1.0.0' });
    clients.push(client);
    await client.connect(new StreamableHTTPClientTransport(new URL(`${api.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${bearer}` } } }));
    return client;
  };

  it('generates an image (50 credits) and starts a video (30 credits) that get_media_job follows to the end', async () => {
    const user = await createSignedInUser(api);
    await fund(api, user.userId, 100);
    const client = await connect(await keyOf(user.accessToken, ['ai.use', 'media.create']));
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['chat', 'generate_image', 'generate_video', 'get_media_job']));

    const image = (await client.callTool({ name: 'generate_image', arguments: { prompt: 'a kite' } })) as CallToolResult;
    const imageOutput = image.structuredContent as unknown as JobOutput;
    expect(imageOutput).toMatchObject({ status: 'succeeded', credits: 50, error: null });
    const file = new URL(imageOutput.urls[0]!);
    const bytes = await fetch(`${api.url}${file.pathname}${file.search}`);
    expect(Buffer.from(await bytes.arrayBuffer())).toEqual(FAKE_PNG);

    const video = (await client.callTool({ name: 'generate_video', arguments: { prompt: 'a kite flying', seconds: 4 } })) as CallToolResult;
    const { jobId } = video.structuredContent as unknown as JobOutput;
    const followed = await eventually(
      async () => ((await client.callTool({ name: 'get_media_job', arguments: { jobId } })) as CallToolResult).structuredContent as unknown as JobOutput,
      (output) => output.status === 'succeeded' || output.status === 'failed',
      30_000,
    );
    expect(followed).toMatchObject({ status: 'succeeded', credits: 30 });

    const broke = (await client.callTool({ name: 'generate_image', arguments: { prompt: 'another kite' } })) as CallToolResult;
    expect(broke.isError).toBe(true);
    expect(JSON.stringify(broke.content)).toContain('INSUFFICIENT_CREDITS');
  }, 60_000);

  it('offers no media tools to a key without the media.create scope, and no one else’s jobs', async () => {
    const user = await createSignedInUser(api);
    const chatOnly = await connect(await keyOf(user.accessToken, ['ai.use']));
    expect((await chatOnly.listTools()).tools.map((tool) => tool.name)).not.toContain('generate_image');

    const owner = await createSignedInUser(api);
    await fund(api, owner.userId, 30);
    const ownerClient = await connect(await keyOf(owner.accessToken, ['ai.use', 'media.create']));
    const { jobId } = ((await ownerClient.callTool({ name: 'generate_video', arguments: { prompt: 'a tide' } })) as CallToolResult).structuredContent as unknown as JobOutput;
    const stranger = await connect(await keyOf(user.accessToken, ['ai.use', 'media.create']));
    const foreign = (await stranger.callTool({ name: 'get_media_job', arguments: { jobId } })) as CallToolResult;
    expect(foreign.isError).toBe(true);
    expect(JSON.stringify(foreign.content)).toContain('NOT_FOUND');
  }, 60_000);
});
