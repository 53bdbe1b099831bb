import { TestBed } from '@angular/core/testing';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';

import { AuthStore } from '../../../core/auth/auth.store';
import { routedPage, typeInto } from '../../../shared/testing/routed-page';
import { aPackage } from '../../billing/testing/billing-fixtures';
import { ExternalNavigation } from '../../billing/ui/external-navigation';
import { TeamDetailComponent } from './team-detail.component';

const member = (userId: string, role: string, name: string) => ({
  __typename: 'TeamMember',
  userId,
  role,
  name,
  email: `${name.toLowerCase()}@example.com`,
  addedAt: '2026-03-01T10:00:00.000Z',
});

const team = (myRole: string) => ({
  __typename: 'Team',
  id: 't1',
  name: 'Research',
  myRole,
  members: [member('u1', 'manager', 'Ann'), member('u2', 'member', 'Bob')],
  invitations: myRole === 'manager' ? [] : null,
});

function aWallet(overrides: Record<string, unknown> = {}) {
  return {
    __typename: 'TeamWallet',
    teamId: 't1',
    balance: 22,
    reserved: 1.5,
    available: 20.5,
    monthlyCap: 40,
    usedThisMonth: 3,
    budgetAlertThresholds: [50, 80, 100],
    budgetAlertThresholdsCustom: false,
    members: [{ __typename: 'TeamMemberBudget', userId: 'u2', dailyCredits: 10, monthlyCredits: null, usedToday: 3, usedThisMonth: 3 }],
    ...overrides,
  };
}

const entry = (id: string, type: string, amount: number, actorId: string | null, reason: string | null) => ({
  __typename: 'TeamWalletTransaction',
  id,
  type,
  amount,
  balanceAfter: 22,
  actorId,
  reason,
  createdAt: '2026-03-02T10:00:00.000Z',
});

describe('TeamDetailComponent: the wallet', () => {
  let harness: RouterTestingHarness;
  let apollo: ApolloTestingController;
  const { settle, byTestId, root, inDialog, overlay } = routedPage(() => harness, 'member-budget-row');
  const budgetRow = (userId: string) => root().querySelector<HTMLElement>(`[data-testid="member-budget-row"][data-user-id="${userId}"]`);
  const text = (element: Element | null | undefined) => element?.textContent?.replace(/\s+/g, ' ').trim();
  const navigation = { go: vi.fn(), consoleUrl: (path: string) => `https://hub.test/admin/${path}` };

  beforeEach(async () => {
    sessionStorage.clear();
    navigation.go.mockReset();
    TestBed.configureTestingModule({
      imports: [ApolloTestingModule],
      providers: [
        provideRouter([{ path: 'teams/:id', component: TeamDetailComponent }], withComponentInputBinding()),
        { provide: ExternalNavigation, useValue: navigation },
      ],
    });
    TestBed.inject(AuthStore).signIn({
      accessToken: 'a',
      refreshToken: 'r',
      expiresIn: 900,
      user: { id: 'u1', email: 'ann@example.com', name: 'Ann', roles: ['USER'], emailVerified: true },
    });
    apollo = TestBed.inject(ApolloTestingController);
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/teams/t1', TeamDetailComponent);
  });

  async function open(myRole: string, wallet = aWallet()): Promise<void> {
    (await vi.waitFor(() => apollo.expectOne('TeamMembership'))).flushData({ team: team(myRole) });
    await answerWallet(wallet);
    const history = await vi.waitFor(() => apollo.expectOne('TeamWalletTransactions'));
    expect(history.operation.variables).toEqual({ input: { teamId: 't1', perPage: 50 } });
    history.flushData({
      teamWalletTransactions: {
        __typename: 'TeamWalletTransactionPage',
        items: [entry('x2', 'USAGE', -1, 'u2', 'AI gpt-4o: 10 in, 90 out'), entry('x1', 'TRANSFER', 25, 'u9', null)],
        pageInfo: { __typename: 'PageInfo', total: 2 },
      },
    });
  }

  async function answerWallet(wallet: unknown): Promise<void> {
    const op = await vi.waitFor(() => apollo.expectOne('TeamWallet'));
    expect(op.operation.variables).toEqual({ teamId: 't1' });
    op.flushData({ teamWallet: wallet });
  }

  it('shows the balance, the team’s month against its cap, each member’s bars in words, and the history with who spent', async () => {
    await open('member');
    await settle(() => expect(budgetRow('u2')).not.toBeNull());
    expect(text(byTestId('team-wallet-balance'))).toBe('22');
    expect(text(byTestId('team-wallet-available'))).toBe('20.5');
    expect(text(byTestId('team-wallet-month'))).toContain('3 of 40 credits (8 %)');

    const bob = budgetRow('u2');
    expect(text(bob?.querySelector('[data-testid="member-budget-today"]'))).toBe('3 of 10 credits (30 %)');
    expect(text(bob?.querySelector('[data-testid="member-budget-month"]'))).toBe('3 credits, no limit');
    const bar = bob?.querySelector('[data-testid="member-budget-today"] mat-progress-bar');
    expect(bar?.getAttribute('aria-label')).toBe('Bob, today: 3 of 10 credits (30 %)');
    expect(bar?.getAttribute('aria-valuenow')).toBe('30');
    // No limit: the figure alone, no bar.
    expect(bob?.querySelector('[data-testid="member-budget-month"] mat-progress-bar')).toBeNull();
    // Ann has no limits and has spent nothing: she still has a row.
    expect(text(budgetRow('u1')?.querySelector('[data-testid="member-budget-today"]'))).toBe('0 credits, no limit');

    const entries = [...root().querySelectorAll<HTMLElement>('[data-testid="team-wallet-entry"]')];
    expect(entries.map((row) => row.getAttribute('data-type'))).toEqual(['USAGE', 'TRANSFER']);
    expect(text(entries[0].querySelector('[data-testid="wallet-entry-member"]'))).toBe('Bob');
    expect(text(entries[0].querySelector('[data-testid="wallet-entry-amount"]'))).toBe('-1');
    // Someone no longer in the team: their id, cut short.
    expect(text(entries[1])).toContain('u9…');

    // Members read; they neither fund, buy for the team nor set limits.
    expect(byTestId('team-wallet-fund')).toBeNull();
    expect(byTestId('team-wallet-buy')).toBeNull();
    expect(text(byTestId('team-wallet-alerts'))).toBe('Alerts at 50 %, 80 % and 100 % of the cap (the default).');
    expect(byTestId('team-wallet-alerts-edit')).toBeNull();
    expect(bob?.querySelector('[data-testid="member-budget-limits"]')).toBeNull();
  });

  it('lets a manager set a member’s limits (empty removes one), then reloads the wallet', async () => {
    await open('manager');
    await settle(() => expect(budgetRow('u2')?.querySelector('[data-testid="member-budget-limits"]')).not.toBeNull());
    budgetRow('u2')?.querySelector<HTMLButtonElement>('[data-testid="member-budget-limits"]')?.click();
    await settle(() => expect(inDialog('team-limit-daily')).not.toBeNull());
    expect(inDialog<HTMLInputElement>('team-limit-daily').value).toBe('10');

    typeInto(inDialog<HTMLInputElement>('team-limit-daily'), '0.0001');
    inDialog('team-limits-save').click();
    await settle(() => expect(inDialog('team-limit-daily').closest('mat-form-field')?.textContent).toContain('at most 3 decimals'));
    apollo.expectNone('SetTeamMemberLimits');

    typeInto(inDialog<HTMLInputElement>('team-limit-daily'), '');
    typeInto(inDialog<HTMLInputElement>('team-limit-monthly'), '200');
    inDialog('team-limits-save').click();
    const save = await vi.waitFor(() => apollo.expectOne('SetTeamMemberLimits'));
    expect(save.operation.variables).toEqual({ input: { teamId: 't1', userId: 'u2', dailyCredits: null, monthlyCredits: 200 } });
    save.flushData({ setTeamMemberLimits: aWallet() });
    await answerWallet(aWallet());
    await vi.waitFor(() => apollo.expectOne('TeamWalletTransactions'));
  });

  it('funds the wallet from the manager’s own balance, one idempotency key per request, showing a refusal in words', async () => {
    await open('manager');
    await settle(() => expect(byTestId('team-wallet-fund')).not.toBeNull());
    byTestId('team-wallet-fund')?.click();
    (await vi.waitFor(() => apollo.expectOne('CreditBalance'))).flushData({
      creditBalance: { __typename: 'CreditBalance', balance: 30, reserved: 0, available: 30 },
    });
    await settle(() => expect(text(inDialog('team-fund-own-balance'))).toContain('You have 30 credits available.'));

    typeInto(inDialog<HTMLInputElement>('team-fund-amount'), '31');
    inDialog('team-fund-submit').click();
    const first = await vi.waitFor(() => apollo.expectOne('TransferToTeamWallet'));
    const input = first.operation.variables['input'] as { idempotencyKey: string };
    expect(input).toEqual({ teamId: 't1', amount: 31, idempotencyKey: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    first.graphqlErrors([{ message: 'Not enough credits', extensions: { code: 'INSUFFICIENT_CREDITS' } }]);
    await settle(() => expect(text(inDialog('team-fund-error'))).toBe('Not enough credits'));

    // The same request again keeps its key; another amount is another request.
    inDialog('team-fund-submit').click();
    const retry = await vi.waitFor(() => apollo.expectOne('TransferToTeamWallet'));
    expect(retry.operation.variables['input']).toEqual(input);
    retry.graphqlErrors([{ message: 'Not enough credits', extensions: { code: 'INSUFFICIENT_CREDITS' } }]);
    await settle(() => expect(inDialog<HTMLButtonElement>('team-fund-submit').disabled).toBe(false));
    typeInto(inDialog<HTMLInputElement>('team-fund-amount'), '25');
    inDialog('team-fund-submit').click();
    const second = await vi.waitFor(() => apollo.expectOne('TransferToTeamWallet'));
    const secondInput = second.operation.variables['input'] as { idempotencyKey: string };
    expect(secondInput).toEqual({ teamId: 't1', amount: 25, idempotencyKey: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(secondInput.idempotencyKey).not.toBe(input.idempotencyKey);
    second.flushData({ transferToTeamWallet: { __typename: 'TeamWalletTransfer', transactionId: 'x3', wallet: aWallet({ balance: 47 }) } });
    await answerWallet(aWallet({ balance: 47 }));
    await settle(() => expect(text(byTestId('team-wallet-balance'))).toBe('47'));
  });

  it('buys credits for the team: the personal purchase’s packages, Checkout for the team, back to the team’s page', async () => {
    await open('manager');
    await settle(() => expect(byTestId('team-wallet-buy')).not.toBeNull());
    byTestId('team-wallet-buy')?.click();
    (await vi.waitFor(() => apollo.expectOne('CreditPackages'))).flushData({
      creditPackages: [aPackage(), aPackage({ id: 'pkg-2', code: 'pro', name: 'Pro', credits: 1000, priceCents: 8000 })],
    });
    await settle(() => expect(inDialog('team-buy-dialog').querySelectorAll('[data-testid="package"]')).toHaveLength(2));

    inDialog('team-buy-dialog').querySelectorAll<HTMLElement>('[data-testid="package-buy"]')[1].click();
    const checkout = await vi.waitFor(() => apollo.expectOne('CreateCheckoutSession'));
    expect(checkout.operation.variables).toEqual({
      input: {
        package: 'pro',
        teamId: 't1',
        successUrl: 'https://hub.test/admin/teams/t1?checkout=success',
        cancelUrl: 'https://hub.test/admin/teams/t1?checkout=cancelled',
      },
    });
    checkout.flushData({ createCheckoutSession: { __typename: 'CheckoutSession', sessionId: 'cs_1', url: 'https://checkout.stripe.test/cs_1' } });
    await vi.waitFor(() => expect(navigation.go).toHaveBeenCalledWith('https://checkout.stripe.test/cs_1'));
  });

  it('shows a refused team purchase in the dialog, in words', async () => {
    await open('manager');
    await settle(() => expect(byTestId('team-wallet-buy')).not.toBeNull());
    byTestId('team-wallet-buy')?.click();
    (await vi.waitFor(() => apollo.expectOne('CreditPackages'))).flushData({ creditPackages: [aPackage()] });
    await settle(() => expect(inDialog('package-buy')).not.toBeNull());
    inDialog('package-buy').click();
    (await vi.waitFor(() => apollo.expectOne('CreateCheckoutSession'))).graphqlErrors([
      { message: 'Payments are unavailable right now: try again in a moment', extensions: { code: 'DEPENDENCY_UNAVAILABLE' } },
    ]);
    await settle(() => expect(text(inDialog('buy-error'))).toBe('Payments are unavailable right now: try again in a moment'));
    expect(navigation.go).not.toHaveBeenCalled();
  });

  it('says how the team purchase went on the way back from Stripe', async () => {
    await harness.navigateByUrl('/teams/t1?checkout=success', TeamDetailComponent);
    await open('manager');
    await settle(() => expect(text(byTestId('checkout-success'))).toContain('added to the team’s wallet'));
  });

  describe('budget alerts', () => {
    const checkbox = () => inDialog('team-alerts-default').querySelector('input') as HTMLInputElement;
    const field = () => inDialog<HTMLInputElement>('team-alerts-thresholds');

    async function openAlerts(wallet = aWallet()): Promise<void> {
      await open('manager', wallet);
      await settle(() => expect(byTestId('team-wallet-alerts-edit')).not.toBeNull());
      byTestId('team-wallet-alerts-edit')?.click();
      await settle(() => expect(field()).not.toBeNull());
    }

    it('sets the team’s own thresholds, refusing what the API would before sending and showing what it refuses', async () => {
      await openAlerts();
      // The default in force, greyed until the team sets its own.
      expect(checkbox().checked).toBe(true);
      expect(field().disabled).toBe(true);
      expect(field().value).toBe('50, 80, 100');

      checkbox().click();
      await settle(() => expect(field().disabled).toBe(false));
      for (const [typed, problem] of [
        ['90, 50, 50', 'Each percentage once.'],
        ['50, 101', 'Each percentage is from 1 to 100.'],
        ['50, 80.5', 'Whole percentages'],
        ['1 2 3 4 5 6 7 8 9 10 11', 'At most 10 thresholds.'],
      ]) {
        typeInto(field(), typed);
        inDialog('team-alerts-save').click();
        await settle(() => expect(text(inDialog('team-alerts-invalid'))).toContain(problem));
      }
      apollo.expectNone('SetTeamBudgetAlerts');

      typeInto(field(), '90, 50');
      inDialog('team-alerts-save').click();
      const refused = await vi.waitFor(() => apollo.expectOne('SetTeamBudgetAlerts'));
      expect(refused.operation.variables).toEqual({ input: { teamId: 't1', thresholds: [50, 90] } });
      refused.graphqlErrors([{ message: "Only the team's managers and administrators may do this", extensions: { code: 'FORBIDDEN' } }]);
      await settle(() => expect(text(inDialog('team-alerts-error'))).toBe("Only the team's managers and administrators may do this"));

      inDialog('team-alerts-save').click();
      const saved = aWallet({ budgetAlertThresholds: [50, 90], budgetAlertThresholdsCustom: true });
      (await vi.waitFor(() => apollo.expectOne('SetTeamBudgetAlerts'))).flushData({ setTeamBudgetAlerts: saved });
      await answerWallet(saved);
      await settle(() => expect(text(byTestId('team-wallet-alerts'))).toBe('Alerts at 50 % and 90 % of the cap.'));
    });

    it('turns alerts off with an empty list, and goes back to the default', async () => {
      await openAlerts(aWallet({ budgetAlertThresholds: [90], budgetAlertThresholdsCustom: true }));
      expect(checkbox().checked).toBe(false);
      expect(field().value).toBe('90');

      typeInto(field(), '');
      inDialog('team-alerts-save').click();
      const off = await vi.waitFor(() => apollo.expectOne('SetTeamBudgetAlerts'));
      expect(off.operation.variables).toEqual({ input: { teamId: 't1', thresholds: [] } });
      const none = aWallet({ budgetAlertThresholds: [], budgetAlertThresholdsCustom: true });
      off.flushData({ setTeamBudgetAlerts: none });
      await answerWallet(none);
      await vi.waitFor(() => apollo.expectOne('TeamWalletTransactions'));
      await settle(() => expect(text(byTestId('team-wallet-alerts'))).toBe('No budget alerts.'));
      await settle(() => expect(overlay().querySelector('[data-testid="team-alerts-form"]')).toBeNull());

      byTestId('team-wallet-alerts-edit')?.click();
      await settle(() => expect(field()).not.toBeNull());
      checkbox().click();
      inDialog('team-alerts-save').click();
      const reset = await vi.waitFor(() => apollo.expectOne('SetTeamBudgetAlerts'));
      expect(reset.operation.variables).toEqual({ input: { teamId: 't1', thresholds: null } });
    });
  });
});
