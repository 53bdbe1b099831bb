import { OverlayContainer } from '@angular/cdk/overlay';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MatDialog, MatDialogState } from '@angular/material/dialog';
import { provideRouter } from '@angular/router';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';

import type { Role } from '../../../core/auth/auth.types';
import { AuthStore } from '../../../core/auth/auth.store';
import { aMonthlySpend, anApiKey, aVerifiedSession } from '../testing/identity-fixtures';
import { AccountComponent } from './account.component';

const SECRET = 'sah_0nlyShownOnce_9f8e7d6c5b4a';

describe('AccountComponent', () => {
  let fixture: ComponentFixture<AccountComponent>;
  let apollo: ApolloTestingController;

  const el = (id: string) => fixture.nativeElement.querySelector(`[data-testid="${id}"]`) as HTMLElement | null;
  const overlay = () => TestBed.inject(OverlayContainer).getContainerElement();
  const inDialog = <T extends HTMLElement = HTMLElement>(id: string) =>
    overlay().querySelector<T>(`[data-testid="${id}"]`);

  async function settle(assertion: () => void): Promise<void> {
    await vi.waitFor(async () => {
      await fixture.whenStable();
      assertion();
    });
  }

  const keyPrefixes = () =>
    [...fixture.nativeElement.querySelectorAll('[data-testid="api-key-row"]')].map(
      (row) => (row as HTMLElement).dataset['prefix'],
    );

  /** Answers the next ApiKeys query and waits until the list shows exactly those keys. */
  async function answerKeys(keys = [anApiKey()]): Promise<void> {
    (await vi.waitFor(() => apollo.expectOne('ApiKeys'))).flushData({ apiKeys: keys });
    await settle(() => {
      expect(keyPrefixes()).toEqual(keys.map((key) => key.prefix));
      if (keys.length === 0) expect(el('api-keys-empty')).not.toBeNull();
    });
  }

  async function openPage(roles: Role[]): Promise<void> {
    TestBed.inject(AuthStore).signIn({
      accessToken: 'access-1',
      refreshToken: 'refresh-1',
      expiresIn: 900,
      user: { id: 'me', email: 'me@example.com', name: 'Mia Member', roles, emailVerified: true },
    });
    fixture = TestBed.createComponent(AccountComponent);
    await fixture.whenStable();
  }

  async function openCreateDialog(): Promise<void> {
    el('api-key-new')?.click();
    await settle(() => expect(inDialog('api-key-form')).not.toBeNull());
    // Open means focused too: the dialog moves focus in once its opening is done, which on a loaded
    // machine can come after a quick test's next click and take the focus that click gave.
    await settle(() => expect(overlay().contains(document.activeElement)).toBe(true));
  }

  const offeredScopes = () =>
    [...overlay().querySelectorAll<HTMLElement>('[data-testid="api-key-scope"]')].map((box) => box.dataset['scope']);

  async function fillAndSubmit(name: string, scopes: string[]): Promise<void> {
    const input = inDialog<HTMLInputElement>('api-key-name') as HTMLInputElement;
    input.value = name;
    input.dispatchEvent(new Event('input'));
    for (const scope of scopes) {
      (overlay().querySelector(`[data-scope="${scope}"] input`) as HTMLInputElement).click();
    }
    await fixture.whenStable();
    inDialog('api-key-create')?.click();
    await fixture.whenStable();
  }

  beforeEach(() => {
    sessionStorage.clear();
    TestBed.configureTestingModule({ imports: [ApolloTestingModule], providers: [provideRouter([])] });
    apollo = TestBed.inject(ApolloTestingController);
  });

  afterEach(() => {
    delete (navigator as { clipboard?: unknown }).clipboard;
  });

  it('shows the profile and the key list, never more of a key than its prefix', async () => {
    await openPage(['USER']);
    await answerKeys([anApiKey(), anApiKey({ id: 'k2', name: 'Old', revokedAt: '2026-02-01T00:00:00.000Z' })]);

    expect(el('profile-name')?.textContent).toContain('Mia Member');
    expect(el('profile-email')?.textContent).toContain('me@example.com');
    expect(el('profile-role')?.textContent).toContain('User');
    const rows = [...fixture.nativeElement.querySelectorAll('[data-testid="api-key-row"]')] as HTMLElement[];
    expect(rows[1].textContent).toContain('Revoked');
    // Revoked keys cannot be revoked again.
    expect(rows.map((row) => row.querySelector('[data-testid="api-key-revoke"]') !== null)).toEqual([true, false]);
  });

  it('shows the credits cards, and a redeemed code brings the new transaction into the history', async () => {
    await openPage(['USER']);
    const history = () => vi.waitFor(() => apollo.expectOne('CreditTransactions'));
    const page = (items: unknown[]) => ({
      creditTransactions: {
        __typename: 'CreditTransactionPage',
        items,
        pageInfo: { __typename: 'PageInfo', page: 1, perPage: 10, total: items.length, totalPages: 1 },
      },
    });
    (await history()).flushData(page([]));
    await settle(() => expect(el('my-credits-empty')).not.toBeNull());
    expect(el('buy-credits-card')).not.toBeNull();

    const code = el('redeem-code') as HTMLInputElement;
    code.value = 'SPRING25';
    code.dispatchEvent(new Event('input'));
    el('redeem-submit')?.click();
    const transaction = {
      __typename: 'CreditTransaction',
      id: 'tx-1',
      type: 'PROMO',
      userId: 'me',
      amount: 25,
      balanceAfter: 35,
      reason: 'Promo code SPRING25',
      actorId: null,
      reversesId: null,
      metadata: {},
      createdAt: '2026-03-01T10:00:00.000Z',
    };
    (await vi.waitFor(() => apollo.expectOne('RedeemPromoCode'))).flushData({
      redeemPromoCode: {
        __typename: 'PromoRedemption',
        code: 'SPRING25',
        credits: 25,
        transaction,
        balance: { __typename: 'CreditBalance', userId: 'me', balance: 35, reserved: 0, available: 35 },
      },
    });

    (await history()).flushData(page([transaction]));
    await settle(() => expect(el('my-credits-history')?.textContent).toContain('Promo code'));
  });

  it('shows a created key’s secret once: in the dialog, and nowhere after it closes', async () => {
    await openPage(['USER']);
    await answerKeys([]);
    await openCreateDialog();
    await fillAndSubmit('CI pipeline', ['ai.use', 'media.create']);

    const create = await vi.waitFor(() => apollo.expectOne('CreateApiKey'));
    expect(create.operation.variables).toEqual({
      input: { name: 'CI pipeline', scopes: ['ai.use', 'media.create'], expiresInDays: 90 },
    });
    create.flushData({
      createApiKey: {
        __typename: 'CreatedApiKey',
        apiKey: anApiKey({ id: 'k9', prefix: 'sah_0nlyShow' }),
        secret: SECRET,
      },
    });

    await settle(() => expect(inDialog<HTMLInputElement>('api-key-secret')?.value).toBe(SECRET));
    expect(inDialog('api-key-created')?.textContent).toContain('It will not be shown again');

    // A stray Escape does not throw the secret away.
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    overlay().querySelector('.cdk-overlay-backdrop')?.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    await fixture.whenStable();
    expect(TestBed.inject(MatDialog).openDialogs.map((dialog) => dialog.getState())).toEqual([MatDialogState.OPEN]);

    inDialog('secret-done')?.click();
    await answerKeys([anApiKey({ id: 'k9', prefix: 'sah_0nlyShow' })]);
    await settle(() => expect(inDialog('api-key-created')).toBeNull());

    expect(document.body.innerHTML).not.toContain(SECRET);
    expect(fixture.nativeElement.textContent).toContain('sah_0nlyShow');
    // Opening the dialog again starts a new key; the old secret is gone for good.
    await openCreateDialog();
    expect(inDialog('api-key-secret')).toBeNull();
    expect(document.body.innerHTML).not.toContain(SECRET);
  });

  it('copies the secret with the Clipboard API', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await openPage(['USER']);
    await answerKeys([]);
    await openCreateDialog();
    await fillAndSubmit('CI', ['ai.use']);
    (await vi.waitFor(() => apollo.expectOne('CreateApiKey'))).flushData({
      createApiKey: { __typename: 'CreatedApiKey', apiKey: anApiKey(), secret: SECRET },
    });
    await settle(() => expect(inDialog('copy-secret')).not.toBeNull());

    inDialog('copy-secret')?.click();

    await settle(() => expect(inDialog('copy-status')?.textContent).toContain('Copied'));
    expect(writeText).toHaveBeenCalledWith(SECRET);
  });

  it('selects the secret for Ctrl+C when the clipboard is not available', async () => {
    await openPage(['USER']);
    await answerKeys([]);
    await openCreateDialog();
    await fillAndSubmit('CI', ['ai.use']);
    (await vi.waitFor(() => apollo.expectOne('CreateApiKey'))).flushData({
      createApiKey: { __typename: 'CreatedApiKey', apiKey: anApiKey(), secret: SECRET },
    });
    await settle(() => expect(inDialog('copy-secret')).not.toBeNull());

    inDialog('copy-secret')?.click();

    await settle(() => expect(inDialog('copy-status')?.textContent).toContain('press Ctrl+C'));
    const input = inDialog<HTMLInputElement>('api-key-secret') as HTMLInputElement;
    expect(document.activeElement).toBe(input);
    expect([input.selectionStart, input.selectionEnd]).toEqual([0, SECRET.length]);
  });

  it('offers partner.credits to administrators only', async () => {
    await openPage(['USER']);
    await answerKeys([]);
    await openCreateDialog();
    expect(offeredScopes()).toEqual(['ai.use', 'credits.read', 'media.create']);

    TestBed.resetTestingModule();
    TestBed.configureTestingModule({ imports: [ApolloTestingModule], providers: [provideRouter([])] });
    apollo = TestBed.inject(ApolloTestingController);
    await openPage(['ADMIN']);
    await answerKeys([]);
    await openCreateDialog();
    expect(offeredScopes()).toEqual(['ai.use', 'credits.read', 'media.create', 'partner.credits']);
  });

  it('asks for a scope before creating, and shows the server’s refusal in the dialog', async () => {
    await openPage(['USER']);
    await answerKeys([]);
    await openCreateDialog();
    await fillAndSubmit('No scopes', []);
    apollo.expectNone('CreateApiKey');
    expect(overlay().textContent).toContain('Choose at least one scope.');

    (overlay().querySelector('[data-scope="credits.read"] input') as HTMLInputElement).click();
    await fixture.whenStable();
    inDialog('api-key-create')?.click();
    (await vi.waitFor(() => apollo.expectOne('CreateApiKey'))).graphqlErrors([
      { message: 'Name must be 1 to 100 characters', extensions: { code: 'BAD_USER_INPUT' } },
    ]);

    await settle(() => expect(inDialog('api-key-error')?.textContent).toContain('Name must be 1 to 100 characters'));
    expect(inDialog('api-key-secret')).toBeNull();
  });

  it('revokes a key after confirmation and reloads the list', async () => {
    await openPage(['USER']);
    await answerKeys([anApiKey()]);

    el('api-key-revoke')?.click();
    await fixture.whenStable();
    expect(overlay().textContent).toContain('Revoke “CI pipeline”?');
    inDialog('confirm-ok')?.click();

    const revoke = await vi.waitFor(() => apollo.expectOne('RevokeApiKey'));
    expect(revoke.operation.variables).toEqual({ id: 'k1' });
    revoke.flushData({ revokeApiKey: true });
    await answerKeys([anApiKey({ revokedAt: '2026-03-01T00:00:00.000Z' })]);

    await settle(() => expect(el('api-key-revoke')).toBeNull());
    expect(overlay().textContent).toContain('API key “CI pipeline” revoked.');
  });

  it('shows each key’s own limit and lets its owner change or remove it', async () => {
    await openPage(['USER']);
    await answerKeys([anApiKey({ requestsPerMinute: 60 }), anApiKey({ id: 'k2', name: 'Free', prefix: 'sah_Free0000' })]);
    const rows = () => [...fixture.nativeElement.querySelectorAll('[data-testid="api-key-row"]')] as HTMLElement[];
    expect(rows()[0].textContent).toContain('60 req/min');
    expect(rows()[1].textContent).toContain('None');

    (rows()[0].querySelector('[data-testid="api-key-limit"]') as HTMLElement).click();
    await settle(() => expect(inDialog('api-key-limit-form')).not.toBeNull());
    const input = inDialog<HTMLInputElement>('api-key-limit-input') as HTMLInputElement;
    expect(input.value).toBe('60');
    const save = async (value: string) => {
      input.value = value;
      input.dispatchEvent(new Event('input'));
      await fixture.whenStable();
      inDialog('api-key-limit-save')?.click();
      await fixture.whenStable();
    };

    // Not a whole number from 1 up: nothing is sent.
    await save('0');
    await save('2.5');
    apollo.expectNone('SetApiKeyLimits');

    await save('30');
    const lowered = await vi.waitFor(() => apollo.expectOne('SetApiKeyLimits'));
    expect(lowered.operation.variables).toEqual({
      input: { id: 'k1', requestsPerMinute: 30, tokensPerMinute: null, monthlyCreditBudget: null },
    });
    lowered.flushData({ setApiKeyLimits: anApiKey({ requestsPerMinute: 30 }) });
    await answerKeys([anApiKey({ requestsPerMinute: 30 }), anApiKey({ id: 'k2', name: 'Free', prefix: 'sah_Free0000' })]);
    await settle(() => expect(rows()[0].textContent).toContain('30 req/min'));
    expect(overlay().textContent).toContain('“CI pipeline” is limited to 30 req/min.');

    // An empty field removes the limit.
    (rows()[0].querySelector('[data-testid="api-key-limit"]') as HTMLElement).click();
    await settle(() => expect((inDialog<HTMLInputElement>('api-key-limit-input') as HTMLInputElement).value).toBe('30'));
    const again = inDialog<HTMLInputElement>('api-key-limit-input') as HTMLInputElement;
    again.value = '';
    again.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    inDialog('api-key-limit-save')?.click();
    const removed = await vi.waitFor(() => apollo.expectOne('SetApiKeyLimits'));
    expect(removed.operation.variables).toEqual({
      input: { id: 'k1', requestsPerMinute: null, tokensPerMinute: null, monthlyCreditBudget: null },
    });
    removed.flushData({ setApiKeyLimits: anApiKey() });
    await answerKeys([anApiKey(), anApiKey({ id: 'k2', name: 'Free', prefix: 'sah_Free0000' })]);
    await settle(() => expect(rows()[0].textContent).toContain('None'));
  });

  it('sets a key’s tokens per minute and monthly budget, refuses bad values, and shows the month’s spend on a bar', async () => {
    await openPage(['USER']);
    const budgeted = anApiKey({
      requestsPerMinute: 60,
      monthlyCreditBudget: 200,
      monthlySpend: aMonthlySpend(150, 10.5),
    });
    await answerKeys([budgeted]);
    const row = () => fixture.nativeElement.querySelector('[data-testid="api-key-row"]') as HTMLElement;
    const bar = () => row().querySelector('mat-progress-bar') as HTMLElement;
    expect(row().querySelector('[data-testid="api-key-budget"]')?.textContent).toContain('160.5 of 200 credits (10.5 held)');
    expect(bar().getAttribute('aria-valuenow')).toBe('80');
    expect(bar().classList).toContain('account__budget-bar--high');

    (row().querySelector('[data-testid="api-key-limit"]') as HTMLElement).click();
    await settle(() => expect(inDialog('api-key-limit-form')).not.toBeNull());
    expect(inDialog('api-key-limit-spend')?.textContent).toContain('2026-03: 160.5 of 200 credits (10.5 held)');
    const type = async (id: string, value: string) => {
      const input = inDialog<HTMLInputElement>(id) as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event('input'));
      await fixture.whenStable();
    };
    const submit = async () => {
      inDialog('api-key-limit-save')?.click();
      await fixture.whenStable();
    };

    // Out of the API's bounds or not whole: each field says why, nothing is sent.
    await type('api-key-limit-tokens', '0');
    await type('api-key-limit-budget', '1000000001');
    await submit();
    await settle(() => {
      expect(inDialog('api-key-limit-tokens-error')?.textContent).toContain('from 1 to 100,000,000');
      expect(inDialog('api-key-limit-budget-error')?.textContent).toContain('from 1 to 1,000,000,000');
    });
    await type('api-key-limit-budget', '12.5');
    await submit();
    apollo.expectNone('SetApiKeyLimits');

    await type('api-key-limit-tokens', '5000');
    await type('api-key-limit-budget', '500');
    await submit();
    const saved = await vi.waitFor(() => apollo.expectOne('SetApiKeyLimits'));
    expect(saved.operation.variables).toEqual({
      input: { id: 'k1', requestsPerMinute: 60, tokensPerMinute: 5000, monthlyCreditBudget: 500 },
    });
    // The server's refusal stays in the dialog.
    saved.graphqlErrors([{ message: 'monthlyCreditBudget must not be greater than 1000000000', extensions: { code: 'BAD_USER_INPUT' } }]);
    await settle(() => expect(inDialog('api-key-limit-error')?.textContent).toContain('monthlyCreditBudget must not be greater'));

    await submit();
    const retried = await vi.waitFor(() => apollo.expectOne('SetApiKeyLimits'));
    const changed = { ...budgeted, tokensPerMinute: 5000, monthlyCreditBudget: 500 };
    retried.flushData({ setApiKeyLimits: changed });
    await answerKeys([changed]);
    expect(overlay().textContent).toContain('“CI pipeline” is limited to 60 req/min · 5,000 tokens/min, 500 credits/month.');
    await settle(() => expect(bar().getAttribute('aria-valuenow')).toBe('32'));
    expect(row().textContent).toContain('60 req/min · 5,000 tokens/min');
    expect(bar().classList).not.toContain('account__budget-bar--high');
  });

  it('sends a new key’s limit only when one is given', async () => {
    await openPage(['USER']);
    await answerKeys([]);
    await openCreateDialog();
    const limit = inDialog<HTMLInputElement>('api-key-requests-per-minute') as HTMLInputElement;
    limit.value = '120';
    limit.dispatchEvent(new Event('input'));
    await fillAndSubmit('Limited', ['ai.use']);

    const create = await vi.waitFor(() => apollo.expectOne('CreateApiKey'));
    expect(create.operation.variables).toEqual({
      input: { name: 'Limited', scopes: ['ai.use'], expiresInDays: 90, requestsPerMinute: 120 },
    });
  });

  it('does not offer API keys to guests', async () => {
    await openPage(['GUEST']);

    apollo.expectNone('ApiKeys');
    expect(el('api-keys-unavailable')).not.toBeNull();
    expect(el('api-key-new')).toBeNull();
  });
  it('lists the tool sessions and revokes one after confirmation', async () => {
    await openPage(['USER']);
    (await vi.waitFor(() => apollo.expectOne('VerifiedSessions'))).flushData({
      verifiedSessions: [aVerifiedSession(), aVerifiedSession({ id: 'vs2', externalSessionId: 'other-tool-42' })],
    });
    await settle(() =>
      expect(
        [...fixture.nativeElement.querySelectorAll('[data-testid="session-row"]')].map(
          (row) => (row as HTMLElement).dataset['session'],
        ),
      ).toEqual(['tool-session-abc123', 'other-tool-42']),
    );
    expect(el('session-row')?.textContent).toContain('2099');

    // Cancelling leaves the session alone.
    el('session-revoke')?.click();
    await settle(() => expect(inDialog('confirm-cancel')).not.toBeNull());
    inDialog('confirm-cancel')?.click();
    await fixture.whenStable();
    apollo.expectNone('RevokeVerifiedSession');

    el('session-revoke')?.click();
    await settle(() => expect(overlay().textContent).toContain('Revoke this tool session?'));
    inDialog('confirm-ok')?.click();

    const revoke = await vi.waitFor(() => apollo.expectOne('RevokeVerifiedSession'));
    expect(revoke.operation.variables).toEqual({ id: 'vs1' });
    revoke.flushData({ revokeVerifiedSession: true });

    (await vi.waitFor(() => apollo.expectOne('VerifiedSessions'), { timeout: 5000 })).flushData({
      verifiedSessions: [],
    });
    await settle(() => expect(el('sessions-empty')?.textContent).toContain('No tool is signed in'));
    expect(overlay().textContent).toContain('Tool session revoked.');
  });

  async function fillPassword(current: string, next: string, repeat = next): Promise<void> {
    for (const [id, value] of [
      ['password-current', current],
      ['password-new', next],
      ['password-confirm', repeat],
    ]) {
      const input = el(id) as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event('input'));
    }
    await fixture.whenStable();
    el('password-submit')?.click();
    await fixture.whenStable();
  }

  it('changes the password, keeps the user signed in and clears the form', async () => {
    await openPage(['USER']);
    await fillPassword('Old-Passw0rd', 'New-Passw0rd-2026');

    const change = await vi.waitFor(() => apollo.expectOne('ChangePassword'), { timeout: 5000 });
    expect(change.operation.variables).toEqual({
      input: { currentPassword: 'Old-Passw0rd', newPassword: 'New-Passw0rd-2026' },
    });
    change.flushData({ changePassword: true });

    await settle(() => expect(el('password-changed')?.textContent).toContain('you stay signed in here'));
    expect((el('password-current') as HTMLInputElement).value).toBe('');
    expect((el('password-new') as HTMLInputElement).value).toBe('');
    expect(el('password-error')).toBeNull();
    expect(TestBed.inject(AuthStore).isSignedIn()).toBe(true);
  });

  it('does not send mismatching passwords', async () => {
    await openPage(['USER']);
    await fillPassword('Old-Passw0rd', 'New-Passw0rd-2026', 'New-Passw0rd-2027');

    await settle(() => expect(el('password-mismatch')).not.toBeNull());
    apollo.expectNone('ChangePassword');
  });

  it('shows the server’s refusal of a password change', async () => {
    await openPage(['USER']);
    await fillPassword('Wrong-Passw0rd', 'New-Passw0rd-2026');
    (await vi.waitFor(() => apollo.expectOne('ChangePassword'), { timeout: 5000 })).graphqlErrors([
      { message: 'The current password is wrong', extensions: { code: 'BAD_USER_INPUT', details: { field: 'currentPassword' } } },
    ]);
    await settle(() => expect(el('password-error')?.textContent).toContain('The current password is wrong'));
    expect(el('password-changed')).toBeNull();
    expect(TestBed.inject(AuthStore).isSignedIn()).toBe(true);

    el('password-submit')?.click();
    (await vi.waitFor(() => apollo.expectOne('ChangePassword'), { timeout: 5000 })).graphqlErrors([
      { message: 'The password is too common', extensions: { code: 'WEAK_PASSWORD' } },
    ]);
    await settle(() => expect(el('password-error')?.textContent).toContain('The password is too common'));
  });

  it('rotates a key and shows the new secret once, in the same dialog as creation', async () => {
    await openPage(['USER']);
    await answerKeys([anApiKey()]);

    el('api-key-rotate')?.click();
    await settle(() => expect(overlay().textContent).toContain('Rotate “CI pipeline”?'));
    inDialog('confirm-ok')?.click();

    const rotate = await vi.waitFor(() => apollo.expectOne('RotateApiKey'), { timeout: 5000 });
    expect(rotate.operation.variables).toEqual({ id: 'k1' });
    rotate.flushData({
      rotateApiKey: {
        __typename: 'CreatedApiKey',
        apiKey: anApiKey({ id: 'k1b', prefix: 'sah_R0tated' }),
        secret: SECRET,
      },
    });

    await settle(() => expect(inDialog<HTMLInputElement>('api-key-secret')?.value).toBe(SECRET));
    expect(inDialog('api-key-created')?.textContent).toContain('It will not be shown again');
    expect(inDialog('api-key-rotated')?.textContent).toContain('no longer works');
    // The secret is in the dialog only, never in the page.
    expect(fixture.nativeElement.innerHTML).not.toContain(SECRET);

    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    overlay().querySelector('.cdk-overlay-backdrop')?.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    await fixture.whenStable();
    expect(TestBed.inject(MatDialog).openDialogs.map((dialog) => dialog.getState())).toEqual([MatDialogState.OPEN]);

    inDialog('secret-done')?.click();
    await answerKeys([anApiKey({ id: 'k1b', prefix: 'sah_R0tated' })]);
    await settle(() => expect(inDialog('api-key-created')).toBeNull());
    expect(document.body.innerHTML).not.toContain(SECRET);
  });
});
