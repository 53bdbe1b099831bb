import { Credits } from '@sah/domain';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { LedgerService } from '../src/contexts/billing/application/ledger.service';
import { fund } from './support/billing-fixtures';
import { dataOf, errorCode, gql } from './support/graphql-client';
import { createSignedInUser, createUser } from './support/identity-fixtures';
import { eventually, startTestApp, TestApp } from './support/test-app';

const BALANCE = 'query ($userId: ID) { creditBalance(userId: $userId) { userId balance reserved available } }';
const TRANSACTIONS = `query ($filter: CreditTransactionsFilterInput) {
  creditTransactions(filter: $filter) { items { id type userId amount balanceAfter reason } pageInfo { page perPage total totalPages } }
}`;
const FORECAST = 'query ($userId: ID) { creditForecast(userId: $userId) { daysUntilEmpty averageDailySpend windowDays available } }';

interface Page {
  creditTransactions: { items: Array<{ type: string; userId: string; amount: number; balanceAfter: number; reason: string }>; pageInfo: { total: number; totalPages: number } };
}

describe('billing: credits over GraphQL', () => {
  let api: TestApp;
  let ledger: LedgerService;

  beforeAll(async () => {
    api = await startTestApp();
    ledger = api.app.get(LedgerService);
  });
  afterAll(() => api.close());

  it('shows your own balance with what is reserved, as exact decimals', async () => {
    const me = await createSignedInUser(api);
    await fund(api, me.userId, '12.345');
    await ledger.hold({ userId: me.userId, amount: Credits.parse('2.3') });
    const { creditBalance } = dataOf(await gql<{ creditBalance: unknown }>(api.url, BALANCE, {}, me.accessToken));
    expect(creditBalance).toEqual({ userId: me.userId, balance: 12.345, reserved: 2.3, available: 10.045 });
  });

  it('scopes balances and history: users see their own, managers their team, admins everyone', async () => {
    const user = await createSignedInUser(api);
    const stranger = await createUser(api);
    const admin = await createSignedInUser(api, 'ADMIN');
    const manager = await createSignedInUser(api, 'MANAGER');
    await fund(api, stranger.id, 5);

    expect(errorCode(await gql(api.url, BALANCE, { userId: stranger.id }, user.accessToken))).toBe('NOT_FOUND');
    expect(errorCode(await gql(api.url, TRANSACTIONS, { filter: { userId: stranger.id } }, user.accessToken))).toBe('NOT_FOUND');
    expect(errorCode(await gql(api.url, TRANSACTIONS, { filter: { allUsers: true } }, user.accessToken))).toBe('FORBIDDEN');
    expect(errorCode(await gql(api.url, BALANCE, { userId: stranger.id }, manager.accessToken))).toBe('NOT_FOUND');
    expect(dataOf(await gql<{ creditBalance: { balance: number } }>(api.url, BALANCE, { userId: stranger.id }, admin.accessToken)).creditBalance.balance).toBe(5);

    const team = dataOf(
      await gql<{ createTeam: { id: string } }>(api.url, 'mutation ($n: String!) { createTeam(input: { name: $n }) { id } }', { n: `Billing ${stranger.id}` }, admin.accessToken),
    ).createTeam;
    const add = 'mutation ($i: AddTeamMemberInput!) { addTeamMember(input: $i) { id } }';
    dataOf(await gql(api.url, add, { i: { teamId: team.id, userId: manager.userId, role: 'manager' } }, admin.accessToken));
    dataOf(await gql(api.url, add, { i: { teamId: team.id, userId: stranger.id, role: 'member' } }, admin.accessToken));
    expect(dataOf(await gql<{ creditBalance: { balance: number } }>(api.url, BALANCE, { userId: stranger.id }, manager.accessToken)).creditBalance.balance).toBe(5);
    const teamView = dataOf(await gql<Page>(api.url, TRANSACTIONS, { filter: { allUsers: true } }, manager.accessToken)).creditTransactions;
    // The team's members (the manager has no transactions), nobody else's.
    expect(new Set(teamView.items.map((t) => t.userId))).toEqual(new Set([stranger.id]));
  });

  it('answers NOT_FOUND, not a server error, for a malformed user id', async () => {
    const admin = await createSignedInUser(api, 'ADMIN');
    for (const userId of ['nope', '------------------------------------']) {
      expect(errorCode(await gql(api.url, BALANCE, { userId }, admin.accessToken))).toBe('NOT_FOUND');
      expect(errorCode(await gql(api.url, FORECAST, { userId }, admin.accessToken))).toBe('NOT_FOUND');
    }
  });

  it('pages history newest first and filters by type and date', async () => {
    const me = await createSignedInUser(api);
    await fund(api, me.userId, 100);
    for (let i = 1; i <= 5; i += 1) await ledger.debit({ userId: me.userId, type: 'debit', amount: Credits.whole(i), reason: `spend ${i}` });

    const first = dataOf(await gql<Page>(api.url, TRANSACTIONS, { filter: { perPage: 4 } }, me.accessToken)).creditTransactions;
    expect(first.pageInfo).toMatchObject({ total: 6, totalPages: 2 });
    expect(first.items.map((t) => t.reason)).toEqual(['spend 5', 'spend 4', 'spend 3', 'spend 2']);
    expect(first.items[0]).toMatchObject({ type: 'DEBIT', amount: -5, balanceAfter: 85 });

    const grants = dataOf(await gql<Page>(api.url, TRANSACTIONS, { filter: { types: ['GRANT'] } }, me.accessToken)).creditTransactions;
    expect(grants.items.map((t) => t.amount)).toEqual([100]);
    const future = dataOf(await gql<Page>(api.url, TRANSACTIONS, { filter: { from: new Date(Date.now() + 60_000).toISOString() } }, me.accessToken));
    expect(future.creditTransactions.pageInfo.total).toBe(0);
    expect(errorCode(await gql(api.url, TRANSACTIONS, { filter: { perPage: 1000 } }, me.accessToken))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(api.url, TRANSACTIONS, { filter: { types: ['NOPE'] } }, me.accessToken))).toBe('BAD_USER_INPUT');
  });

  it('forecasts days until empty from the last 30 days of spending', async () => {
    const me = await createSignedInUser(api);
    const quiet = await createSignedInUser(api);
    await fund(api, me.userId, 90);
    await ledger.debit({ userId: me.userId, type: 'debit', amount: Credits.whole(30) });
    const { creditForecast } = dataOf(await gql<{ creditForecast: unknown }>(api.url, FORECAST, {}, me.accessToken));
    // 30 spent in 30 days = 1 a day; 60 left.
    expect(creditForecast).toEqual({ daysUntilEmpty: 60, averageDailySpend: 1, windowDays: 30, available: 60 });
    const none = dataOf(await gql<{ creditForecast: { daysUntilEmpty: number | null } }>(api.url, FORECAST, {}, quiet.accessToken));
    expect(none.creditForecast.daysUntilEmpty).toBeNull();
  });

  it('refuses the subscription without a token, with the same error code as over HTTP', async () => {
    const client = createClient({ url: `${api.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket });
    try {
      const errors = await new Promise<Array<{ extensions?: { code?: string } }>>((resolve) => {
        client.subscribe(
          { query: 'subscription { creditBalanceChanged { balance } }' },
          { next: ({ errors }) => errors && resolve(errors as never), error: (error) => resolve(error as never), complete: () => resolve([]) },
        );
      });
      expect(errors[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    } finally {
      await client.dispose();
    }
  });

  it('pushes balance changes to the user’s creditBalanceChanged subscription, and only theirs', async () => {
    const me = await createSignedInUser(api);
    const other = await createUser(api);
    const client = createClient({
      url: `${api.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { Authorization: `Bearer ${me.accessToken}` },
    });
    const seen: Array<{ userId: string; balance: number; available: number }> = [];
    const unsubscribe = client.subscribe<{ creditBalanceChanged: { userId: string; balance: number; available: number } }>(
      { query: 'subscription { creditBalanceChanged { userId balance available } }' },
      { next: ({ data }) => data && seen.push(data.creditBalanceChanged), error: () => undefined, complete: () => undefined },
    );
    try {
      // graphql-ws does not acknowledge a subscription: it is live once a change of ours comes through.
      // One credit at a time until one does, then every change up to the balance now has arrived.
      await eventually(async () => (seen.length > 0 ? seen.length : (await fund(api, me.userId, 1), seen.length)), (n) => n > 0);
      const warmedUp = dataOf(await gql<{ creditBalance: { balance: number } }>(api.url, BALANCE, {}, me.accessToken)).creditBalance.balance;
      await eventually(async () => seen.at(-1)?.balance, (balance) => balance === warmedUp);
      const from = seen.length;

      await fund(api, other.id, 7);
      await fund(api, me.userId, 4);
      await ledger.debit({ userId: me.userId, type: 'debit', amount: Credits.parse('1.5') });
      // Changes close together go out as the account's latest state: the last one seen is the balance now.
      const changes = await eventually(async () => seen.slice(from), (s) => s.at(-1)?.balance === warmedUp + 2.5);
      expect(changes.at(-1)).toEqual({ userId: me.userId, balance: warmedUp + 2.5, available: warmedUp + 2.5 });
      for (const change of changes) expect([warmedUp + 4, warmedUp + 2.5]).toContain(change.balance);
      expect(changes.every((change) => change.userId === me.userId)).toBe(true);
    } finally {
      unsubscribe();
      await client.dispose();
    }
  });
});
