import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PurgeExpiredRowsHandler } from '../src/maintenance/purge-expired-rows.handler';
import { dataOf, errorCode, gql } from './support/graphql-client';
import { createSignedInUser } from './support/identity-fixtures';
import { giveData, PersonalDataSuite, usePersonalDataSuite } from './support/personal-data';
import { eventually, TestApp } from './support/test-app';

const EXPORT = 'mutation { exportMyData { id status requestedAt expiresAt downloadUrl } }';
const LATEST = '{ myDataExport { id status expiresAt downloadUrl } }';

interface ExportObject {
  id: string;
  status: 'PENDING' | 'READY' | 'FAILED';
  expiresAt: string | null;
  downloadUrl: string | null;
}

describe('identity: GDPR export of the caller’s data (exportMyData, GET /api/v1/me/export)', () => {
  let api: TestApp;
  let db: DataSource;
  let suite: PersonalDataSuite;
  usePersonalDataSuite((started) => ({ api, db } = suite = started));

  /** A user with an API key, credits, a webhook endpoint, a usage record and a media job: something in each section. */
  async function userWithData(label: string) {
    const session = await createSignedInUser(api);
    const given = await giveData(suite, session, label, 7);
    await db.query(
      `INSERT INTO media_job (id, user_id, kind, model, provider, upstream_model, prompt, price, hold_id, deadline_at)
       VALUES ($1, $2, 'image', 'gpt-image-1', 'openai', 'gpt-image-1', $3, 1000, $4, now() + interval '10 minutes')`,
      [randomUUID(), session.userId, `${label} prompt`, randomUUID()],
    );
    return { ...session, ...given };
  }

  const download = (bearer: string) =>
    fetch(`${api.url}/api/v1/me/export`, { headers: { authorization: `Bearer ${bearer}` } });

  async function readyExport(bearer: string): Promise<ExportObject> {
    const started = dataOf(await gql<{ exportMyData: ExportObject }>(api.url, EXPORT, undefined, bearer)).exportMyData;
    expect(started.status).toBe('PENDING');
    const latest = await eventually(
      async () => dataOf(await gql<{ myDataExport: ExportObject | null }>(api.url, LATEST, undefined, bearer)).myDataExport,
      (value) => value?.status !== 'PENDING',
      20_000,
    );
    expect(latest).toMatchObject({ id: started.id, status: 'READY', downloadUrl: `${api.config.http.appUrl}/api/v1/me/export` });
    return latest!;
  }

  it('builds a JSON file of the caller’s data in the background, and nobody else’s', async () => {
    const owner = await userWithData('owner');
    const other = await userWithData('other');
    const started = await readyExport(owner.accessToken);
    const days = (new Date(started.expiresAt!).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);

    const response = await download(owner.accessToken);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="smart-ai-hub-export-\d{4}-\d{2}-\d{2}\.json"$/);
    const text = await response.text();
    const file = JSON.parse(text) as {
      user: { id: string; email: string };
      apiKeys: Array<{ name: string; prefix: string }>;
      creditTransactions: Array<{ amount: number; reason: string }>;
      auditEntries: Array<{ action: string }>;
      teams: unknown[];
      sessions: unknown[];
      usageRecords: Array<{ model: string; inputTokens: number }>;
      mediaJobs: Array<{ prompt: string; status: string }>;
      webhookEndpoints: Array<{ url: string }>;
    };
    expect(file.user).toMatchObject({ id: owner.userId, email: owner.email });
    expect(file.apiKeys).toEqual([expect.objectContaining({ name: 'owner-key', prefix: owner.key.prefix })]);
    expect(file.creditTransactions).toContainEqual(expect.objectContaining({ amount: 7, reason: 'owner credits' }));
    expect(file.auditEntries.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['api_key.created', 'user.data_export_requested']),
    );
    expect(file.sessions.length).toBeGreaterThan(0);
    expect(file.teams).toEqual([]);
    expect(file.usageRecords).toEqual([expect.objectContaining({ model: 'owner-model', inputTokens: 11 })]);
    expect(file.mediaJobs).toEqual([expect.objectContaining({ prompt: 'owner prompt', status: 'queued' })]);
    expect(file.webhookEndpoints).toEqual([expect.objectContaining({ url: 'http://127.0.0.1:9/owner-hook' })]);
    // Nobody else's data, and no secret of the owner's.
    for (const foreign of [other.userId, other.email, other.key.prefix, 'other credits', 'other-model', 'other prompt', 'other-hook'])
      expect(text).not.toContain(foreign);
    for (const secret of [owner.key.secret, owner.refreshToken, owner.webhookSecret]) expect(text).not.toContain(secret);
    // Who else acted on the account (the admin who adjusted its credits) is that person's data.
    expect(text).not.toContain(suite.admin.userId);
    expect(text).not.toMatch(/"\w*hash"\s*:/i);

    // The other user has no export: none of the owner's is theirs to download.
    const theirs = await download(other.accessToken);
    expect(theirs.status).toBe(404);
    expect(((await theirs.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    expect(dataOf(await gql(api.url, LATEST, undefined, other.accessToken))).toEqual({ myDataExport: null });
    // An API key is no way in.
    expect((await download(owner.key.secret)).status).toBe(403);
    expect(errorCode(await gql(api.url, EXPORT, undefined, owner.key.secret))).toBe('FORBIDDEN');
  });

  it('keeps the file sealed at rest (no address, name or other field in clear) and downloads it unchanged', async () => {
    const owner = await userWithData('sealed');
    const ready = await readyExport(owner.accessToken);
    const { name } = dataOf(await gql<{ me: { name: string } }>(api.url, '{ me { name } }', undefined, owner.accessToken)).me;
    // The whole row as PostgreSQL prints it, and every byte column as bytes.
    const [row] = (await db.query(`SELECT t::text AS text, to_jsonb(t) AS json FROM identity_data_export t WHERE id = $1`, [ready.id])) as [
      { text: string; json: Record<string, unknown> },
    ];
    const stored = [row.text.toLowerCase()];
    for (const value of Object.values(row.json))
      if (typeof value === 'string' && value.startsWith('\\x')) stored.push(Buffer.from(value.slice(2), 'hex').toString('latin1').toLowerCase());
    for (const clear of [owner.email, name, 'sealed-key', 'sealed credits', 'sealed-hook', 'sealed prompt'])
      for (const text of stored) expect(text).not.toContain(clear.toLowerCase());

    const response = await download(owner.accessToken);
    expect(response.status).toBe(200);
    const file = (await response.json()) as { format: string; user: { id: string; email: string; name: string } };
    expect(file).toMatchObject({ format: 'smart-ai-hub-export/1', user: { id: owner.userId, email: owner.email, name } });
  });

  it('answers the export being prepared instead of starting a second one', async () => {
    const owner = await userWithData('twice');
    const [first, second] = await Promise.all([
      gql<{ exportMyData: ExportObject }>(api.url, EXPORT, undefined, owner.accessToken),
      gql<{ exportMyData: ExportObject }>(api.url, EXPORT, undefined, owner.accessToken),
    ]);
    // Each call names the one export, unless the first was built before the second came: then the
    // second is within the cool-down.
    const ids = new Set(
      [first, second].filter((answer) => errorCode(answer) !== 'RATE_LIMITED').map((answer) => dataOf(answer).exportMyData.id),
    );
    expect(ids.size).toBe(1);
    await eventually(
      async () => dataOf(await gql<{ myDataExport: ExportObject | null }>(api.url, LATEST, undefined, owner.accessToken)).myDataExport,
      (value) => value?.status === 'READY',
      20_000,
    );
    const rows = (await db.query(`SELECT id FROM identity_data_export WHERE user_id = $1`, [owner.userId])) as unknown[];
    expect(rows.length).toBe(1);
  });

  it('refuses a new export within the cool-down after a ready one, saying when; past it, a new one starts', async () => {
    const owner = await userWithData('cooldown');
    const ready = await readyExport(owner.accessToken);

    const refused = await gql(api.url, EXPORT, undefined, owner.accessToken);
    expect(errorCode(refused)).toBe('RATE_LIMITED');
    const wait = refused.errors?.[0]?.extensions.details?.retry_after_seconds as number;
    expect(wait).toBeGreaterThan(55 * 60);
    expect(wait).toBeLessThanOrEqual(60 * 60);

    await db.query(`UPDATE identity_data_export SET requested_at = requested_at - interval '60 minutes' WHERE id = $1`, [ready.id]);
    const again = dataOf(await gql<{ exportMyData: ExportObject }>(api.url, EXPORT, undefined, owner.accessToken)).exportMyData;
    expect(again.id).not.toBe(ready.id);
    expect(again.status).toBe('PENDING');
  });

  it('stops serving an export after its 7 days; the maintenance job deletes it', async () => {
    const owner = await userWithData('expired');
    const ready = await readyExport(owner.accessToken);
    expect((await download(owner.accessToken)).status).toBe(200);
    await db.query(`UPDATE identity_data_export SET expires_at = now() - interval '1 second' WHERE id = $1`, [ready.id]);

    expect((await download(owner.accessToken)).status).toBe(404);
    expect(dataOf(await gql<{ myDataExport: ExportObject }>(api.url, LATEST, undefined, owner.accessToken)).myDataExport.downloadUrl).toBeNull();
    const result = await api.app.get(PurgeExpiredRowsHandler).execute({ batchSize: 10 });
    expect(result.dataExports).toBeGreaterThanOrEqual(1);
    expect(await db.query(`SELECT id FROM identity_data_export WHERE id = $1`, [ready.id])).toEqual([]);
  });
});
