import { verifyLedger } from '@sah/infrastructure';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { LedgerService } from '../src/contexts/billing/application/ledger.service';
import { fund } from './support/billing-fixtures';
import { FakeMediaOpenAI } from './support/fake-media-openai';
import { dataOf, gql } from './support/graphql-client';
import { createSignedInUser, Session } from './support/identity-fixtures';
import { createFundedTeam, createTeamKey, setMemberLimits, teamWallet } from './support/team-fixtures';
import { eventually, startTestApp, TestApp } from './support/test-app';

const FINISHED = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'EXPIRED'];
const HISTORY = `query ($input: TeamWalletTransactionsInput!) {
  teamWalletTransactions(input: $input) { items { type amount actorId metadata } pageInfo { total } }
}`;

interface JobView {
  id: string;
  status: string;
  credits: number;
  error: { code: string } | null;
}

const mediaEnv = (fake: FakeMediaOpenAI, storageDir: string, extra: Record<string, string> = {}) => ({
  ...fake.env(),
  MEDIA_STORAGE_DIR: storageDir,
  MEDIA_POLL_INTERVAL_MS: '50',
  MEDIA_RETRY_BASE_MS: '50',
  ...extra,
});

async function job(api: TestApp, id: string, session: Session): Promise<JobView> {
  return dataOf(await gql<{ mediaJob: JobView }>(api.url, 'query ($id: ID!) { mediaJob(id: $id) { id status credits error { code } } }', { id }, session.accessToken))
    .mediaJob;
}

function video(api: TestApp, key: string, prompt: string) {
  return fetch(`${api.url}/api/sora2/generate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ prompt, duration: 4 }),
  });
}

async function videoId(api: TestApp, key: string, prompt: string): Promise<string> {
  const response = await video(api, key, prompt);
  expect(response.status).toBe(202);
  return ((await response.json()) as { data: { id: string } }).data.id;
}

/** The wallet once it shows `balance` and `reserved`: a job's status is written a moment before its hold is settled. */
function walletReaches(api: TestApp, teamId: string, admin: Session, balance: number, reserved: number) {
  return eventually(() => teamWallet(api, teamId, admin), (wallet) => wallet.balance === balance && wallet.reserved === reserved);
}

async function history(api: TestApp, teamId: string, session: Session) {
  return dataOf(
    await gql<{ teamWalletTransactions: { items: Array<{ type: string; amount: number; actorId: string; metadata: Record<string, unknown> }> } }>(
      api.url,
      HISTORY,
      { input: { teamId } },
      session.accessToken,
    ),
  ).teamWalletTransactions.items;
}

async function ledgerProblems(api: TestApp): Promise<string[]> {
  return (await verifyLedger(api.app.get(DataSource))).problems;
}

describe('media jobs paid from a team wallet', () => {
  let api: TestApp;
  let fake: FakeMediaOpenAI;
  let storageDir: string;
  let admin: Session;

  beforeAll(async () => {
    fake = await new FakeMediaOpenAI().start();
    storageDir = mkdtempSync(join(tmpdir(), 'media-team-'));
    api = await startTestApp(mediaEnv(fake, storageDir));
    admin = await createSignedInUser(api, 'ADMIN');
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await fake?.stop();
    rmSync(storageDir, { recursive: true, force: true });
  });

  it('holds and charges a team key’s job on the wallet (the member named), and releases a failed job’s hold back to it', async () => {
    const { teamId, member } = await createFundedTeam(api, admin, 100);
    await fund(api, member.userId, 10);
    const ownBefore = (await api.app.get(LedgerService).balance(member.userId)).balance.toNumber();
    const key = await createTeamKey(api, member, teamId, ['media.create']);

    const made = await videoId(api, key, 'a lighthouse at dusk');
    expect((await teamWallet(api, teamId, admin)).reserved).toBe(30);
    expect(await eventually(() => job(api, made, member), (view) => FINISHED.includes(view.status), 30_000)).toMatchObject({ status: 'SUCCEEDED', credits: 30 });
    const charged = await walletReaches(api, teamId, admin, 70, 0);
    expect(charged.members.find((row) => row.userId === member.userId)).toMatchObject({ usedToday: 30, usedThisMonth: 30 });
    expect(charged.usedThisMonth).toBe(30);
    // The member's own credits are untouched; the wallet's usage names the member and the job.
    expect((await api.app.get(LedgerService).balance(member.userId)).balance.toNumber()).toBe(ownBefore);
    expect((await history(api, teamId, member))[0]).toMatchObject({ type: 'USAGE', amount: -30, actorId: member.userId, metadata: expect.objectContaining({ mediaJobId: made, teamId, memberId: member.userId }) });

    // The provider fails the next one: its hold goes back to the wallet, nothing is charged.
    const failing = await videoId(api, key, 'PROVIDER_FAIL a storm');
    expect(await eventually(() => job(api, failing, member), (view) => FINISHED.includes(view.status), 30_000)).toMatchObject({ status: 'FAILED', error: { code: 'PROVIDER_ERROR' } });
    const refunded = await walletReaches(api, teamId, admin, 70, 0);
    expect(refunded.members.find((row) => row.userId === member.userId)).toMatchObject({ usedToday: 30 });
    expect(await history(api, teamId, member)).toHaveLength(2);
    expect(await ledgerProblems(api)).toEqual([]);
  }, 90_000);

  it('refuses a member over their daily limit 402 before anything is submitted, in REST and GraphQL', async () => {
    const { teamId, member } = await createFundedTeam(api, admin, 100);
    await setMemberLimits(api, admin, { teamId, userId: member.userId, dailyCredits: 40 });
    const key = await createTeamKey(api, member, teamId, ['media.create']);
    const first = await videoId(api, key, 'first of the day');
    await eventually(() => job(api, first, member), (view) => view.status === 'SUCCEEDED', 30_000);

    const submitted = fake.calls('/v1/videos').length;
    const refused = await video(api, key, 'one too many');
    expect(refused.status).toBe(402);
    expect(((await refused.json()) as { error: { code: string; details: Record<string, unknown> } }).error).toMatchObject({
      code: 'BUDGET_EXCEEDED',
      details: { limit: 'member_daily', budget: 40, spent_or_held: 30 },
    });
    const viaGraphql = await gql(api.url, 'mutation { createImageJob(input: { prompt: "a still" }) { id } }', {}, key);
    expect(viaGraphql.errors?.[0]?.extensions?.['code']).toBe('BUDGET_EXCEEDED');
    expect(fake.calls('/v1/videos')).toHaveLength(submitted);
    const jobs = dataOf(await gql<{ mediaJobs: { pageInfo: { total: number } } }>(api.url, '{ mediaJobs { pageInfo { total } } }', {}, member.accessToken)).mediaJobs;
    expect(jobs.pageInfo.total).toBe(1);
    expect(await walletReaches(api, teamId, admin, 70, 0)).toMatchObject({ balance: 70, reserved: 0 });

    // A member who has left the team can no longer spend its wallet on media either.
    await api.app.get(DataSource).query(`DELETE FROM identity_team_member WHERE team_id = $1 AND user_id = $2`, [teamId, member.userId]);
    expect((await video(api, key, 'after leaving')).status).toBe(403);
  }, 90_000);
});

describe('team media jobs past their deadline', () => {
  let api: TestApp;
  let fake: FakeMediaOpenAI;
  let storageDir: string;
  let admin: Session;

  beforeAll(async () => {
    fake = await new FakeMediaOpenAI().start();
    storageDir = mkdtempSync(join(tmpdir(), 'media-team-'));
    api = await startTestApp(mediaEnv(fake, storageDir, { MEDIA_VIDEO_DEADLINE_SECONDS: '2' }));
    admin = await createSignedInUser(api, 'ADMIN');
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await fake?.stop();
    rmSync(storageDir, { recursive: true, force: true });
  });

  it('releases an expired job’s hold to the wallet, then charges the wallet once when the provider succeeds after all', async () => {
    const { teamId, member } = await createFundedTeam(api, admin, 100);
    const key = await createTeamKey(api, member, teamId, ['media.create']);
    const ownBefore = (await api.app.get(LedgerService).balance(member.userId)).balance.toNumber();
    fake.videoMinMs = 4_000;
    const id = await videoId(api, key, 'slow sunset');
    expect(await eventually(() => job(api, id, member), (view) => FINISHED.includes(view.status), 20_000)).toMatchObject({ status: 'EXPIRED' });
    await walletReaches(api, teamId, admin, 100, 0);

    await eventually(() => job(api, id, member), (view) => view.status === 'SUCCEEDED', 20_000);
    const charged = await walletReaches(api, teamId, admin, 70, 0);
    // Counted in the member's and the team's spend of the day the hold was taken, as a capture is.
    expect(charged.members.find((row) => row.userId === member.userId)).toMatchObject({ usedToday: 30, usedThisMonth: 30 });
    expect(charged.usedThisMonth).toBe(30);
    const usage = (await history(api, teamId, member)).filter((row) => row.type === 'USAGE');
    expect(usage).toEqual([expect.objectContaining({ amount: -30, actorId: member.userId, metadata: expect.objectContaining({ mediaJobId: id, late: true }) })]);
    expect((await api.app.get(LedgerService).balance(member.userId)).balance.toNumber()).toBe(ownBefore);
    expect(await ledgerProblems(api)).toEqual([]);
  }, 60_000);
});
