import { EmailAddress, MediaStore, User, UserRepository } from '@sah/domain';
import { Totp, verifyLedger } from '@sah/infrastructure';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PasswordHasher } from '../src/contexts/identity/application/password-hasher';
import { SessionTokens } from '../src/contexts/identity/application/session-tokens.service';
import { AccountErasure } from '../src/contexts/identity/account-deletion/account-erasure.service';
import { VerifiedSessions } from '../src/contexts/identity/sessions/verified-sessions.service';
import { PurgeExpiredRowsHandler } from '../src/maintenance/purge-expired-rows.handler';
import { dataOf, errorCode, gql, GraphqlResult } from './support/graphql-client';
import { createSignedInUser, PASSWORD, Session, signIn } from './support/identity-fixtures';
import { giveData, usePersonalDataSuite } from './support/personal-data';
import { TestApp } from './support/test-app';

const DELETE = 'mutation ($input: DeleteMyAccountInput!) { deleteMyAccount(input: $input) { deleteAfter } }';
const PROCESS = 'mutation ($userId: ID!) { processAccountDeletion(userId: $userId) }';
const ME = '{ me { id deletionScheduledFor } }';
const USER = 'query ($id: ID!) { user(id: $id) { id status deletionScheduledFor } }';
const REFRESH = 'mutation ($token: String!) { refreshToken(refreshToken: $token) { accessToken } }';
const ENROL = 'mutation { enrolTwoFactor { secret } }';
const CONFIRM =
  'mutation ($input: ConfirmTwoFactorInput!) { confirmTwoFactor(input: $input) { recoveryCodes } }';
const DAY_MS = 86_400_000;

const detailsOf = (result: GraphqlResult) => result.errors?.[0]?.extensions.details;

describe('identity: account deletion (deleteMyAccount, POST /api/v1/me/deletion) and its erasure', () => {
  let api: TestApp;
  let db: DataSource;
  let admin: Session;
  usePersonalDataSuite((suite) => ({ api, db, admin } = suite));

  const models = (key: string) =>
    fetch(`${api.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
  const verifyCode = (code: string) =>
    fetch(`${api.url}/api/v1/sessions/verify`, { headers: { authorization: `Bearer ${code}` } });
  const restDelete = (bearer: string, body: unknown) =>
    fetch(`${api.url}/api/v1/me/deletion`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const auditActions = async (userId: string) =>
    (
      (await db.query(
        `SELECT action FROM identity_audit_log WHERE target_type = 'user' AND target_id = $1 ORDER BY id`,
        [userId],
      )) as Array<{
        action: string;
      }>
    ).map((row) => row.action);

  /** A verified user with a unique name and address (so both can be searched for); Google-only without a password. */
  async function account(label: string, options: { googleOnly?: boolean } = {}): Promise<User> {
    const tag = randomUUID().slice(0, 8);
    const user = User.restore({
      id: randomUUID(),
      email: EmailAddress.parse(`${label}-${tag}@example.com`),
      name: `${label} Person ${tag}`,
      passwordHash: options.googleOnly ? null : await api.app.get(PasswordHasher).hash(PASSWORD),
      role: 'USER',
      status: 'active',
      emailVerifiedAt: new Date(),
      googleId: options.googleOnly ? `google-${tag}` : null,
      createdAt: new Date(),
      deletionRequestedAt: null,
    });
    await api.app.get(UserRepository).save(user, []);
    return user;
  }

  async function person(label: string) {
    const user = await account(label);
    return { user, email: user.email.value, name: user.name, session: await signIn(api, user.email.value) };
  }

  /** Someone with something in every context: an API key, credits, a usage record, a media file, a webhook endpoint. */
  async function personWithData(label: string) {
    const who = await person(label);
    const session = who.session;
    const { key } = await giveData({ api, db, admin }, session, label, 12.5);
    const jobId = randomUUID();
    const file = await api.app
      .get(MediaStore)
      .put(`${jobId}/0.png`, Buffer.from(`${label} picture`), 'image/png');
    await db.query(
      `INSERT INTO media_job (id, user_id, kind, model, provider, upstream_model, prompt, price, hold_id, deadline_at, status, results, finished_at, settled_at)
       VALUES ($1, $2, 'image', 'gpt-image-1', 'openai', 'gpt-image-1', $3, 1000, $4, now() + interval '10 minutes', 'succeeded', $5, now(), now())`,
      [jobId, session.userId, `a portrait of ${who.name}`, randomUUID(), JSON.stringify([file])],
    );
    // A failed sign-in: the audit entry names the address.
    expect(
      errorCode(
        await gql(api.url, 'mutation ($input: LoginInput!) { login(input: $input) { accessToken } }', {
          input: { email: who.email, password: 'wrong' },
        }),
      ),
    ).toBe('UNAUTHENTICATED');
    return { ...who, key: key.secret, fileKey: file.key };
  }

  /** Every table and text-like column where `needle` occurs, over the whole database. */
  async function whereFound(needle: string): Promise<string[]> {
    const columns = (await db.query(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'json', 'jsonb', 'ARRAY')`,
    )) as Array<{ table_name: string; column_name: string }>;
    const found: string[] = [];
    for (const { table_name: table, column_name: column } of columns) {
      const [row] = (await db.query(
        `SELECT count(*)::int AS n FROM "${table}" WHERE "${column}"::text ILIKE '%' || $1 || '%'`,
        [needle],
      )) as [{ n: number }];
      if (row.n > 0) found.push(`${table}.${column}`);
    }
    return found;
  }

  it('stops sessions, refresh tokens, API keys and VERIFIED codes at once; signing in during the grace period restores the account', async () => {
    const who = await personWithData('restored');
    const code = (await api.app.get(VerifiedSessions).issue(who.user, `tool-${randomUUID()}`)).code;
    expect((await models(who.key)).status).toBe(200);
    expect((await verifyCode(code)).status).toBe(200);

    // Bad confirmations are told apart, never a 500, and change nothing.
    const wrong = await gql(
      api.url,
      DELETE,
      { input: { password: 'not-my-password' } },
      who.session.accessToken,
    );
    expect(errorCode(wrong)).toBe('BAD_USER_INPUT');
    expect(wrong.errors?.[0]?.message).toBe('Wrong password');
    // On the sign-in lock-out's counter, which the wrong sign-in in personWithData started.
    expect(detailsOf(wrong)).toMatchObject({ attempts_remaining: 3 });
    expect(errorCode(await gql(api.url, DELETE, { input: {} }, who.session.accessToken))).toBe(
      'BAD_USER_INPUT',
    );
    expect(
      errorCode(
        await gql(api.url, DELETE, { input: { password: 'x'.repeat(129) } }, who.session.accessToken),
      ),
    ).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(api.url, DELETE, { input: { password: PASSWORD } }, who.key))).toBe(
      'FORBIDDEN',
    );
    expect(errorCode(await gql(api.url, DELETE, { input: { password: PASSWORD } }))).toBe('UNAUTHENTICATED');
    expect(
      dataOf(
        await gql<{ me: { deletionScheduledFor: string | null } }>(
          api.url,
          ME,
          undefined,
          who.session.accessToken,
        ),
      ).me.deletionScheduledFor,
    ).toBeNull();

    const asked = Date.now();
    const { deleteAfter } = dataOf(
      await gql<{ deleteMyAccount: { deleteAfter: string } }>(
        api.url,
        DELETE,
        { input: { password: PASSWORD } },
        who.session.accessToken,
      ),
    ).deleteMyAccount;
    const days = (new Date(deleteAfter).getTime() - asked) / DAY_MS;
    expect(days).toBeGreaterThan(29.99);
    expect(days).toBeLessThan(30.01);

    // Everything the account held stops working with the answer.
    expect(errorCode(await gql(api.url, ME, undefined, who.session.accessToken))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(api.url, REFRESH, { token: who.session.refreshToken }))).toBe(
      'UNAUTHENTICATED',
    );
    expect((await models(who.key)).status).toBe(401);
    expect((await verifyCode(code)).status).toBe(404);
    const pending = dataOf(
      await gql<{ user: { status: string; deletionScheduledFor: string } }>(
        api.url,
        USER,
        { id: who.user.id },
        admin.accessToken,
      ),
    ).user;
    expect(new Date(pending.deletionScheduledFor).toISOString()).toBe(new Date(deleteAfter).toISOString());
    // The maintenance job leaves it alone during the grace period.
    expect((await api.app.get(PurgeExpiredRowsHandler).execute({ batchSize: 10 })).deletedAccounts).toBe(0);

    // Signing in again keeps the account: it works as before, API key included, and the owner is told.
    const back = await signIn(api, who.email);
    expect(
      dataOf(
        await gql<{ me: { id: string; deletionScheduledFor: string | null } }>(
          api.url,
          ME,
          undefined,
          back.accessToken,
        ),
      ).me,
    ).toEqual({
      id: who.user.id,
      deletionScheduledFor: null,
    });
    expect((await models(who.key)).status).toBe(200);
    expect(await auditActions(who.user.id)).toEqual(
      expect.arrayContaining(['user.deletion_requested', 'user.deletion_cancelled']),
    );
    const mails = (await db.query(
      `SELECT type FROM outbox_event WHERE payload ->> 'userId' = $1 AND type LIKE 'identity.account_deletion%' ORDER BY id`,
      [who.user.id],
    )) as Array<{ type: string }>;
    expect(mails.map((row) => row.type)).toEqual([
      'identity.account_deletion_requested',
      'identity.account_deletion_cancelled',
    ]);
    expect(await api.app.get(AccountErasure).eraseDue(new Date(Date.now() + 31 * DAY_MS), 100)).toBe(0);
    expect(await db.query(`SELECT id FROM identity_user WHERE id = $1`, [who.user.id])).toHaveLength(1);
  });

  it('erases the account after the grace period: personal data, files and keys gone, the ledger kept under a pseudonym and still verified', async () => {
    const gone = await personWithData('erased');
    const kept = await personWithData('bystander');
    const keptLedger = await db.query(
      `SELECT id, amount FROM ledger_transaction WHERE user_id = $1 ORDER BY id`,
      [kept.user.id],
    );
    // Addresses and names are stored sealed (never in clear): the account is found by its address's keyed hash.
    expect(await api.app.get(UserRepository).findByEmail(gone.email.toLowerCase())).not.toBeNull();
    expect(
      await db.query(`SELECT id FROM identity_audit_log WHERE actor_id = $1 AND ip IS NOT NULL`, [
        gone.user.id,
      ]),
    ).not.toEqual([]);

    const rest = await restDelete(gone.session.accessToken, { password: PASSWORD });
    expect(rest.status).toBe(202);
    const deleteAfter = ((await rest.json()) as { data: { deleteAfter: string } }).data.deleteAfter;

    // The job's clock, not a sleep: a minute before the grace period ends nothing happens, a minute after it is erased.
    const erasure = api.app.get(AccountErasure);
    expect(await erasure.eraseDue(new Date(new Date(deleteAfter).getTime() - 60_000), 100)).toBe(0);
    expect(await erasure.eraseDue(new Date(new Date(deleteAfter).getTime() + 60_000), 100)).toBe(1);

    expect(await whereFound(gone.email)).toEqual([]);
    expect(await whereFound(gone.name)).toEqual([]);
    expect(await api.app.get(UserRepository).findByEmail(gone.email.toLowerCase())).toBeNull();
    expect(await db.query(`SELECT id FROM identity_user WHERE id = $1`, [gone.user.id])).toEqual([]);
    for (const table of ['identity_api_key', 'identity_refresh_token', 'ai_usage', 'media_job'])
      expect(await db.query(`SELECT 1 FROM ${table} WHERE user_id = $1`, [gone.user.id])).toEqual([]);
    expect(await db.query(`SELECT 1 FROM webhook_endpoint WHERE owner_id = $1`, [gone.user.id])).toEqual([]);
    expect(await api.app.get(MediaStore).read(gone.fileKey)).toBeNull();
    expect((await models(gone.key)).status).toBe(401);
    expect(
      errorCode(
        await gql(api.url, 'mutation ($input: LoginInput!) { login(input: $input) { accessToken } }', {
          input: { email: gone.email, password: PASSWORD },
        }),
      ),
    ).toBe('UNAUTHENTICATED');

    // What must stay, stays under the id that now names nobody: the ledger (still balanced) and the audit trail (without IPs).
    const ledger = (await db.query(`SELECT amount, reason FROM ledger_transaction WHERE user_id = $1`, [
      gone.user.id,
    ])) as Array<{ amount: string; reason: string }>;
    expect(ledger).toEqual([expect.objectContaining({ amount: '12500', reason: 'erased credits' })]);
    const report = await verifyLedger(db);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(
      await db.query(`SELECT id FROM identity_audit_log WHERE actor_id = $1 AND ip IS NOT NULL`, [
        gone.user.id,
      ]),
    ).toEqual([]);
    expect(await auditActions(gone.user.id)).toEqual(
      expect.arrayContaining(['user.deletion_requested', 'user.deleted']),
    );
    const [deleted] = (await db.query(
      `SELECT actor_id, details FROM identity_audit_log WHERE action = 'user.deleted' AND target_id = $1`,
      [gone.user.id],
    )) as Array<{
      actor_id: string | null;
      details: Record<string, unknown>;
    }>;
    expect(deleted).toEqual({ actor_id: null, details: { by: 'grace_period_ended' } });
    // The audit log is still append-only outside an erasure.
    await expect(
      db.query(`UPDATE identity_audit_log SET details = '{}' WHERE target_id = $1`, [kept.user.id]),
    ).rejects.toThrow(/append-only/);

    // Nobody else's data was touched.
    expect(await api.app.get(UserRepository).findByEmail(kept.email.toLowerCase())).toMatchObject({ id: kept.user.id, name: kept.name });
    expect((await models(kept.key)).status).toBe(200);
    expect((await api.app.get(MediaStore).read(kept.fileKey))?.toString()).toBe('bystander picture');
    expect(await db.query(`SELECT 1 FROM ai_usage WHERE user_id = $1`, [kept.user.id])).toHaveLength(1);
    expect(await db.query(`SELECT 1 FROM webhook_endpoint WHERE owner_id = $1`, [kept.user.id])).toHaveLength(
      1,
    );
    expect(
      await db.query(`SELECT id, amount FROM ledger_transaction WHERE user_id = $1 ORDER BY id`, [
        kept.user.id,
      ]),
    ).toEqual(keptLedger);
  });

  it('is confirmed by a second-factor code where one is on; an account without a password must turn one on first', async () => {
    const who = await person('factor');
    const { secret } = dataOf(
      await gql<{ enrolTwoFactor: { secret: string } }>(api.url, ENROL, {}, who.session.accessToken),
    ).enrolTwoFactor;
    const { recoveryCodes } = dataOf(
      await gql<{ confirmTwoFactor: { recoveryCodes: string[] } }>(
        api.url,
        CONFIRM,
        { input: { code: Totp.codeAt(secret, Date.now()) } },
        who.session.accessToken,
      ),
    ).confirmTwoFactor;
    const wrongCode = await gql(api.url, DELETE, { input: { code: '000000' } }, who.session.accessToken);
    expect(errorCode(wrongCode)).toBe('BAD_USER_INPUT');
    expect(
      dataOf(await gql(api.url, DELETE, { input: { code: recoveryCodes[0] } }, who.session.accessToken)),
    ).toEqual({
      deleteMyAccount: { deleteAfter: expect.any(String) },
    });

    // Google-only, no second factor: nothing to confirm with, said plainly (an access token made directly).
    const googleOnly = await account('google', { googleOnly: true });
    const tokens = await api.app.get(SessionTokens).issue(googleOnly.id);
    const refused = await gql(api.url, DELETE, { input: { password: 'anything' } }, tokens.accessToken);
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(detailsOf(refused)).toEqual({ reason: 'no_confirmation_method' });

    // REST: the same answers, in the REST error format.
    const unknownField = await restDelete(tokens.accessToken, { password: 'x', sure: true });
    expect(unknownField.status).toBe(400);
    const noMethod = await restDelete(tokens.accessToken, { password: 'anything' });
    expect(noMethod.status).toBe(400);
    expect(((await noMethod.json()) as { error: { code: string } }).error.code).toBe('BAD_USER_INPUT');
  });

  it('lets an administrator erase a pending deletion at once (audited), within their rights', async () => {
    const who = await personWithData('processed');
    const manager = await createSignedInUser(api, 'MANAGER');
    const superAdmin = await createSignedInUser(api, 'SUPER_ADMIN');

    expect(errorCode(await gql(api.url, PROCESS, { userId: who.user.id }, admin.accessToken))).toBe(
      'CONFLICT',
    );
    dataOf(await gql(api.url, DELETE, { input: { password: PASSWORD } }, who.session.accessToken));
    expect(errorCode(await gql(api.url, PROCESS, { userId: who.user.id }, manager.accessToken))).toBe(
      'FORBIDDEN',
    );
    expect(errorCode(await gql(api.url, PROCESS, { userId: who.user.id }, who.key))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(api.url, PROCESS, { userId: randomUUID() }, admin.accessToken))).toBe(
      'NOT_FOUND',
    );
    expect(errorCode(await gql(api.url, PROCESS, { userId: 'not-an-id' }, admin.accessToken))).toBe(
      'NOT_FOUND',
    );
    expect(errorCode(await gql(api.url, PROCESS, { userId: superAdmin.userId }, admin.accessToken))).toBe(
      'FORBIDDEN',
    );

    expect(dataOf(await gql(api.url, PROCESS, { userId: who.user.id }, admin.accessToken))).toEqual({
      processAccountDeletion: true,
    });
    expect(await whereFound(who.email)).toEqual([]);
    expect(await api.app.get(MediaStore).read(who.fileKey)).toBeNull();
    const entries = (await db.query(
      `SELECT action, actor_id FROM identity_audit_log WHERE target_id = $1 AND action IN ('user.deletion_processed', 'user.deleted') ORDER BY id`,
      [who.user.id],
    )) as Array<{ action: string; actor_id: string }>;
    expect(entries).toEqual([
      { action: 'user.deletion_processed', actor_id: admin.userId },
      { action: 'user.deleted', actor_id: admin.userId },
    ]);
    expect(errorCode(await gql(api.url, PROCESS, { userId: who.user.id }, admin.accessToken))).toBe(
      'NOT_FOUND',
    );
    expect((await verifyLedger(db)).ok).toBe(true);
  });
});
