import { EmailAddress, User, UserRepository } from '@sah/domain';
import {
  buildDataSourceOptions,
  dataExportContext,
  DataExportStore,
  PersonalDataKeyring,
  PersonalDataRotation,
  runMigrations,
  SealedSecretRotation,
  SecretBox,
  UserPersonalDataCodec,
} from '@sah/infrastructure';
import { cloneTestDatabase, createEmptyDatabase } from '@sah/infrastructure/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataOf, errorCode, gql } from './support/graphql-client';
import { createSignedInUser, createUser, PASSWORD, signIn, uniqueEmail } from './support/identity-fixtures';
import { eventually, requiredEnv, startTestApp, TestApp } from './support/test-app';

const OLD_KEY = '1a'.repeat(32);
const NEW_KEY = '2b'.repeat(32);
const REGISTER = 'mutation ($input: RegisterInput!) { register(input: $input) { id } }';
const LOGIN = 'mutation ($input: LoginInput!) { login(input: $input) { accessToken } }';
const SEARCH = 'query ($search: String) { users(filter: { search: $search, perPage: 100 }) { items { id email name } pageInfo { total } } }';

type Searched = { users: { items: Array<{ id: string; email: string; name: string }>; pageInfo: { total: number } } };

/** Every text, varchar and jsonb column of every table, as (table, column) pairs. */
async function textColumns(db: DataSource): Promise<Array<{ table: string; column: string }>> {
  return (await db.query(
    `SELECT c.table_name AS "table", c.column_name AS "column"
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
        AND (c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb') OR c.udt_name IN ('_text', '_varchar'))
      ORDER BY 1, 2`,
  )) as Array<{ table: string; column: string }>;
}

/** `table.column` of every text column holding any of the values (any case). */
async function columnsHolding(db: DataSource, values: string[]): Promise<string[]> {
  const patterns = values.map((value) => `%${value.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const found: string[] = [];
  for (const { table, column } of await textColumns(db)) {
    const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM "${table}" WHERE lower("${column}"::text) LIKE ANY($1)`, [patterns])) as [
      { n: number },
    ];
    if (n > 0) found.push(`${table}.${column}`);
  }
  return found;
}

describe('identity: e-mail addresses and names encrypted at rest', () => {
  let database: { url: string; drop: () => Promise<void> };
  let api: TestApp;
  let db: DataSource;
  const tag = randomUUID().slice(0, 8);
  const people = Array.from({ length: 6 }, (_, i) => ({ email: `Crypt-${tag}-${i}@Example.com`, name: `Quillon Vexhart ${tag} ${i}` }));

  beforeAll(async () => {
    database = await cloneTestDatabase(requiredEnv('TEST_TEMPLATE_DATABASE_URL'));
    api = await startTestApp({ DATABASE_URL: database.url, ENCRYPTION_KEY: OLD_KEY, WEBHOOK_ALLOW_PRIVATE_URLS: 'true' });
    db = api.app.get(DataSource);
    for (const person of people) dataOf(await gql(api.url, REGISTER, { input: { ...person, password: PASSWORD } }));
  });
  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  it('keeps no address or name in clear in any text, varchar or jsonb column of any table', async () => {
    const verified = await createUser(api, 'USER', `Crypt-${tag}-verified@example.com`);
    await signIn(api, verified.email.value);
    expect(errorCode(await gql(api.url, LOGIN, { input: { email: verified.email.value, password: 'Wrong-Passw0rd' } }))).toBe('UNAUTHENTICATED');
    dataOf(await gql(api.url, 'mutation ($email: String!) { requestPasswordReset(email: $email) }', { email: verified.email.value }));
    // Registration events are handled (accounts opened, mails rendered) before the scan.
    const unpublished = () => db.query(`SELECT id FROM outbox_event WHERE published_at IS NULL`) as Promise<unknown[]>;
    expect(await eventually(unpublished, (rows) => rows.length === 0, 15_000)).toEqual([]);

    const clear = [...people.flatMap((p) => [p.email, p.name]), verified.email.value, verified.name];
    expect((await textColumns(db)).length).toBeGreaterThan(20);
    expect(await columnsHolding(db, clear)).toEqual([]);
    // The scan does find what is there: ids are in clear (outbox payloads).
    expect(await columnsHolding(db, [verified.id])).toEqual(expect.arrayContaining(['outbox_event.payload']));
    const [row] = (await db.query(`SELECT personal_data_key_id FROM identity_user WHERE id = $1`, [verified.id])) as [{ personal_data_key_id: string }];
    expect(row.personal_data_key_id).toBe(new PersonalDataKeyring(Buffer.from(OLD_KEY, 'hex')).currentKeyId);
  });

  it('signs in by address in any case, and keeps addresses unique whatever their case', async () => {
    const user = await createUser(api, 'USER', uniqueEmail('Case'));
    await expect(signIn(api, user.email.value.toUpperCase())).resolves.toMatchObject({ userId: user.id });

    // Registering the address again answers as for a new one, and stores nothing.
    dataOf(await gql(api.url, REGISTER, { input: { email: user.email.value.toUpperCase(), name: 'Someone Else', password: PASSWORD } }));
    const lookups = api.app.get(UserPersonalDataCodec).lookups(user.email.value);
    expect(await db.query(`SELECT id FROM identity_user WHERE email_lookup = ANY($1)`, [lookups])).toEqual([{ id: user.id }]);

    // The unique index on the keyed hash refuses a second account however the address is written.
    const twin = User.restore({ ...user.snapshot, id: randomUUID(), email: EmailAddress.parse(user.email.value.toUpperCase()) });
    await expect(api.app.get(UserRepository).save(twin, [])).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('finds users for an admin by whole address (any case), part of an address or part of a name', async () => {
    const admin = await createSignedInUser(api, 'ADMIN');
    const search = async (term: string) => dataOf(await gql<Searched>(api.url, SEARCH, { search: term }, admin.accessToken)).users;
    const [first] = people;

    const exact = await search(first.email.toUpperCase());
    expect(exact.items).toEqual([expect.objectContaining({ email: first.email, name: first.name })]);
    expect(exact.pageInfo.total).toBe(1);
    expect((await search(`crypt-${tag}`)).items.map((u) => u.email).sort()).toEqual(
      expect.arrayContaining(people.map((p) => p.email).sort()),
    );
    const byName = await search(`vexhart ${tag} 3`);
    expect(byName.items.map((u) => u.name)).toEqual([people[3].name]);
    expect(byName.pageInfo.total).toBe(1);
    expect((await search(`nobody-${tag}@example.com`)).items).toEqual([]);
  });

  it('re-seals every row under the new key with keys:rotate while sign-ins go on, then needs no old key', async () => {
    // A GDPR export built under the old key (before any instance has the new one).
    const exporterAccount = await createUser(api, 'USER', uniqueEmail('Export'));
    const exporter = await signIn(api, exporterAccount.email.value);
    dataOf(await gql(api.url, 'mutation { exportMyData { id } }', undefined, exporter.accessToken));
    await eventually(
      async () => dataOf(await gql<{ myDataExport: { status: string } }>(api.url, '{ myDataExport { status } }', undefined, exporter.accessToken)),
      (value) => value.myDataExport.status === 'READY',
      20_000,
    );
    // Every instance restarts with the new key first (the old one kept for opening), then the rotation runs.
    const rotated = await startTestApp({ DATABASE_URL: database.url, ENCRYPTION_KEY: NEW_KEY, ENCRYPTION_KEYS_PREVIOUS: OLD_KEY });
    const accounts = await Promise.all(Array.from({ length: 4 }, () => createUser(api, 'USER', uniqueEmail('Rotate'))));
    const hookOwner = await signIn(api, accounts[0].email.value);
    const { secret: hookSecret } = dataOf(
      await gql<{ createWebhookEndpoint: { secret: string } }>(
        api.url,
        'mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }',
        { input: { url: 'http://127.0.0.1:9/rotate-hook', eventTypes: ['credit.low'] } },
        hookOwner.accessToken,
      ),
    ).createWebhookEndpoint;
    await api.close();
    api = rotated;
    const newKeyId = new PersonalDataKeyring(Buffer.from(NEW_KEY, 'hex')).currentKeyId;
    const keyIds = async () =>
      ((await db.query(`SELECT DISTINCT personal_data_key_id AS id FROM identity_user`)) as Array<{ id: string }>).map((r) => r.id);
    db = api.app.get(DataSource);
    expect(await keyIds()).not.toEqual([newKeyId]);

    const rotation = new PersonalDataRotation(db, api.app.get(UserPersonalDataCodec), 2);
    let signIns = 0;
    const progress = await rotation.run(async () => {
      // Between batches: sign-ins (rotated rows and not-yet-rotated ones) and a new sign-up.
      for (const account of accounts) await expect(signIn(api, account.email.value)).resolves.toMatchObject({ userId: account.id });
      signIns += accounts.length;
      dataOf(await gql(api.url, REGISTER, { input: { email: uniqueEmail('During'), name: 'Mid Rotation', password: PASSWORD } }));
    });
    expect(progress.rotated).toBeGreaterThanOrEqual(people.length + accounts.length);
    expect(signIns).toBeGreaterThanOrEqual(accounts.length * 3);
    expect(await rotation.remaining()).toBe(0);
    expect(await keyIds()).toEqual([newKeyId]);
    // Secrets sealed without a key id (webhook signing secrets here) are re-sealed too.
    const sealedHook = async () =>
      ((await db.query(`SELECT secret_ciphertext, secret_iv, secret_auth_tag FROM webhook_endpoint WHERE owner_id = $1`, [accounts[0].id])) as Array<
        Record<string, Buffer>
      >).map((row) => ({ ciphertext: row['secret_ciphertext'], iv: row['secret_iv'], authTag: row['secret_auth_tag'] }));
    const [hook] = await sealedHook();
    expect(() => new SecretBox(Buffer.from(NEW_KEY, 'hex')).open(hook)).toThrow();
    const secrets = await new SealedSecretRotation(db, new SecretBox(Buffer.from(NEW_KEY, 'hex'), [Buffer.from(OLD_KEY, 'hex')]), 1).run();
    expect(secrets['webhook_endpoint']).toBe(1);
    expect((await sealedHook()).map((sealed) => new SecretBox(Buffer.from(NEW_KEY, 'hex')).open(sealed))).toEqual([hookSecret]);
    // And GDPR export files.
    const exportStore = new DataExportStore(db, new PersonalDataKeyring(Buffer.from(NEW_KEY, 'hex'), [Buffer.from(OLD_KEY, 'hex')]));
    expect(await exportStore.resealStale(1)).toBe(1);
    expect(await exportStore.resealStale(1)).toBe(0);

    // Without the old key at all, everyone still signs in and is found.
    const fresh = await startTestApp({ DATABASE_URL: database.url, ENCRYPTION_KEY: NEW_KEY });
    try {
      for (const account of accounts) await expect(signIn(fresh, account.email.value)).resolves.toMatchObject({ userId: account.id });
      const download = await fetch(`${fresh.url}/api/v1/me/export`, { headers: { authorization: `Bearer ${exporter.accessToken}` } });
      expect(download.status).toBe(200);
      expect(await download.json()).toMatchObject({
        user: { id: exporter.userId, email: exporterAccount.email.value, name: exporterAccount.snapshot.name },
      });
      const admin = await createSignedInUser(fresh, 'ADMIN');
      const found = dataOf(await gql<Searched>(fresh.url, SEARCH, { search: people[2].email }, admin.accessToken)).users.items;
      expect(found.map((u) => u.name)).toEqual([people[2].name]);
    } finally {
      await fresh.close();
    }
  });
});

describe('identity: the migrations seal existing rows (users, then GDPR exports), and their down migrations restore them', () => {
  const MIGRATION = 'EncryptedPersonalData1796540000000';

  it('encrypts rows written before it in batches and brings them back on the way down', async () => {
    const database = await createEmptyDatabase('personal_data_migration');
    const settings = { url: database.url, poolMax: 2, applicationName: 'test' };
    await runMigrations(settings);
    const dataSource = await new DataSource(buildDataSourceOptions(settings)).initialize();
    const executed = async () => ((await dataSource.query(`SELECT name FROM schema_migrations`)) as Array<{ name: string }>).map((r) => r.name);
    try {
      while ((await executed()).includes(MIGRATION)) await dataSource.undoLastMigration();
      const rows = Array.from({ length: 1_203 }, (_, i) => ({ id: randomUUID() as string, email: `Old-${i}@Example.org`, name: `Old Timer ${i}` }));
      await dataSource.query(
        `INSERT INTO identity_user (id, email, email_normalized, name, role, status, created_at)
         SELECT id, email, lower(email), name, 'USER', 'active', now() FROM unnest($1::uuid[], $2::text[], $3::text[]) AS v (id, email, name)`,
        [rows.map((r) => r.id), rows.map((r) => r.email), rows.map((r) => r.name)],
      );
      // A GDPR export of one of them, ready for download: SealedDataExports (after this one) seals it.
      const exportId = randomUUID();
      const document = { user: { id: rows[17].id, email: rows[17].email, name: rows[17].name } };
      await dataSource.query(
        `INSERT INTO identity_data_export (id, user_id, status, content, requested_at, finished_at, expires_at)
         VALUES ($1, $2, 'ready', $3::jsonb, now(), now(), now() + interval '7 days')`,
        [exportId, rows[17].id, JSON.stringify(document)],
      );
      await dataSource.runMigrations({ transaction: 'each' });

      const codec = new UserPersonalDataCodec(PersonalDataKeyring.fromEnvironment(process.env));
      const sealed = (await dataSource.query(
        `SELECT id, email_sealed, name_sealed, email_lookup, personal_data_key_id FROM identity_user ORDER BY id`,
      )) as Array<{ id: string; email_sealed: Buffer; name_sealed: Buffer; email_lookup: Buffer; personal_data_key_id: string }>;
      expect(sealed).toHaveLength(rows.length);
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const row of sealed) {
        const opened = codec.open(row.id, { emailSealed: row.email_sealed, nameSealed: row.name_sealed, personalDataKeyId: row.personal_data_key_id });
        expect(opened).toEqual({ email: byId.get(row.id)?.email, name: byId.get(row.id)?.name });
        expect(codec.lookups(opened.email)).toContainEqual(row.email_lookup);
      }
      expect(await columnsHolding(dataSource, ['old-17@example.org', 'old timer 1202'])).toEqual([]);
      const [sealedExport] = (await dataSource.query(`SELECT content_sealed, content_key_id FROM identity_data_export WHERE id = $1`, [
        exportId,
      ])) as [{ content_sealed: Buffer; content_key_id: string }];
      const keyring = PersonalDataKeyring.fromEnvironment(process.env);
      expect(JSON.parse(keyring.open(sealedExport.content_sealed, sealedExport.content_key_id, dataExportContext(exportId)))).toEqual(document);

      while ((await executed()).includes(MIGRATION)) await dataSource.undoLastMigration();
      expect(await dataSource.query(`SELECT content FROM identity_data_export WHERE id = $1`, [exportId])).toEqual([{ content: document }]);
      const restored = (await dataSource.query(`SELECT id, email, email_normalized, name FROM identity_user`)) as Array<{
        id: string;
        email: string;
        email_normalized: string;
        name: string;
      }>;
      expect(restored.map((r) => ({ id: r.id, email: r.email, name: r.name })).sort((a, b) => a.id.localeCompare(b.id))).toEqual(
        [...rows].sort((a, b) => a.id.localeCompare(b.id)),
      );
      expect(restored.every((r) => r.email_normalized === r.email.toLowerCase())).toBe(true);
    } finally {
      await dataSource.destroy();
      await database.drop();
    }
  });
});
