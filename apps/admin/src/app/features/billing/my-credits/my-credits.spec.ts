import { provideHttpClient } from '@angular/common/http';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';

import { aPage } from '../../identity/testing/identity-fixtures';
import { aBalance, aPackage, aTransaction } from '../testing/billing-fixtures';
import { ExternalNavigation } from '../ui/external-navigation';
import { BuyCreditsCardComponent } from './buy-credits-card.component';
import { MyCreditsCardComponent } from './my-credits-card.component';
import { RedeemCodeCardComponent } from './redeem-code-card.component';

async function settle(fixture: ComponentFixture<unknown>, assertion: () => void): Promise<void> {
  await vi.waitFor(async () => {
    await fixture.whenStable();
    assertion();
  });
}

const byTestId = (fixture: ComponentFixture<unknown>, id: string) =>
  (fixture.nativeElement as HTMLElement).querySelector<HTMLElement>(`[data-testid="${id}"]`);

function type(input: HTMLInputElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('input'));
}

describe('My account: credits', () => {
  let apollo: ApolloTestingController;
  const navigation = { go: vi.fn(), consoleUrl: (path: string) => `https://hub.test/admin/${path}` };

  beforeEach(() => {
    navigation.go.mockReset();
    TestBed.configureTestingModule({
      imports: [ApolloTestingModule],
      providers: [
        provideRouter([{ path: 'account', children: [] }]),
        provideHttpClient(),
        { provide: ExternalNavigation, useValue: navigation },
      ],
    });
    apollo = TestBed.inject(ApolloTestingController);
  });

  describe('MyCreditsCardComponent', () => {
    async function answerHistory(items = [aTransaction()], total = items.length): Promise<unknown> {
      const query = await vi.waitFor(() => apollo.expectOne('CreditTransactions'));
      query.flushData({
        creditTransactions: { __typename: 'CreditTransactionPage', ...aPage(items, { perPage: 10, total }) },
      });
      return query.operation.variables;
    }

    it('shows the own balance and history, and follows live balance changes', async () => {
      const fixture = TestBed.createComponent(MyCreditsCardComponent);
      await fixture.whenStable();

      const balance = await vi.waitFor(() => apollo.expectOne('CreditBalance'));
      expect(balance.operation.variables).toEqual({});
      balance.flushData({ creditBalance: aBalance({ balance: 10, reserved: 0, available: 10 }) });
      expect(await answerHistory([aTransaction({ type: 'WELCOME', amount: 10, reason: null })])).toEqual({
        filter: { page: 1, perPage: 10 },
      });
      await settle(fixture, () => expect(byTestId(fixture, 'balance-available')?.textContent).toContain('10'));
      expect(byTestId(fixture, 'my-credits-history')?.textContent).toContain('Welcome');

      // A change pushed by the server: new figures, and the history shows the new transaction.
      (await vi.waitFor(() => apollo.expectOne('CreditBalanceChanged'))).flushData({
        creditBalanceChanged: aBalance({ balance: 35, reserved: 0, available: 35 }),
      });
      await answerHistory([aTransaction(), aTransaction({ id: 'tx-0', type: 'WELCOME', amount: 10 })]);
      await settle(fixture, () => {
        expect(byTestId(fixture, 'balance-available')?.textContent).toContain('35');
        expect(fixture.nativeElement.querySelectorAll('[data-testid="recent-transaction"]')).toHaveLength(2);
      });
    });

    it('says when nothing has moved yet, and keeps the balance when live updates are refused', async () => {
      const fixture = TestBed.createComponent(MyCreditsCardComponent);
      await fixture.whenStable();
      (await vi.waitFor(() => apollo.expectOne('CreditBalance'))).flushData({ creditBalance: aBalance() });
      await answerHistory([]);
      (await vi.waitFor(() => apollo.expectOne('CreditBalanceChanged'))).graphqlErrors([
        { message: 'Subscriptions are not allowed', extensions: { code: 'FORBIDDEN' } },
      ]);

      await settle(fixture, () => {
        expect(byTestId(fixture, 'my-credits-empty')).not.toBeNull();
        expect(byTestId(fixture, 'balance-available')?.textContent).toContain('1,230');
        expect(byTestId(fixture, 'my-credits-live-error')?.textContent).toContain('Subscriptions are not allowed');
      });
    });
  });

  describe('BuyCreditsCardComponent', () => {
    it('lists packages on sale with their price and goes to Stripe Checkout', async () => {
      const fixture = TestBed.createComponent(BuyCreditsCardComponent);
      await fixture.whenStable();
      (await vi.waitFor(() => apollo.expectOne('CreditPackages'))).flushData({
        creditPackages: [
          aPackage(),
          aPackage({ id: 'pkg-2', code: 'pro', name: 'Pro', credits: 1000, priceCents: 8000 }),
          aPackage({ id: 'pkg-9', code: 'old', name: 'Old', active: false }),
        ],
      });
      await settle(fixture, () =>
        expect(
          [...fixture.nativeElement.querySelectorAll('[data-testid="package"]')].map(
            (item) => (item as HTMLElement).dataset['code'],
          ),
        ).toEqual(['starter', 'pro']),
      );
      const prices = [...fixture.nativeElement.querySelectorAll('[data-testid="package-price"]')].map((price) =>
        (price as HTMLElement).textContent?.trim(),
      );
      expect(prices).toEqual(['$10.00', '$80.00']);

      (fixture.nativeElement.querySelectorAll('[data-testid="package-buy"]')[1] as HTMLElement).click();
      const checkout = await vi.waitFor(() => apollo.expectOne('CreateCheckoutSession'));
      expect(checkout.operation.variables).toEqual({
        input: {
          package: 'pro',
          successUrl: 'https://hub.test/admin/account?checkout=success',
          cancelUrl: 'https://hub.test/admin/account?checkout=cancelled',
        },
      });
      checkout.flushData({
        createCheckoutSession: { __typename: 'CheckoutSession', sessionId: 'cs_1', url: 'https://checkout.stripe.test/cs_1' },
      });
      await vi.waitFor(() => expect(navigation.go).toHaveBeenCalledWith('https://checkout.stripe.test/cs_1'));
    });

    it('thanks the buyer on the way back from Stripe', async () => {
      await TestBed.inject(Router).navigateByUrl('/account?checkout=success');
      const fixture = TestBed.createComponent(BuyCreditsCardComponent);
      await fixture.whenStable();

      expect(byTestId(fixture, 'checkout-success')?.textContent).toContain('Your credits are added');
    });
  });

  describe('RedeemCodeCardComponent', () => {
    it('redeems a code, says what it gave, and tells the page', async () => {
      const fixture = TestBed.createComponent(RedeemCodeCardComponent);
      const redeemed = vi.fn();
      fixture.componentInstance.redeemed.subscribe(redeemed);
      await fixture.whenStable();

      type(byTestId(fixture, 'redeem-code') as HTMLInputElement, ' spring25 ');
      byTestId(fixture, 'redeem-submit')?.click();
      const redeem = await vi.waitFor(() => apollo.expectOne('RedeemPromoCode'));
      expect(redeem.operation.variables).toEqual({ code: 'spring25' });
      redeem.flushData({
        redeemPromoCode: {
          __typename: 'PromoRedemption',
          code: 'SPRING25',
          credits: 25,
          transaction: aTransaction({ type: 'PROMO' }),
          balance: aBalance({ balance: 35, reserved: 0, available: 35 }),
        },
      });

      await settle(fixture, () =>
        expect(byTestId(fixture, 'redeem-success')?.textContent).toContain('SPRING25: 25 credits added'),
      );
      expect(redeemed).toHaveBeenCalledTimes(1);
      expect((byTestId(fixture, 'redeem-code') as HTMLInputElement).value).toBe('');
    });

    it('shows why a code was refused', async () => {
      const fixture = TestBed.createComponent(RedeemCodeCardComponent);
      await fixture.whenStable();

      type(byTestId(fixture, 'redeem-code') as HTMLInputElement, 'SPRING25');
      byTestId(fixture, 'redeem-submit')?.click();
      (await vi.waitFor(() => apollo.expectOne('RedeemPromoCode'))).graphqlErrors([
        { message: 'You have already redeemed this code', extensions: { code: 'CONFLICT' } },
      ]);

      await settle(fixture, () =>
        expect(byTestId(fixture, 'redeem-error')?.textContent).toContain('You have already redeemed this code'),
      );
    });
  });
});
