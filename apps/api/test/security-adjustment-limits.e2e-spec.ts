import { randomUUID } from 'node:crypto';
import { LedgerService } from '../src/contexts/billing/application/ledger.service';
import { dataOf, errorCode, gql } from './support/graphql-client';
import { createSignedInUser, createUser, Session } from './support/identity-fixtures';
import { startTestApp, TestApp } from './support/test-app';

const ADJUST = 'mutation ($input: AdjustCreditsInput!) { adjustCredits(input: $input) { id amount } }';
const APPLY = 'mutation ($input: ApplyCreditAdjustmentsInput!) { applyCreditAdjustments(input: $input) { applied } }';

/** Issue 16.9: manual adjustments are capped per role, per adjustment and per day (super admins uncapped). */
describe('security 16.9b: limits on credit adjustments by role', () => {
  let api: TestApp;
  let admin: Session;
  let teamId: string;

  beforeAll(async () => {
    api = await startTestApp({
      ADJUSTMENT_MAX_MANAGER: '100',
      ADJUSTMENT_DAILY_MAX_MANAGER: '250',
      ADJUSTMENT_MAX_ADMIN: '1000',
      ADJUSTMENT_DAILY_MAX_ADMIN: '1500',
    });
    admin = await createSignedInUser(api, 'ADMIN');
    teamId = dataOf(
      await gql<{ createTeam: { id: string } }>(api.url, 'mutation ($n: String!) { createTeam(input: { name: $n }) { id } }', { n: `limits ${randomUUID()}` }, admin.accessToken),
    ).createTeam.id;
  });
  afterAll(() => api.close());

  const addToTeam = async (userId: string, role: 'member' | 'manager') =>
    dataOf(await gql(api.url, 'mutation ($input: AddTeamMemberInput!) { addTeamMember(input: $input) { id } }', { input: { teamId, userId, role } }, admin.accessToken));
  const adjust = (bearer: string, userId: string, amount: number) => gql(api.url, ADJUST, { input: { userId, amount, reason: 'limits test' } }, bearer);
  const balanceOf = async (userId: string) => (await api.app.get(LedgerService).balance(userId)).balance.toNumber();

  async function managerWithMember(): Promise<{ manager: Session; member: string }> {
    const manager = await createSignedInUser(api, 'MANAGER');
    await addToTeam(manager.userId, 'manager');
    const member = (await createUser(api)).id;
    await addToTeam(member, 'member');
    return { manager, member };
  }

  it('refuses a manager’s +1,000,000 (and -1,000,000) with ADJUSTMENT_LIMIT_EXCEEDED, changing nothing', async () => {
    const { manager, member } = await managerWithMember();
    const before = await balanceOf(member);
    for (const amount of [1_000_000, -1_000_000, 100.001]) {
      const refused = await adjust(manager.accessToken, member, amount);
      expect(errorCode(refused)).toBe('ADJUSTMENT_LIMIT_EXCEEDED');
      expect(refused.errors?.[0].extensions.details).toMatchObject({ limit: 100, role: 'MANAGER' });
    }
    expect(await balanceOf(member)).toBe(before);
    expect(dataOf(await adjust(manager.accessToken, member, 100))).toMatchObject({ adjustCredits: { amount: 100 } });
  });

  it('caps a manager’s total per day, both directions and bulk files included; refusals do not use the allowance', async () => {
    const { manager, member } = await managerWithMember();
    dataOf(await adjust(manager.accessToken, member, 100));
    dataOf(await adjust(manager.accessToken, member, -50));
    dataOf(await adjust(manager.accessToken, member, 60));
    const over = await adjust(manager.accessToken, member, 50);
    expect(errorCode(over)).toBe('ADJUSTMENT_LIMIT_EXCEEDED');
    expect(over.errors?.[0].extensions.details).toMatchObject({ daily_limit: 250, remaining_today: 40 });

    const second = (await createUser(api)).id;
    await addToTeam(second, 'member');
    const file = (amount: number) => `user,amount,reason\n${member},${amount},bulk one\n${second},${amount},bulk two`;
    const bulk = (amount: number) => gql(api.url, APPLY, { input: { csv: file(amount), idempotencyKey: randomUUID() } }, manager.accessToken);
    expect(errorCode(await bulk(30))).toBe('ADJUSTMENT_LIMIT_EXCEEDED');
    expect(dataOf(await bulk(20))).toEqual({ applyCreditAdjustments: { applied: 2 } });
    expect(errorCode(await adjust(manager.accessToken, member, 0.001))).toBe('ADJUSTMENT_LIMIT_EXCEEDED');
  });

  it('counts concurrent adjustments against the daily cap exactly once each', async () => {
    const { manager, member } = await managerWithMember();
    const results = await Promise.all(Array.from({ length: 10 }, () => adjust(manager.accessToken, member, 50)));
    expect(results.filter((result) => result.data?.adjustCredits).length).toBe(5);
    expect(results.filter((result) => errorCode(result) === 'ADJUSTMENT_LIMIT_EXCEEDED').length).toBe(5);
    expect(await balanceOf(member)).toBe(250);
  });

  it('gives admins their own larger caps and super admins none', async () => {
    const target = (await createUser(api)).id;
    const otherAdmin = await createSignedInUser(api, 'ADMIN');
    expect(errorCode(await adjust(otherAdmin.accessToken, target, 1000.5))).toBe('ADJUSTMENT_LIMIT_EXCEEDED');
    dataOf(await adjust(otherAdmin.accessToken, target, 1000));
    expect(errorCode(await adjust(otherAdmin.accessToken, target, 600))).toBe('ADJUSTMENT_LIMIT_EXCEEDED');

    const superAdmin = await createSignedInUser(api, 'SUPER_ADMIN');
    dataOf(await adjust(superAdmin.accessToken, target, 1_000_000));
    expect(await balanceOf(target)).toBe(1_001_000);
  });
});
