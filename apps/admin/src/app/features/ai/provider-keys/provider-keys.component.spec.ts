import type { RouterTestingHarness } from '@angular/router/testing';
import type { ApolloTestingController } from 'apollo-angular/testing';

import { openListPage } from '../../../shared/testing/routed-list-page';
import { routedPage, typeInto } from '../../../shared/testing/routed-page';
import { aProviderKey } from '../testing/ai-fixtures';
import { ProviderKeysComponent } from './provider-keys.component';

describe('ProviderKeysComponent', () => {
  let harness: RouterTestingHarness;
  let apollo: ApolloTestingController;
  openListPage('ai/keys', ProviderKeysComponent, (page) => ({ harness, apollo } = page));

  const { root, byTestId, rows, settle, inDialog, overlay } = routedPage(() => harness, 'provider-key-row');

  async function answer(keys = [aProviderKey()]): Promise<void> {
    (await vi.waitFor(() => apollo.expectOne('AiProviderKeys'))).flushData({ aiProviderKeys: keys });
    await harness.fixture.whenStable();
  }

  it('lists keys by provider and label, showing only their last four characters', async () => {
    await answer([
      aProviderKey(),
      aProviderKey({ id: 'key-2', provider: 'anthropic', label: 'Backup', last4: 'zz99', enabled: false }),
      aProviderKey({ id: 'key-3', provider: 'gemini', label: 'Google', last4: 'g001' }),
    ]);

    await settle(() => expect(rows().map((row) => row.dataset['label'])).toEqual(['Production', 'Backup', 'Google']));
    expect(rows()[0].textContent).toContain('OpenAI');
    expect(rows()[0].querySelector('[data-testid="provider-key-last4"]')?.textContent).toBe('••••a1b2');
    expect(rows()[1].textContent).toContain('Anthropic');
    expect(rows()[2].textContent).toContain('Google Gemini');
    const toggles = rows().map((row) => row.querySelector('button[role="switch"]')?.getAttribute('aria-checked'));
    expect(toggles).toEqual(['true', 'false', 'true']);
  });

  it('says when no keys were added here', async () => {
    await answer([]);
    await settle(() => expect(byTestId('provider-keys-empty')?.textContent).toContain('No keys have been added here'));
  });

  it('adds a key typed into a password field and never shows it again', async () => {
    await answer([]);
    byTestId('provider-key-add')?.click();
    await settle(() => expect(inDialog('provider-key-form')).not.toBeNull());
    const secret = inDialog<HTMLInputElement>('provider-key-secret');
    expect(secret.type).toBe('password');

    typeInto(inDialog<HTMLInputElement>('provider-key-label'), 'Production');
    typeInto(secret, 'sk short');
    inDialog('provider-key-submit').click();
    await harness.fixture.whenStable();
    apollo.expectNone('AddAiProviderKey');
    expect(overlay().textContent).toContain('at least 8 characters, no spaces');

    typeInto(secret, '  sk-live-0123456789a1b2 ');
    inDialog('provider-key-submit').click();
    const add = await vi.waitFor(() => apollo.expectOne('AddAiProviderKey'));
    expect(add.operation.variables).toEqual({
      input: { provider: 'openai', label: 'Production', apiKey: 'sk-live-0123456789a1b2' },
    });
    add.flushData({ addAiProviderKey: aProviderKey() });

    await answer();
    await settle(() => expect(rows()).toHaveLength(1));
    expect(root().textContent).not.toContain('sk-live-0123456789a1b2');
    expect(overlay().textContent).toContain('Key “Production” saved.');
  });

  it('disables a key, and puts the switch back when the server refuses', async () => {
    await answer();
    await settle(() => expect(rows()).toHaveLength(1));
    const toggle = () => rows()[0].querySelector('button[role="switch"]') as HTMLButtonElement;

    toggle().click();
    const refused = await vi.waitFor(() => apollo.expectOne('SetAiProviderKeyEnabled'));
    expect(refused.operation.variables).toEqual({ id: 'key-1', enabled: false });
    refused.graphqlErrors([{ message: 'Provider key not found', extensions: { code: 'NOT_FOUND' } }]);
    await settle(() => expect(toggle().getAttribute('aria-checked')).toBe('true'));
    expect(overlay().textContent).toContain('Provider key not found');

    toggle().click();
    (await vi.waitFor(() => apollo.expectOne('SetAiProviderKeyEnabled'))).flushData({
      setAiProviderKeyEnabled: aProviderKey({ enabled: false }),
    });
    await answer([aProviderKey({ enabled: false })]);
    await settle(() => expect(toggle().getAttribute('aria-checked')).toBe('false'));
  });

  it('deletes a key only after confirmation', async () => {
    await answer();
    await settle(() => expect(rows()).toHaveLength(1));

    byTestId('provider-key-delete')?.click();
    await settle(() => expect(overlay().textContent).toContain('Delete “Production”?'));
    expect(overlay().textContent).toContain('ending in a1b2');
    (overlay().querySelector('[data-testid="confirm-ok"]') as HTMLElement).click();

    const remove = await vi.waitFor(() => apollo.expectOne('DeleteAiProviderKey'));
    expect(remove.operation.variables).toEqual({ id: 'key-1' });
    remove.flushData({ deleteAiProviderKey: true });
    await answer([]);
    await settle(() => expect(rows()).toHaveLength(0));
  });
});
