import { Credits } from '@sah/domain';
import { UserPersonalDataCodec } from '@sah/infrastructure';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ChatGateway } from '../src/contexts/ai/application/chat-gateway.service';
import { LedgerService } from '../src/contexts/billing/application/ledger.service';
import { FakeOpenAI } from './support/fake-openai';
import { eventually, startTestApp, TestApp } from './support/test-app';

/** Series of the app's own families; Node's runtime families (GC kinds, handle types) come and go on their own. */
const APP_FAMILY = /^(sah_|http_|graphql_|dependency_)/;

/** Each series /metrics shows (name and labels) with its value. */
async function seriesOf(api: TestApp): Promise<Map<string, string>> {
  const text = await (await fetch(`${api.url}/metrics`)).text();
  const lines = text.split('\n').filter((line) => line && !line.startsWith('#'));
  return new Map(lines.map((line) => [line.slice(0, line.lastIndexOf(' ')), line.slice(line.lastIndexOf(' ') + 1)]));
}

/**
 * Label cardinality with many users: 1,000 users with ledger entries, 50 of them with AI calls
 * (through the ledger and gateway services, not HTTP, to be quick), leave /metrics with the series it
 * had after the first five users. Users are no label; models, providers, endpoints and outcomes are.
 */
describe('metrics: label cardinality stays bounded with 1,000 users', () => {
  const upstream = new FakeOpenAI();
  let api: TestApp;

  beforeAll(async () => {
    await upstream.start();
    api = await startTestApp({ ...upstream.env(), WORKERS: 'off', DATABASE_POOL_MAX: '8' });
  });
  afterAll(async () => {
    await api?.close();
    await upstream.stop();
  });

  /**
   * `count` new users, written in one statement each for users and accounts (as the benchmark seeds
   * them); then each is granted 100 credits through the ledger service (one bulk transaction), and every
   * `callEvery`-th one pays for a gpt-4o call through the gateway (hold, provider call, capture).
   */
  async function activeUsers(count: number, callEvery: number): Promise<string[]> {
    const db = api.app.get(DataSource);
    const personalData = api.app.get(UserPersonalDataCodec);
    const tag = randomUUID().slice(0, 8);
    const ids = Array.from({ length: count }, () => randomUUID());
    const sealed = ids.map((id, i) => personalData.seal(id, { email: `many-${tag}-${i}@example.com`, name: `Many ${i}` }));
    await db.query(
      `INSERT INTO identity_user (id, email_sealed, email_lookup, name_sealed, personal_data_key_id, role, status, created_at)
       SELECT id, email_sealed, email_lookup, name_sealed, $5, 'USER', 'active', now()
         FROM unnest($1::uuid[], $2::bytea[], $3::bytea[], $4::bytea[]) AS v (id, email_sealed, email_lookup, name_sealed)`,
      [ids, sealed.map((s) => s.emailSealed), sealed.map((s) => s.emailLookup), sealed.map((s) => s.nameSealed), personalData.currentKeyId],
    );
    await db.query(`INSERT INTO credit_account (user_id) SELECT unnest($1::uuid[])`, [ids]);
    await api.app.get(LedgerService).postAdjustments(ids.map((userId) => ({ userId, amount: Credits.parse(100), reason: 'cardinality' })));
    const gateway = api.app.get(ChatGateway);
    const callers = ids.filter((_, i) => i % callEvery === 0);
    // Four at a time, each call holding at most two of the pool's eight connections.
    for (let start = 0; start < callers.length; start += 4) {
      await Promise.all(
        callers.slice(start, start + 4).map((userId) =>
          gateway.complete({ userId, role: 'USER', apiKeyId: null, endpoint: 'openai' }, { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], maxTokens: 16 }),
        ),
      );
    }
    return ids;
  }

  it('shows the same series after 1,000 more users as after 5', async () => {
    upstream.reply({ text: 'ok', usage: { input: 5, output: 1 } });
    await activeUsers(5, 1);
    await seriesOf(api); // the first scrape adds /metrics' own HTTP series
    const before = await seriesOf(api);

    const many = await activeUsers(1000, 20);
    // The database figures are read at most every 5 s (scrapes share a fresh read): wait for the new one.
    const adjustments = 'sah_ledger_transactions{type="adjustment",direction="credit"}';
    const after = await eventually(() => seriesOf(api), (series) => series.get(adjustments) === '1005', 15_000);

    const app = (series: Map<string, string>) => [...series.keys()].filter((s) => APP_FAMILY.test(s)).sort();
    expect(app(after)).toEqual(app(before));
    expect(app(before).length).toBeGreaterThan(50);
    // Node's own families may gain a label value (a GC kind, a handle type), never a thousand.
    expect(after.size - before.size).toBeLessThan(20);
    const names = [...after.keys()].join('\n');
    expect(many.filter((id) => names.includes(id))).toEqual([]);
    // The same series carry the thousand users' activity.
    const calls = 'sah_ai_requests_total{endpoint="openai",model="gpt-4o",provider="openai",status="ok"}';
    expect([before.get(calls), after.get(calls)]).toEqual(['5', '55']);
    expect(after.get(adjustments)).toBe('1005');
    expect(after.get('sah_ledger_transactions{type="usage",direction="debit"}')).toBe('55');
  }, 120_000);
});
