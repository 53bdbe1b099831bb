import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import type { RouterTestingHarness } from '@angular/router/testing';
import type { ApolloTestingController } from 'apollo-angular/testing';

import { answerQuery, routeListPage } from '../../../shared/testing/routed-list-page';
import { routedPage, typeInto } from '../../../shared/testing/routed-page';
import { aPage } from '../../identity/testing/identity-fixtures';
import { aPromoCode } from '../testing/billing-fixtures';
import { toCreatePromoCodeInput } from './create-promo-code-dialog.component';
import { promoCodeStatus } from './promo-code-status';
import { PromoCodesComponent } from './promo-codes.component';

describe('promo code helpers', () => {
  it('names why a code cannot be redeemed', () => {
    expect(promoCodeStatus(aPromoCode())).toBe('active');
    expect(promoCodeStatus(aPromoCode({ active: false, redeemable: false }))).toBe('inactive');
    expect(promoCodeStatus(aPromoCode({ redeemable: false, expiresAt: '2020-01-01T00:00:00.000Z' }))).toBe('expired');
    expect(promoCodeStatus(aPromoCode({ redeemable: false, uses: 100, remainingUses: 0 }))).toBe('used-up');
  });

  it('leaves optional terms out and ends the last day at the following midnight', () => {
    expect(toCreatePromoCodeInput({ code: ' spring ', credits: '2.5', maxUses: '', expiresOn: null, creditsValidDays: '' })).toEqual({
      code: 'spring',
      credits: 2.5,
    });
    expect(
      toCreatePromoCodeInput({
        code: 'X1',
        credits: '10',
        maxUses: '50',
        expiresOn: new Date(2099, 5, 30),
        creditsValidDays: '30',
      }),
    ).toEqual({ code: 'X1', credits: 10, maxUses: 50, expiresAt: new Date(2099, 6, 1).toISOString(), creditsValidDays: 30 });
  });
});

describe('PromoCodesComponent', () => {
  let harness: RouterTestingHarness;
  let apollo: ApolloTestingController;
  routeListPage('promo-codes', PromoCodesComponent, (page) => ({ harness, apollo } = page));
  const { byTestId, rows, settle, inDialog, overlay } = routedPage(() => harness, 'promo-row');

  const answer = (items = [aPromoCode()], pageInfo = {}) =>
    answerQuery({ harness, apollo }, 'PromoCodes', {
      promoCodes: { __typename: 'PromoCodePage', ...aPage(items, pageInfo) },
    });

  it('lists codes with their usage, remaining uses, expiry and status', async () => {
    await harness.navigateByUrl('/promo-codes', PromoCodesComponent);
    expect(
      await answer([
        aPromoCode(),
        aPromoCode({ id: 'p2', code: 'FOREVER', maxUses: null, remainingUses: null, expiresAt: null, creditsValidDays: null }),
        aPromoCode({ id: 'p3', code: 'OLD', active: false, redeemable: false }),
      ]),
    ).toEqual({ filter: { page: 1, perPage: 20 } });

    await settle(() => expect(rows().map((row) => row.dataset['code'])).toEqual(['SPRING25', 'FOREVER', 'OLD']));
    expect(rows()[0].querySelector('[data-testid="promo-usage"]')?.textContent?.trim()).toBe('40 / 100');
    expect(rows()[0].textContent).toContain('60');
    expect(rows()[0].textContent).toContain('30 days');
    expect(rows()[1].querySelector('[data-testid="promo-usage"]')?.textContent?.trim()).toBe('40 / ∞');
    expect(rows()[1].textContent).toContain('Never');
    expect(rows()[1].textContent).toContain('Unlimited');
    expect(rows()[2].querySelector('[data-testid="promo-status"]')?.textContent).toContain('Deactivated');
    expect(rows().map((row) => row.querySelector('[data-testid="promo-deactivate"]') !== null)).toEqual([true, true, false]);
  });

  it('searches and filters by status through the URL', async () => {
    await harness.navigateByUrl('/promo-codes?status=inactive', PromoCodesComponent);
    expect(await answer([])).toEqual({ filter: { active: false, page: 1, perPage: 20 } });
    await settle(() => expect(byTestId('promo-empty')?.textContent).toContain('No promo codes match these filters'));

    typeInto(byTestId('promo-search') as HTMLInputElement, 'spr');
    expect(await answer()).toEqual({ filter: { search: 'spr', active: false, page: 1, perPage: 20 } });
    expect(TestBed.inject(Router).url).toBe('/promo-codes?status=inactive&search=spr');
  });

  it('creates a code from the dialog and shows it in the list', async () => {
    await harness.navigateByUrl('/promo-codes', PromoCodesComponent);
    await answer([]);

    byTestId('promo-new')?.click();
    await settle(() => expect(inDialog('promo-form')).not.toBeNull());
    typeInto(inDialog<HTMLInputElement>('promo-code'), 'no spaces allowed');
    typeInto(inDialog<HTMLInputElement>('promo-credits'), '25');
    inDialog('promo-submit').click();
    await harness.fixture.whenStable();
    apollo.expectNone('CreatePromoCode');
    expect(overlay().textContent).toContain('3 to 32 letters');

    typeInto(inDialog<HTMLInputElement>('promo-code'), 'SPRING25');
    typeInto(inDialog<HTMLInputElement>('promo-max-uses'), '100');
    typeInto(inDialog<HTMLInputElement>('promo-valid-days'), '30');
    inDialog('promo-submit').click();
    const create = await vi.waitFor(() => apollo.expectOne('CreatePromoCode'));
    expect(create.operation.variables).toEqual({
      input: { code: 'SPRING25', credits: 25, maxUses: 100, creditsValidDays: 30 },
    });
    create.flushData({ createPromoCode: aPromoCode() });

    await answer();
    await settle(() => expect(rows()).toHaveLength(1));
    expect(overlay().textContent).toContain('Promo code SPRING25 created.');
  });

  it('deactivates a code only after confirmation', async () => {
    await harness.navigateByUrl('/promo-codes', PromoCodesComponent);
    await answer();
    await settle(() => expect(rows()).toHaveLength(1));

    byTestId('promo-deactivate')?.click();
    await settle(() => expect(overlay().textContent).toContain('Deactivate SPRING25?'));
    (overlay().querySelector('[data-testid="confirm-ok"]') as HTMLElement).click();

    const deactivate = await vi.waitFor(() => apollo.expectOne('DeactivatePromoCode'));
    expect(deactivate.operation.variables).toEqual({ id: 'p1' });
    deactivate.flushData({ deactivatePromoCode: aPromoCode({ active: false, redeemable: false }) });
    await answer([aPromoCode({ active: false, redeemable: false })]);
    await settle(() => expect(byTestId('promo-status')?.textContent).toContain('Deactivated'));
  });
});
