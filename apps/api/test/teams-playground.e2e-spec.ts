import { randomUUID } from 'node:crypto';
import { LedgerService } from '../src/contexts/billing/application/ledger.service';
import { fund } from './support/billing-fixtures';
import { FakeOpenAI } from './support/fake-openai';
import { dataOf, errorCode, gql } from './support/graphql-client';
import { createSignedInUser, Session } from './support/identity-fixtures';
import { startTestApp, TestApp } from './support/test-app';

const CHAT = `mutation ($input: ChatCompletionInput!) { chatCompletion(input: $input) { content credits } }`;
const WALLET = `query ($teamId: ID!) { teamWallet(teamId: $teamId) { balance members { userId usedToday } } }`;
/** 10 tokens in, 90 out at gpt-4o's 10 credits per 1,000: 1 credit. */
const USAGE = { input: 10, output: 90 };

/** The console playground's choice of payer: yourself, or a team you belong to (chatCompletion's teamId). */
describe('chatCompletion in a team’s name', () => {
  let api: TestApp;
  let openai: FakeOpenAI;
  let admin: Session;

  beforeAll(async () => {
    openai = new FakeOpenAI();
    await openai.start();
    api = await startTestApp({ ...openai.env(), WORKERS: 'off' });
    admin = await createSignedInUser(api, 'ADMIN');
  });
  afterAll(async () => {
    await api?.close();
    await openai.stop();
  });
  beforeEach(() => openai.reset());

  async function teamWith(member: Session, credits: number): Promise<string> {
    const teamId = dataOf(
      await gql<{ createTeam: { id: string } }>(api.url, 'mutation ($n: String!) { createTeam(input: { name: $n }) { id } }', { n: `playground ${randomUUID()}` }, admin.accessToken),
    ).createTeam.id;
    dataOf(await gql(api.url, 'mutation ($i: AddTeamMemberInput!) { addTeamMember(input: $i) { id } }', { i: { teamId, userId: member.userId, role: 'member' } }, admin.accessToken));
    dataOf(await gql(api.url, 'mutation ($i: AdjustTeamWalletInput!) { adjustTeamWallet(input: $i) { transactionId } }', { i: { teamId, amount: credits, reason: 'budget' } }, admin.accessToken));
    return teamId;
  }

  const chat = (session: Session, teamId?: string) =>
    gql<{ chatCompletion: { content: string; credits: number } }>(
      api.url,
      CHAT,
      { input: { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], maxTokens: 100, ...(teamId ? { teamId } : {}) } },
      session.accessToken,
    );
  const balanceOf = async (userId: string) => (await api.app.get(LedgerService).balance(userId)).balance.toNumber();

  it('spends the team’s wallet in the member’s name when a member names the team, and the member’s own credits otherwise', async () => {
    const member = await createSignedInUser(api);
    await fund(api, member.userId, 10);
    const teamId = await teamWith(member, 50);
    openai.reply({ usage: USAGE });

    expect(dataOf(await chat(member, teamId)).chatCompletion.credits).toBe(1);
    const wallet = dataOf(await gql<{ teamWallet: { balance: number; members: Array<{ userId: string; usedToday: number }> } }>(api.url, WALLET, { teamId }, member.accessToken)).teamWallet;
    expect(wallet.balance).toBe(49);
    expect(wallet.members.find((m) => m.userId === member.userId)?.usedToday).toBe(1);
    expect(await balanceOf(member.userId)).toBe(10);

    dataOf(await chat(member));
    expect(await balanceOf(member.userId)).toBe(9);
  });

  it('is NOT_FOUND for a team the caller is not in (administrators included), before any provider call', async () => {
    const member = await createSignedInUser(api);
    const outsider = await createSignedInUser(api);
    await fund(api, outsider.userId, 10);
    await fund(api, admin.userId, 10);
    const teamId = await teamWith(member, 50);
    openai.reply({ usage: USAGE });

    expect(errorCode(await chat(outsider, teamId))).toBe('NOT_FOUND');
    expect(errorCode(await chat(admin, teamId))).toBe('NOT_FOUND');
    expect(errorCode(await chat(outsider, randomUUID()))).toBe('NOT_FOUND');
    expect(errorCode(await chat(outsider, 'not-a-uuid'))).toBe('BAD_USER_INPUT');
    expect(openai.requests).toHaveLength(0);
    expect(await balanceOf(outsider.userId)).toBe(10);
  });
});
