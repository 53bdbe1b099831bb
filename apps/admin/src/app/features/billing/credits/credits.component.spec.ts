import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';

import type { Role } from '../../../core/auth/auth.types';
import { AuthStore } from '../../../core/auth/auth.store';
import { RuntimeConfigStore } from '../../../core/config/runtime-config';
import { aPage, aUser } from '../../identity/testing/identity-fixtures';
import { aBalance, aTransaction, USER_ID } from '../testing/billing-fixtures';
import { listFilter, type ListQueryParams } from '../../../shared/data/list-page';
import { refuseThenRetry } from '../../../shared/testing/routed-list-page';
import { routedPage, typeInto } from '../../../shared/testing/routed-page';
import { LEDGER_LIST, parseTypes } from './credits-filter';
import { CreditsComponent } from './credits.component';
import { statementMonths } from './statement-months';

/** The filter the page sends for a query string. */
const ledgerFilter = (params: ListQueryParams) => listFilter(LEDGER_LIST, params);

describe('LEDGER_LIST', () => {
  it('asks for every visible account unless one user is chosen', () => {
    expect(ledgerFilter({})).toEqual({ allUsers: true, page: 1, perPage: 50 });
    expect(ledgerFilter({ userId: USER_ID, page: '3', perPage: '200' })).toEqual({
      userId: USER_ID,
      page: 3,
      perPage: 200,
    });
  });

  it('covers whole local days, the end being the next midnight (the API excludes it)', () => {
    const filter = ledgerFilter({ from: '2026-03-01', to: '2026-03-31' });

    expect(filter.from).toBe(new Date(2026, 2, 1).toISOString());
    expect(filter.to).toBe(new Date(2026, 3, 1).toISOString());
  });

  it('drops what the API would refuse: partial ids, unknown types, impossible days', () => {
    expect(ledgerFilter({ userId: '6f1c2d3e', types: 'bogus', from: '2026-02-30', perPage: '7' })).toEqual({
      allUsers: true,
      page: 1,
      perPage: 50,
    });
    expect(parseTypes('usage, DEBIT,usage,nope')).toEqual(['DEBIT', 'USAGE']);
  });
});

describe('statementMonths', () => {
  it('counts back whole UTC months from the current one, across the year', () => {
    expect(statementMonths(new Date('2026-02-28T23:30:00Z'), 3)).toEqual([
      { value: '2026-02', label: 'February 2026' },
      { value: '2026-01', label: 'January 2026' },
      { value: '2025-12', label: 'December 2025' },
    ]);
  });
});

describe('CreditsComponent', () => {
  let harness: RouterTestingHarness;
  let apollo: ApolloTestingController;

  const { byTestId, rows, settle, inDialog, overlay } = routedPage(() => harness, 'ledger-row');

  async function answer(items = [aTransaction()], pageInfo = {}): Promise<unknown> {
    const operation = await vi.waitFor(() => apollo.expectOne('CreditTransactions'));
    operation.flushData({
      creditTransactions: { __typename: 'CreditTransactionPage', ...aPage(items, { perPage: 50, ...pageInfo }) },
    });
    await harness.fixture.whenStable();
    return operation.operation.variables;
  }

  async function open(url: string, roles: Role[] = ['ADMIN']): Promise<void> {
    TestBed.inject(AuthStore).signIn({
      accessToken: 'access-1',
      refreshToken: 'refresh-1',
      expiresIn: 900,
      user: { id: 'me', email: 'me@example.com', name: 'Me', roles, emailVerified: true },
    });
    await harness.navigateByUrl(url, CreditsComponent);
  }

  beforeEach(async () => {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      imports: [ApolloTestingModule],
      providers: [
        provideRouter([{ path: 'credits', component: CreditsComponent }], withComponentInputBinding()),
        provideHttpClient(),
        provideHttpClientTesting(),
        {
          provide: RuntimeConfigStore,
          useValue: { config: { graphqlUrl: 'http://api.test/graphql', graphqlWsUrl: 'ws://api.test/graphql' } },
        },
      ],
    });
    apollo = TestBed.inject(ApolloTestingController);
    harness = await RouterTestingHarness.create();
  });

  it('lists every visible account’s transactions with signed, coloured amounts; refunds only debits', async () => {
    await open('/credits');
    expect(
      await answer([
        aTransaction({ id: 'tx-2', type: 'USAGE', amount: -3.5, balanceAfter: 1231.5, reason: 'gpt-4o', actorId: null }),
        aTransaction({ amount: 1234.125, balanceAfter: 1235 }),
      ]),
    ).toEqual({ filter: { allUsers: true, page: 1, perPage: 50 } });

    await settle(() => expect(rows().map((row) => row.dataset['type'])).toEqual(['USAGE', 'ADJUSTMENT']));
    const amounts = rows().map((row) => row.querySelector('[data-testid="ledger-amount"]') as HTMLElement);
    expect(amounts.map((cell) => cell.textContent?.trim())).toEqual(['-3.5', '+1,234.125']);
    expect(amounts[0].classList).toContain('ledger__amount--debit');
    expect(amounts[1].classList).toContain('ledger__amount--credit');
    expect(rows()[0].textContent).toContain('Usage');
    expect(rows()[0].textContent).toContain('system');
    expect(rows().map((row) => row.querySelector('[data-testid="ledger-refund"]') !== null)).toEqual([true, false]);
  });

  it('filters by type and by a pasted user id, and then shows that account’s balance', async () => {
    await open('/credits');
    await answer();

    (byTestId('ledger-type-filter')?.querySelector('.mat-mdc-select-trigger') as HTMLElement).click();
    await harness.fixture.whenStable();
    const options = [...overlay().querySelectorAll<HTMLElement>('mat-option')];
    options.find((option) => option.textContent?.includes('Usage'))?.click();
    options.find((option) => option.textContent?.includes('Debit'))?.click();
    await harness.fixture.whenStable();
    await answer();
    expect(TestBed.inject(Router).url).toBe('/credits?types=DEBIT,USAGE');

    typeInto(byTestId('ledger-user-filter') as HTMLInputElement, USER_ID);
    expect(await answer()).toEqual({ filter: { userId: USER_ID, types: ['DEBIT', 'USAGE'], page: 1, perPage: 50 } });
    (await vi.waitFor(() => apollo.expectOne('User'))).flushData({ user: aUser({ id: USER_ID }) });
    const balance = await vi.waitFor(() => apollo.expectOne('CreditBalance'));
    expect(balance.operation.variables).toEqual({ userId: USER_ID });
    balance.flushData({ creditBalance: aBalance() });
    (await vi.waitFor(() => apollo.expectOne('CreditForecast'))).flushData({
      creditForecast: { __typename: 'CreditForecast', daysUntilEmpty: 41.6, averageDailySpend: 29.5, windowDays: 30 },
    });

    await settle(() => expect(byTestId('balance-available')?.textContent).toContain('1,230'));
    expect(byTestId('ledger-account')?.textContent).toContain('ann@example.com');
    expect(byTestId('balance-forecast')?.textContent).toContain('About 42 days left');
  });

  it('refunds a usage transaction with a reason, all of it when no amount is given', async () => {
    await open('/credits');
    await answer([aTransaction({ id: 'tx-9', type: 'USAGE', amount: -3.5 })]);
    await settle(() => expect(rows()).toHaveLength(1));

    (rows()[0].querySelector('[data-testid="ledger-refund"]') as HTMLElement).click();
    await settle(() => expect(inDialog('refund-form')).not.toBeNull());
    expect(inDialog('refund-transaction').textContent).toContain('-3.5');
    inDialog('refund-submit').click();
    await harness.fixture.whenStable();
    apollo.expectNone('RefundTransaction');

    typeInto(inDialog<HTMLTextAreaElement>('refund-reason'), '  Model outage  ');
    inDialog('refund-submit').click();
    const refund = await vi.waitFor(() => apollo.expectOne('RefundTransaction'));
    expect(refund.operation.variables).toEqual({
      input: { transactionId: 'tx-9', reason: 'Model outage', idempotencyKey: expect.any(String) },
    });
    refund.flushData({ refundTransaction: aTransaction({ id: 'tx-10', type: 'REFUND', amount: 3.5, reversesId: 'tx-9' }) });

    await answer([aTransaction({ id: 'tx-10', type: 'REFUND', amount: 3.5 }), aTransaction({ id: 'tx-9', type: 'USAGE' })]);
    await settle(() => expect(rows()).toHaveLength(2));
    expect(overlay().textContent).toContain('Refund recorded.');
  });

  it('adjusts a picked account; a retry after an error sends the same idempotency key', async () => {
    await open('/credits');
    await answer();

    byTestId('ledger-adjust')?.click();
    await settle(() => expect(inDialog('adjust-form')).not.toBeNull());
    typeInto(inDialog<HTMLInputElement>('adjust-user-picker'), USER_ID);
    typeInto(inDialog<HTMLInputElement>('adjust-amount'), '-10.5');
    typeInto(inDialog<HTMLTextAreaElement>('adjust-reason'), 'Duplicate grant');
    await new Promise((resolve) => setTimeout(resolve, 350));
    inDialog('adjust-submit').click();

    const first = await vi.waitFor(() => apollo.expectOne('AdjustCredits'));
    expect(first.operation.variables).toEqual({
      input: { userId: USER_ID, amount: -10.5, reason: 'Duplicate grant', idempotencyKey: expect.any(String) },
    });
    first.graphqlErrors([
      { message: 'Not enough credits: the balance is 3', extensions: { code: 'INSUFFICIENT_CREDITS' } },
    ]);
    await settle(() => expect(inDialog('adjust-error')?.textContent).toContain('Not enough credits: the balance is 3'));

    inDialog('adjust-submit').click();
    const second = await vi.waitFor(() => apollo.expectOne('AdjustCredits'));
    expect(second.operation.variables['input'].idempotencyKey).toBe(first.operation.variables['input'].idempotencyKey);
    second.flushData({ adjustCredits: aTransaction({ amount: -10.5 }) });

    await answer();
    await settle(() => expect(inDialog('adjust-form')).toBeNull());
    expect(overlay().textContent).toContain('Credits adjusted.');
  });

  it('refuses an amount with more than 3 decimals before asking the server', async () => {
    await open(`/credits?userId=${USER_ID}`);
    await answer();
    byTestId('ledger-adjust')?.click();
    await settle(() => expect(inDialog('adjust-form')).not.toBeNull());

    typeInto(inDialog<HTMLInputElement>('adjust-amount'), '1.0005');
    typeInto(inDialog<HTMLTextAreaElement>('adjust-reason'), 'Too precise');
    inDialog('adjust-submit').click();
    await harness.fixture.whenStable();

    apollo.expectNone('AdjustCredits');
    expect(overlay().textContent).toContain('at most 3 decimals');
  });

  it('shows a manager no refunds and no bulk adjustments they cannot make', async () => {
    await open('/credits', ['MANAGER']);
    await answer([aTransaction({ type: 'USAGE', amount: -1 })]);

    await settle(() => expect(rows()).toHaveLength(1));
    expect(byTestId('ledger-refund')).toBeNull();
    expect(byTestId('ledger-adjust')).not.toBeNull();
  });

  it('exports the filtered ledger as CSV with the bearer token, and saves it as a file', async () => {
    // jsdom has no object URLs and cannot download: both are stood in for.
    Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:ledger'), revokeObjectURL: vi.fn() });
    const downloads: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      downloads.push(`${this.href} ${this.download}`);
    });
    try {
      await open(`/credits?types=USAGE&from=2026-03-01&to=2026-03-31&page=2`);
      await answer();

      byTestId('ledger-export')?.click();
      const request = TestBed.inject(HttpTestingController).expectOne(
        (req) => req.url === 'http://api.test/api/v1/credits/transactions.csv',
      );
      expect(request.request.headers.get('Authorization')).toBe('Bearer access-1');
      const params = request.request.params;
      expect(params.keys()).toEqual(['type', 'from', 'to']);
      expect([params.get('type'), params.get('from'), params.get('to')]).toEqual([
        'usage',
        new Date(2026, 2, 1).toISOString(),
        new Date(2026, 3, 1).toISOString(),
      ]);
      request.flush(new Blob(['created_at,id\n'], { type: 'text/csv' }), {
        headers: { 'Content-Disposition': 'attachment; filename="credit-transactions-20260301T120000Z.csv"' },
      });

      await vi.waitFor(() => expect(downloads).toEqual(['blob:ledger credit-transactions-20260301T120000Z.csv']));
    } finally {
      click.mockRestore();
      delete (URL as { createObjectURL?: unknown }).createObjectURL;
      delete (URL as { revokeObjectURL?: unknown }).revokeObjectURL;
    }
  });

  it('downloads the chosen account’s monthly statement', async () => {
    Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:statement'), revokeObjectURL: vi.fn() });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    try {
      await open(`/credits?userId=${USER_ID}`);
      await answer();
      await settle(() => expect(byTestId('ledger-statement')).not.toBeNull());

      byTestId('ledger-statement')?.click();
      const month = statementMonths(new Date(), 1)[0].value;
      const request = TestBed.inject(HttpTestingController).expectOne(
        (req) => req.url === `http://api.test/api/v1/credits/statements/${month}.csv`,
      );
      expect(request.request.params.get('userId')).toBe(USER_ID);
      expect(request.request.headers.get('Authorization')).toBe('Bearer access-1');
      request.flush(new Blob(['statement,2026-03\n'], { type: 'text/csv' }));
      await vi.waitFor(() => expect(click).toHaveBeenCalled());
    } finally {
      click.mockRestore();
      delete (URL as { createObjectURL?: unknown }).createObjectURL;
      delete (URL as { revokeObjectURL?: unknown }).revokeObjectURL;
    }
  });

  it('shows the server’s error and loads again on retry', async () => {
    await open('/credits');
    await refuseThenRetry({ harness, apollo }, 'CreditTransactions', () => answer([]));
    await settle(() => expect(byTestId('ledger-empty')?.textContent).toContain('No credits have moved yet'));
  });
});
