import { OverlayContainer } from '@angular/cdk/overlay';
import { provideHttpClient } from '@angular/common/http';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';

import type { Role } from '../../../core/auth/auth.types';
import { AuthStore } from '../../../core/auth/auth.store';
import { aPage } from '../../identity/testing/identity-fixtures';
import { aBalance, aTransaction, USER_ID } from '../testing/billing-fixtures';
import { UserCreditsCardComponent } from './user-credits-card.component';

const USER = { id: USER_ID, email: 'ann@example.com', name: 'Ann User' };

describe('UserCreditsCardComponent', () => {
  let fixture: ComponentFixture<UserCreditsCardComponent>;
  let apollo: ApolloTestingController;

  const el = (id: string) => fixture.nativeElement.querySelector(`[data-testid="${id}"]`) as HTMLElement | null;
  const overlay = () => TestBed.inject(OverlayContainer).getContainerElement();
  const inDialog = <T extends HTMLElement = HTMLElement>(id: string) =>
    overlay().querySelector<T>(`[data-testid="${id}"]`) as T;

  async function settle(assertion: () => void): Promise<void> {
    await vi.waitFor(async () => {
      await fixture.whenStable();
      assertion();
    });
  }

  /** Answers the card's three queries: balance, forecast and the latest transactions. */
  async function answer(balance = aBalance(), transactions = [aTransaction()]): Promise<void> {
    const query = await vi.waitFor(() => apollo.expectOne('CreditBalance'));
    expect(query.operation.variables).toEqual({ userId: USER_ID });
    query.flushData({ creditBalance: balance });
    (await vi.waitFor(() => apollo.expectOne('CreditForecast'))).flushData({
      creditForecast: { __typename: 'CreditForecast', daysUntilEmpty: null, averageDailySpend: 0, windowDays: 30 },
    });
    const list = await vi.waitFor(() => apollo.expectOne('CreditTransactions'));
    expect(list.operation.variables).toEqual({ filter: { userId: USER_ID, page: 1, perPage: 5 } });
    list.flushData({ creditTransactions: { __typename: 'CreditTransactionPage', ...aPage(transactions) } });
    await fixture.whenStable();
  }

  async function open(roles: Role[]): Promise<void> {
    TestBed.inject(AuthStore).signIn({
      accessToken: 'access-1',
      refreshToken: 'refresh-1',
      expiresIn: 900,
      user: { id: 'me', email: 'me@example.com', name: 'Me', roles, emailVerified: true },
    });
    fixture = TestBed.createComponent(UserCreditsCardComponent);
    fixture.componentRef.setInput('user', USER);
    await fixture.whenStable();
  }

  beforeEach(() => {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      imports: [ApolloTestingModule],
      providers: [provideRouter([]), provideHttpClient()],
    });
    apollo = TestBed.inject(ApolloTestingController);
  });

  it('shows balance, reserved, available and the latest transactions', async () => {
    await open(['ADMIN']);
    await answer(aBalance(), [aTransaction(), aTransaction({ id: 'tx-2', type: 'USAGE', amount: -0.125, reason: null })]);

    await settle(() => expect(el('balance-available')?.textContent).toContain('1,230'));
    expect(el('balance-total')?.textContent).toContain('1,234.5');
    expect(el('balance-reserved')?.textContent).toContain('4.5');
    expect(el('balance-forecast')?.textContent).toContain('Nothing spent in the last 30 days');
    const amounts = [...fixture.nativeElement.querySelectorAll('[data-testid="recent-amount"]')].map((cell) =>
      (cell as HTMLElement).textContent?.trim(),
    );
    expect(amounts).toEqual(['+25', '-0.125']);
    expect(el('user-credits-ledger')?.getAttribute('href')).toBe(`/credits?userId=${USER_ID}`);
  });

  it('adjusts this user’s credits and then shows the new balance', async () => {
    await open(['ADMIN']);
    await answer(aBalance({ balance: 10, reserved: 0, available: 10 }), []);
    await settle(() => expect(el('user-credits-empty')).not.toBeNull());

    el('user-credits-adjust')?.click();
    await settle(() => expect(inDialog('adjust-user')?.textContent).toContain('ann@example.com'));
    const amount = inDialog<HTMLInputElement>('adjust-amount');
    amount.value = '25';
    amount.dispatchEvent(new Event('input'));
    const reason = inDialog<HTMLTextAreaElement>('adjust-reason');
    reason.value = 'Conference speaker';
    reason.dispatchEvent(new Event('input'));
    inDialog('adjust-submit').click();

    const adjust = await vi.waitFor(() => apollo.expectOne('AdjustCredits'));
    expect(adjust.operation.variables).toEqual({
      input: { userId: USER_ID, amount: 25, reason: 'Conference speaker', idempotencyKey: expect.any(String) },
    });
    adjust.flushData({ adjustCredits: aTransaction() });

    await answer(aBalance({ balance: 35, reserved: 0, available: 35 }), [aTransaction()]);
    await settle(() => expect(el('balance-available')?.textContent).toContain('35'));
    expect(el('recent-amount')?.textContent).toContain('+25');
  });

  it('offers no adjustment to a role that cannot make one', async () => {
    await open(['USER']);
    await answer();

    await settle(() => expect(el('balance-available')).not.toBeNull());
    expect(el('user-credits-adjust')).toBeNull();
  });
});
