import { provideHttpClient } from '@angular/common/http';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';

import { componentPage } from '../../../shared/testing/component-page';
import { aPlan, aSubscription, FREE_PLAN, myPlan, subscribed } from '../testing/plan-fixtures';
import { ExternalNavigation } from '../ui/external-navigation';
import { PlanCardComponent } from './plan-card.component';
import { allowancePercent, planStanding, requestsPercent } from './plan-standing';

describe('plan standing', () => {
  it('tells Free, active, past due (until the grace period ends) and cancelled apart', () => {
    expect(planStanding(myPlan())).toMatchObject({ label: 'Free', until: null, cancellable: false });
    expect(planStanding(subscribed())).toMatchObject({ label: 'Active', until: '2026-12-31T00:00:00.000Z', cancellable: true });
    expect(
      planStanding(
        subscribed({
          subscription: aSubscription({ status: 'PAST_DUE', pastDueSince: '2026-12-02T00:00:00.000Z' }),
          graceEndsAt: '2026-12-09T00:00:00.000Z',
        }),
      ),
    ).toMatchObject({ label: 'Past due', tone: 'bad', until: '2026-12-09T00:00:00.000Z', cancellable: true });
    expect(planStanding(subscribed({ subscription: aSubscription({ cancelAtPeriodEnd: true }) }))).toMatchObject({
      label: 'Cancelled',
      until: '2026-12-31T00:00:00.000Z',
      cancellable: false,
    });
  });

  it('gives the share of the allowance spent, none without an allowance', () => {
    expect(allowancePercent(subscribed())).toBe(40);
    expect(allowancePercent(myPlan())).toBeNull();
  });

  it("gives the share of the plan's request cap used, none without a cap", () => {
    expect(requestsPercent(myPlan({ requestsUsed: 250 }))).toBe(25);
    expect(requestsPercent(myPlan({ requestsUsed: 1200 }))).toBe(100);
    expect(requestsPercent(myPlan({ plan: aPlan({ requestsPerMonth: null }) }))).toBeNull();
  });
});

describe('PlanCardComponent', () => {
  let apollo: ApolloTestingController;
  let fixture: ComponentFixture<PlanCardComponent>;
  const navigation = { go: vi.fn(), consoleUrl: (path: string) => `https://hub.test/admin/${path}` };
  const { el, overlay, settle } = componentPage(() => fixture);

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

  async function show(mine: ReturnType<typeof myPlan>, plans = [FREE_PLAN, aPlan(), aPlan({ id: 'plan-pro', code: 'pro', name: 'Pro', priceCents: 4900, monthlyCredits: 750 })]) {
    fixture = TestBed.createComponent(PlanCardComponent);
    await fixture.whenStable();
    (await vi.waitFor(() => apollo.expectOne('MyPlan'))).flushData({ myPlan: mine });
    const catalogue = await vi.waitFor(() => apollo.expectOne('Plans'));
    expect(catalogue.operation.variables).toEqual({ includeArchived: false });
    catalogue.flushData({ plans });
    await fixture.whenStable();
  }

  it('shows an active plan, its allowance spent as a labelled bar and in words, and its renewal', async () => {
    await show(subscribed());
    await settle(() => expect(el('plan-card-name')?.textContent).toContain('Starter'));
    expect(el('plan-card-status')?.textContent).toContain('Active');
    expect(el('plan-card-terms')?.textContent).toContain('$19.00 a month');
    expect(el('plan-card-terms')?.textContent).toContain('up to 10,000 requests a month');
    expect(el('plan-card-usage-text')?.textContent).toContain('100 of 250 credits used this month (40 %), 150 left');
    const bar = el('plan-card-bar');
    expect(bar?.getAttribute('aria-label')).toBe("Credits of this month's plan allowance used");
    expect(bar?.getAttribute('aria-valuenow')).toBe('40');
    expect(el('plan-card-until')?.textContent).toContain('Renews');
    expect(el('plan-change-hint')?.textContent).toContain('Stripe prorates the difference on your next invoice');
  });

  it("shows the requests used of the plan's cap as a labelled bar, and none without a cap", async () => {
    await show(myPlan({ requestsUsed: 250 }));
    await settle(() => expect(el('plan-card-requests-text')?.textContent).toContain('250 of 1,000 AI requests used (25 %)'));
    expect(el('plan-card-requests-text')?.textContent).toContain('counting again on');
    const bar = el('plan-card-requests-bar');
    expect(bar?.getAttribute('aria-label')).toBe("AI requests of this period's cap used");
    expect(bar?.getAttribute('aria-valuenow')).toBe('25');

    await show(myPlan({ plan: aPlan({ id: 'plan-free', code: 'free', name: 'Free', priceCents: 0, requestsPerMonth: null }) }));
    await settle(() => expect(el('plan-card-terms')?.textContent).toContain('no request cap'));
    expect(el('plan-card-requests')).toBeNull();
  });

  it('changes a running subscription in place after saying what Stripe does, then shows the new plan once Stripe confirms', async () => {
    await show(subscribed());
    await settle(() => expect(el('plan-change')).not.toBeNull());
    el('plan-choice')?.click();
    // Not the current plan nor Free.
    await settle(() => expect(overlay().querySelectorAll('mat-option')).toHaveLength(1));
    (overlay().querySelector('mat-option[data-code="pro"]') as HTMLElement).click();
    await fixture.whenStable();
    el('plan-change')?.click();
    await settle(() => expect(overlay().textContent).toContain('Change to Pro?'));
    expect(overlay().textContent).toContain('Stripe prorates the difference on your next invoice');
    (overlay().querySelector('[data-testid="confirm-ok"]') as HTMLElement).click();

    const change = await vi.waitFor(() => apollo.expectOne('ChangePlan'));
    expect(change.operation.variables).toEqual({ input: { plan: 'pro' } });
    const pro = aPlan({ id: 'plan-pro', code: 'pro', name: 'Pro', priceCents: 4900, monthlyCredits: 750 });
    change.flushData({
      changePlan: { __typename: 'PlanChange', plan: pro, subscription: { __typename: 'PlanSubscription', id: 'sub-1', status: 'ACTIVE', planId: 'plan-starter' } },
    });
    // No Checkout: the card reads the plan again until Stripe's event has moved it.
    (await vi.waitFor(() => apollo.expectOne('MyPlan'))).flushData({ myPlan: subscribed() });
    await settle(() => expect(el('plan-changed')?.textContent).toContain('Changing to Pro: Stripe prorates the difference'));
    expect(el('plan-card-name')?.textContent).toContain('Starter');
    (await vi.waitFor(() => apollo.expectOne('MyPlan'), { timeout: 5_000 })).flushData({ myPlan: subscribed({ plan: pro }) });
    await settle(() => expect(el('plan-card-name')?.textContent).toContain('Pro'));
    expect(el('plan-changed')?.textContent).toContain('You are on Pro now');
    expect(navigation.go).not.toHaveBeenCalled();
    apollo.verify();
  });

  it('shows why Stripe refused a change, and keeps the card as it was', async () => {
    await show(subscribed());
    await settle(() => expect(el('plan-change')).not.toBeNull());
    el('plan-choice')?.click();
    await settle(() => expect(overlay().querySelector('mat-option[data-code="pro"]')).not.toBeNull());
    (overlay().querySelector('mat-option[data-code="pro"]') as HTMLElement).click();
    await fixture.whenStable();
    el('plan-change')?.click();
    await settle(() => expect(overlay().querySelector('[data-testid="confirm-ok"]')).not.toBeNull());
    (overlay().querySelector('[data-testid="confirm-ok"]') as HTMLElement).click();
    (await vi.waitFor(() => apollo.expectOne('ChangePlan'))).graphqlErrors([
      { message: "Stripe could not change the subscription's plan: try again later", extensions: { code: 'SERVICE_UNAVAILABLE' } },
    ]);
    await settle(() => expect(el('plan-card-error')?.textContent).toContain('Stripe could not change'));
    expect(el('plan-changed')).toBeNull();
    expect(el('plan-card-name')?.textContent).toContain('Starter');
    apollo.verify();
  });

  it('says until when a past-due plan lasts', async () => {
    await show(
      subscribed({
        subscription: aSubscription({ status: 'PAST_DUE', pastDueSince: '2026-12-02T00:00:00.000Z' }),
        graceEndsAt: '2026-12-09T12:00:00.000Z',
      }),
    );
    await settle(() => expect(el('plan-card-status')?.textContent).toContain('Past due'));
    expect(el('plan-card-until')?.textContent).toContain('the plan ends (back to Free) on Dec 9, 2026');
  });

  it('on Free: no bar, and a change goes to the Checkout page the API opened for the chosen plan', async () => {
    await show(myPlan());
    await settle(() => expect(el('plan-card-name')?.textContent).toContain('Free'));
    expect(el('plan-card-bar')).toBeNull();
    expect(el('plan-card-no-allowance')).not.toBeNull();
    expect(el('plan-cancel')).toBeNull();

    el('plan-choice')?.click();
    await settle(() => expect(overlay().querySelectorAll('mat-option')).toHaveLength(2));
    (overlay().querySelector('mat-option[data-code="pro"]') as HTMLElement).click();
    await fixture.whenStable();
    el('plan-change')?.click();

    const subscribe = await vi.waitFor(() => apollo.expectOne('SubscribeToPlan'));
    expect(subscribe.operation.variables).toEqual({
      input: {
        plan: 'pro',
        successUrl: 'https://hub.test/admin/account?subscription=success',
        cancelUrl: 'https://hub.test/admin/account?subscription=cancelled',
      },
    });
    subscribe.flushData({ subscribeToPlan: { __typename: 'PlanCheckout', subscriptionId: 'sub-2', sessionId: 'cs_1', url: 'https://checkout.stripe.com/c/pay/cs_1' } });
    await vi.waitFor(() => expect(navigation.go).toHaveBeenCalledWith('https://checkout.stripe.com/c/pay/cs_1'));
  });

  it('cancels only after confirmation, then shows the plan as cancelled', async () => {
    await show(subscribed());
    await settle(() => expect(el('plan-cancel')).not.toBeNull());
    el('plan-cancel')?.click();
    await settle(() => expect(overlay().textContent).toContain('Cancel Starter?'));
    (overlay().querySelector('[data-testid="confirm-ok"]') as HTMLElement).click();

    const cancel = await vi.waitFor(() => apollo.expectOne('CancelPlanSubscription'));
    expect(cancel.operation.variables).toEqual({ id: 'sub-1' });
    cancel.flushData({
      cancelPlanSubscription: { __typename: 'PlanSubscription', id: 'sub-1', status: 'ACTIVE', cancelAtPeriodEnd: true, currentPeriodEnd: '2026-12-31T00:00:00.000Z' },
    });
    (await vi.waitFor(() => apollo.expectOne('MyPlan'))).flushData({
      myPlan: subscribed({ subscription: aSubscription({ cancelAtPeriodEnd: true }) }),
    });
    await settle(() => expect(el('plan-card-status')?.textContent).toContain('Cancelled'));
    expect(el('plan-cancel')).toBeNull();
  });
});
