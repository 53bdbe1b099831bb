import { TestBed } from '@angular/core/testing';
import { MatTooltip } from '@angular/material/tooltip';
import { By } from '@angular/platform-browser';
import { Router } from '@angular/router';
import type { RouterTestingHarness } from '@angular/router/testing';
import type { ApolloTestingController } from 'apollo-angular/testing';

import { aPage } from '../../identity/testing/identity-fixtures';
import { aPayment, USER_ID } from '../testing/billing-fixtures';
import { listFilter, type ListQueryParams } from '../../../shared/data/list-page';
import { answerQuery, refuseThenRetry, routeListPage } from '../../../shared/testing/routed-list-page';
import { routedPage } from '../../../shared/testing/routed-page';
import { PAYMENTS_LIST } from './payments-filter';
import { PaymentsComponent } from './payments.component';

const TEAM_ID = '7d1f3c2a-5b4e-4f6a-9c8d-0e1f2a3b4c5d';

/** The filter the page sends for a query string. */
const paymentsFilter = (params: ListQueryParams) => listFilter(PAYMENTS_LIST, params);

describe('PAYMENTS_LIST', () => {
  it('keeps known statuses and whole user ids only', () => {
    expect(paymentsFilter({ status: 'paid', userId: USER_ID, flagged: 'true' })).toEqual({
      status: 'PAID',
      userId: USER_ID,
      flagged: true,
      page: 1,
      perPage: 20,
    });
    expect(paymentsFilter({ status: 'lost', userId: 'abc', perPage: '13' })).toEqual({ page: 1, perPage: 20 });
  });
});

describe('PaymentsComponent', () => {
  let harness: RouterTestingHarness;
  let apollo: ApolloTestingController;
  routeListPage('payments', PaymentsComponent, (page) => ({ harness, apollo } = page));
  const { byTestId, rows, settle } = routedPage(() => harness, 'payment-row');

  const answer = (items = [aPayment()]) =>
    answerQuery({ harness, apollo }, 'Payments', { payments: { __typename: 'PaymentPage', ...aPage(items) } });

  it('lists payments with package, credits, price from integer cents, and status', async () => {
    await harness.navigateByUrl('/payments', PaymentsComponent);
    expect(
      await answer([
        aPayment(),
        aPayment({ id: 'pay-2', status: 'FAILED', failureReason: 'Card declined', packageName: 'Starter', amountCents: 1000 }),
        aPayment({ id: 'pay-3', status: 'PARTIALLY_REFUNDED', refundedCents: 2550, flagged: true, refundShortfall: 12.5 }),
      ]),
    ).toEqual({ filter: { page: 1, perPage: 20 } });

    await settle(() => expect(rows().map((row) => row.dataset['status'])).toEqual(['PAID', 'FAILED', 'PARTIALLY_REFUNDED']));
    expect(rows()[0].textContent).toContain('Pro');
    expect(rows()[0].textContent).toContain('1,000');
    expect(rows()[0].querySelector('[data-testid="payment-amount"]')?.textContent).toContain('$80.00');
    expect(rows()[1].querySelector('[data-testid="payment-status"]')?.classList).toContain('status-chip--bad');
    expect(rows()[2].textContent).toContain('$25.50 refunded');
    expect(rows()[2].textContent).toContain('Partly refunded');
    expect(rows().map((row) => row.querySelector('[data-testid="payment-flagged"]')?.textContent?.trim() ?? null)).toEqual([
      null,
      null,
      'Shortfall 12.5',
    ]);
  });

  it('marks a purchase made for a team in words, the team’s id in its tooltip, and the others as the buyer’s own', async () => {
    await harness.navigateByUrl('/payments', PaymentsComponent);
    await answer([aPayment({ id: 'pay-team', teamId: TEAM_ID }), aPayment()]);

    await settle(() => expect(rows()).toHaveLength(2));
    const forCells = rows().map((row) => row.querySelector('[data-testid="payment-for"]')?.textContent?.trim());
    expect(forCells).toEqual(['Team purchase', 'Own balance']);
    expect(rows().map((row) => row.dataset['teamId'] ?? null)).toEqual([TEAM_ID, null]);

    const marker = harness.fixture.debugElement.query(By.css('[data-testid="payment-team"]'));
    expect(marker.nativeElement.getAttribute('tabindex')).toBe('0');
    expect(marker.injector.get(MatTooltip).message).toBe(`Credits for the wallet of team ${TEAM_ID}`);
  });

  it('filters by status through the URL and says when nothing matches', async () => {
    await harness.navigateByUrl('/payments', PaymentsComponent);
    await answer();

    (byTestId('payments-status-filter')?.querySelector('.mat-mdc-select-trigger') as HTMLElement).click();
    await harness.fixture.whenStable();
    const options = [...document.querySelectorAll<HTMLElement>('mat-option')];
    options.find((option) => option.textContent?.trim() === 'Failed')?.click();

    expect(await answer([])).toEqual({ filter: { status: 'FAILED', page: 1, perPage: 20 } });
    expect(TestBed.inject(Router).url).toBe('/payments?status=FAILED');
    await settle(() => expect(byTestId('payments-empty')?.textContent).toContain('No payments match these filters'));

    (byTestId('payments-flagged-filter')?.querySelector('input') as HTMLInputElement).click();
    expect(await answer([])).toEqual({ filter: { status: 'FAILED', flagged: true, page: 1, perPage: 20 } });
    expect(TestBed.inject(Router).url).toBe('/payments?status=FAILED&flagged=true');
  });

  it('shows the server’s error and loads again on retry', async () => {
    await harness.navigateByUrl('/payments', PaymentsComponent);
    await refuseThenRetry({ harness, apollo }, 'Payments', () => answer());
    await settle(() => expect(rows()).toHaveLength(1));
  });
});
