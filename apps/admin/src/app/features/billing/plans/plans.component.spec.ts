import type { RouterTestingHarness } from '@angular/router/testing';
import type { ApolloTestingController } from 'apollo-angular/testing';

import { answerQuery, routeListPage } from '../../../shared/testing/routed-list-page';
import { routedPage, typeInto } from '../../../shared/testing/routed-page';
import { aPlan, FREE_PLAN } from '../testing/plan-fixtures';
import { centsToText, textToCents, toCreatePlanInput, toPlanForm, toUpdatePlanInput } from './plan-form';
import { PlansComponent } from './plans.component';

describe('plan form helpers', () => {
  it('turns typed prices into whole cents and back, by the digits', () => {
    expect(textToCents('19')).toBe(1900);
    expect(textToCents('19.5')).toBe(1950);
    expect(textToCents('0.29')).toBe(29);
    expect(textToCents(' 4.10 ')).toBe(410);
    expect(centsToText(1950)).toBe('19.50');
    expect(centsToText(5)).toBe('0.05');
  });

  it('creates with an empty cap as none and leaves an empty Stripe price out', () => {
    expect(
      toCreatePlanInput({
        code: ' gold ',
        name: 'Gold ',
        price: '29.90',
        monthlyCredits: '400.5',
        requestsPerMonth: '',
        seats: '3',
        stripePriceId: '',
      }),
    ).toEqual({ code: 'gold', name: 'Gold', priceCents: 2990, monthlyCredits: 400.5, requestsPerMonth: null, seats: 3 });
  });

  it('updates only what changed, so an untouched Stripe price is not sent back with a new amount', () => {
    const plan = aPlan({ stripePriceId: 'price_abc' });
    expect(toUpdatePlanInput(plan, toPlanForm(plan))).toEqual({ id: plan.id });
    expect(toUpdatePlanInput(plan, { ...toPlanForm(plan), price: '24', requestsPerMonth: '' })).toEqual({
      id: plan.id,
      priceCents: 2400,
      requestsPerMonth: null,
    });
    expect(toUpdatePlanInput(plan, { ...toPlanForm(plan), stripePriceId: '' })).toEqual({ id: plan.id, stripePriceId: null });
  });
});

describe('PlansComponent', () => {
  let harness: RouterTestingHarness;
  let apollo: ApolloTestingController;
  routeListPage('plans', PlansComponent, (page) => ({ harness, apollo } = page));
  const { byTestId, rows, settle, inDialog, overlay } = routedPage(() => harness, 'plan-row');

  const answer = (plans = [FREE_PLAN, aPlan()]) => answerQuery({ harness, apollo }, 'Plans', { plans });

  it('lists every plan, deactivated ones too, with price, allowance, cap, seats and status', async () => {
    await harness.navigateByUrl('/plans', PlansComponent);
    expect(
      await answer([FREE_PLAN, aPlan(), aPlan({ id: 'p-old', code: 'old', name: 'Old', requestsPerMonth: null, archivedAt: '2026-11-01T00:00:00.000Z' })]),
    ).toEqual({ includeArchived: true });

    await settle(() => expect(rows().map((row) => row.dataset['code'])).toEqual(['free', 'starter', 'old']));
    const starter = rows()[1];
    expect(starter?.querySelector('[data-testid="plan-price"]')?.textContent?.trim()).toBe('$19.00');
    expect(starter?.querySelector('[data-testid="plan-allowance"]')?.textContent?.trim()).toBe('250');
    expect(starter?.querySelector('[data-testid="plan-requests"]')?.textContent?.trim()).toBe('10,000');
    expect(rows()[2]?.querySelector('[data-testid="plan-requests"]')?.textContent?.trim()).toBe('No cap');
    expect(rows()[2]?.querySelector('[data-testid="plan-status"]')?.textContent).toContain('Deactivated');
    // Free cannot be deactivated (everyone falls back to it), nor can a plan twice.
    expect(rows().map((row) => row.querySelector('[data-testid="plan-deactivate"]') !== null)).toEqual([false, true, false]);
  });

  it('creates a plan from the dialog, checking the form first', async () => {
    await harness.navigateByUrl('/plans', PlansComponent);
    await answer();

    byTestId('plan-new')?.click();
    await settle(() => expect(inDialog('plan-form')).not.toBeNull());
    typeInto(inDialog<HTMLInputElement>('plan-code'), 'Gold Plan');
    typeInto(inDialog<HTMLInputElement>('plan-name'), 'Gold');
    typeInto(inDialog<HTMLInputElement>('plan-price'), '29.999');
    typeInto(inDialog<HTMLInputElement>('plan-credits'), '400');
    inDialog('plan-submit').click();
    await harness.fixture.whenStable();
    apollo.expectNone('CreatePlan');
    expect(overlay().textContent).toContain('lower-case letters');
    expect(overlay().textContent).toContain('at most 2 decimals');

    typeInto(inDialog<HTMLInputElement>('plan-code'), 'gold');
    typeInto(inDialog<HTMLInputElement>('plan-price'), '29.90');
    typeInto(inDialog<HTMLInputElement>('plan-requests'), '20000');
    inDialog('plan-submit').click();
    const create = await vi.waitFor(() => apollo.expectOne('CreatePlan'));
    expect(create.operation.variables).toEqual({
      input: { code: 'gold', name: 'Gold', priceCents: 2990, monthlyCredits: 400, requestsPerMonth: 20000, seats: 1 },
    });
    create.flushData({ createPlan: aPlan({ id: 'p-gold', code: 'gold', name: 'Gold' }) });

    await answer([FREE_PLAN, aPlan(), aPlan({ id: 'p-gold', code: 'gold', name: 'Gold' })]);
    await settle(() => expect(rows()).toHaveLength(3));
    expect(overlay().textContent).toContain('Plan Gold created.');
  });

  it('edits a plan: the code stays, only changes are sent, and a refusal is shown in the dialog', async () => {
    await harness.navigateByUrl('/plans', PlansComponent);
    await answer();
    await settle(() => expect(rows()).toHaveLength(2));

    (rows()[1]?.querySelector('[data-testid="plan-edit"]') as HTMLElement).click();
    await settle(() => expect(inDialog('plan-form')).not.toBeNull());
    expect(inDialog<HTMLInputElement>('plan-code').disabled).toBe(true);
    typeInto(inDialog<HTMLInputElement>('plan-price'), '0.10');
    inDialog('plan-submit').click();
    const refused = await vi.waitFor(() => apollo.expectOne('UpdatePlan'));
    expect(refused.operation.variables).toEqual({ input: { id: 'plan-starter', priceCents: 10 } });
    refused.graphqlErrors([{ message: 'priceCents must be 0 (free) or a whole number from 50 to 99999999', extensions: { code: 'BAD_USER_INPUT' } }]);
    await settle(() => expect(inDialog('plan-error')?.textContent).toContain('from 50'));

    typeInto(inDialog<HTMLInputElement>('plan-price'), '24');
    inDialog('plan-submit').click();
    const update = await vi.waitFor(() => apollo.expectOne('UpdatePlan'));
    expect(update.operation.variables).toEqual({ input: { id: 'plan-starter', priceCents: 2400 } });
    update.flushData({ updatePlan: aPlan({ priceCents: 2400 }) });
    await answer([FREE_PLAN, aPlan({ priceCents: 2400 })]);
    await settle(() => expect(rows()[1]?.querySelector('[data-testid="plan-price"]')?.textContent?.trim()).toBe('$24.00'));
  });

  it('deactivates a plan only after confirmation', async () => {
    await harness.navigateByUrl('/plans', PlansComponent);
    await answer();
    await settle(() => expect(rows()).toHaveLength(2));

    byTestId('plan-deactivate')?.click();
    await settle(() => expect(overlay().textContent).toContain('Deactivate Starter?'));
    (overlay().querySelector('[data-testid="confirm-ok"]') as HTMLElement).click();
    const archive = await vi.waitFor(() => apollo.expectOne('ArchivePlan'));
    expect(archive.operation.variables).toEqual({ id: 'plan-starter' });
    archive.flushData({ archivePlan: aPlan({ archivedAt: '2026-12-05T00:00:00.000Z' }) });
    await answer([FREE_PLAN, aPlan({ archivedAt: '2026-12-05T00:00:00.000Z' })]);
    await settle(() => expect(rows()[1]?.querySelector('[data-testid="plan-status"]')?.textContent).toContain('Deactivated'));
  });
});
