import { Credits } from '@sah/domain';
import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { LedgerService } from '../src/contexts/billing/application/ledger.service';
import { assertBuilt, startProcess } from './support/api-process';
import { fund } from './support/billing-fixtures';
import { createUser } from './support/identity-fixtures';
import { requiredEnv, startTestApp, TestApp } from './support/test-app';

const LEDGER_VERIFY = resolve(__dirname, '../../../dist/apps/api/apps/api/src/ledger-verify.main.js');

/** `npm run ledger:verify` as operators run it: the built entry point against a database. */
describe('billing: ledger:verify', () => {
  let api: TestApp;

  beforeAll(async () => {
    assertBuilt();
    api = await startTestApp();
  });
  afterAll(() => api.close());

  const verify = async () => {
    const run = startProcess([LEDGER_VERIFY], {
      DATABASE_URL: api.config.database.url,
      REDIS_URL: requiredEnv('TEST_REDIS_URL'),
      LOG_LEVEL: 'warn',
    });
    const code = await run.exited;
    return { code, report: JSON.parse(run.output().slice(run.output().indexOf('{'))) as { ok: boolean; problems: string[]; booksTotal: string } };
  };

  it('passes on real activity and fails, naming the account, when a balance is tampered with', async () => {
    const user = await createUser(api);
    await fund(api, user.id, 25);
    const ledger = api.app.get(LedgerService);
    const { hold } = await ledger.hold({ userId: user.id, amount: Credits.whole(5) });
    await ledger.capture(hold.id, Credits.parse('1.5'));
    await ledger.debit({ userId: user.id, type: 'debit', amount: Credits.whole(2) });

    const clean = await verify();
    expect(clean).toMatchObject({ code: 0, report: { ok: true, problems: [], booksTotal: '0' } });

    // Only someone bypassing the application (and its constraints) could do this.
    await api.app.get(DataSource).query(`UPDATE credit_account SET balance = balance + 1 WHERE user_id = $1`, [user.id]);
    const tampered = await verify();
    expect(tampered.code).toBe(1);
    expect(tampered.report.ok).toBe(false);
    expect(tampered.report.problems).toEqual([expect.stringContaining(`account of user ${user.id}: balance 21501 but entries sum to 21500`)]);
  });
});
