import type { RouterTestingHarness } from '@angular/router/testing';
import type { ApolloTestingController } from 'apollo-angular/testing';

import { openListPage } from '../../../shared/testing/routed-list-page';
import { routedPage, typeInto } from '../../../shared/testing/routed-page';
import { aChannel, aModel, aProviderKey } from '../testing/ai-fixtures';
import { ChannelsComponent, testOutcome } from './channels.component';

describe('ChannelsComponent', () => {
  let harness: RouterTestingHarness;
  let apollo: ApolloTestingController;
  openListPage('ai/channels', ChannelsComponent, (page) => ({ harness, apollo } = page));

  const { byTestId, rows, settle, inDialog, overlay } = routedPage(() => harness, 'channel-row');
  const CONFIGURED = aChannel({ id: 'channel-0', name: 'openai (configured)', baseUrl: null, configured: true, models: [], health: { circuit: 'open', calls: 3, errorRate: 1 } });

  async function answer(channels = [CONFIGURED, aChannel()]): Promise<void> {
    (await vi.waitFor(() => apollo.expectOne('AiChannels'))).flushData({ aiChannels: channels });
    await harness.fixture.whenStable();
  }
  const row = (name: string) => rows().find((candidate) => candidate.dataset['name'] === name) as HTMLElement;
  const inRow = (name: string, testId: string) => row(name).querySelector<HTMLElement>(`[data-testid="${testId}"]`);

  it('lists channels with their protocol, address, models, routing and circuit; the configured one cannot be deleted', async () => {
    await answer();
    await settle(() => expect(rows().map((candidate) => candidate.dataset['name'])).toEqual(['openai (configured)', 'Azure EU']));
    expect(row('openai (configured)').textContent).toContain('From the configuration');
    expect(row('openai (configured)').textContent).toContain('Every model no channel lists');
    expect(inRow('openai (configured)', 'channel-circuit')?.textContent).toContain('Circuit open');
    expect(inRow('openai (configured)', 'channel-delete')).toBeNull();
    expect(inRow('openai (configured)', 'channel-add-key')).toBeNull();
    expect(row('Azure EU').textContent).toContain('https://eu.example.com/v1');
    expect(row('Azure EU').textContent).toContain('gpt-4o');
    expect(row('Azure EU').textContent).toContain('0 / 1');
    expect(inRow('Azure EU', 'channel-delete')?.getAttribute('aria-label')).toBe('Delete “Azure EU”');
    expect(inRow('Azure EU', 'channel-enabled')?.querySelector('button[role="switch"]')?.getAttribute('aria-label')).toBe('Disable Azure EU');
  });

  it('creates a channel serving models of its protocol, with a first key', async () => {
    await answer([]);
    byTestId('channel-new')?.click();
    (await vi.waitFor(() => apollo.expectOne('AiModels'))).flushData({
      aiModels: [aModel(), aModel({ id: 'claude-sonnet', provider: 'anthropic' })],
    });
    await settle(() => expect(inDialog('channel-form')).not.toBeNull());

    typeInto(inDialog<HTMLInputElement>('channel-name'), ' Azure EU ');
    typeInto(inDialog<HTMLInputElement>('channel-base-url'), 'https://eu.example.com/v1');
    inDialog('channel-models').click();
    // Only the protocol's models are offered.
    await settle(() => expect(overlay().querySelectorAll('mat-option')).toHaveLength(1));
    (overlay().querySelector('mat-option') as HTMLElement).click();
    typeInto(inDialog<HTMLInputElement>('channel-priority'), '5');
    typeInto(inDialog<HTMLInputElement>('channel-api-key'), 'sk-eu-0123456789');
    inDialog('channel-submit').click();

    const create = await vi.waitFor(() => apollo.expectOne('CreateAiChannel'));
    expect(create.operation.variables).toEqual({
      input: {
        name: 'Azure EU',
        protocol: 'openai',
        baseUrl: 'https://eu.example.com/v1',
        models: [{ modelId: 'gpt-4o' }],
        priority: 5,
        weight: 1,
        keys: [{ label: 'Azure EU', apiKey: 'sk-eu-0123456789' }],
      },
    });
    create.flushData({ createAiChannel: aChannel({ priority: 5 }) });
    await answer([aChannel({ priority: 5 })]);
    await settle(() => expect(rows()).toHaveLength(1));
    expect(overlay().textContent).toContain('Channel “Azure EU” created.');
  });

  it("shows the API's refusal of an address in the dialog", async () => {
    await answer([]);
    byTestId('channel-new')?.click();
    (await vi.waitFor(() => apollo.expectOne('AiModels'))).flushData({ aiModels: [aModel()] });
    await settle(() => expect(inDialog('channel-form')).not.toBeNull());
    typeInto(inDialog<HTMLInputElement>('channel-name'), 'Local');
    typeInto(inDialog<HTMLInputElement>('channel-base-url'), 'https://10.0.0.5/v1');
    inDialog('channel-models').click();
    await settle(() => expect(overlay().querySelector('mat-option')).not.toBeNull());
    (overlay().querySelector('mat-option') as HTMLElement).click();
    inDialog('channel-submit').click();
    (await vi.waitFor(() => apollo.expectOne('CreateAiChannel'))).graphqlErrors([
      { message: 'The base URL resolves to a private address', extensions: { code: 'BAD_USER_INPUT', details: { reason: 'UNSAFE_ADDRESS' } } },
    ]);
    await settle(() => expect(inDialog('channel-error')?.textContent).toContain('private address'));
  });

  it('edits a channel: only what changed is sent, and a model it kept keeps its own name and prices', async () => {
    const served = aChannel({ models: [{ modelId: 'gpt-4o', upstreamModel: 'gpt-4o-eu', inputPricePer1k: 1, outputPricePer1k: 2 }] });
    await answer([served]);
    await settle(() => expect(rows()).toHaveLength(1));
    inRow('Azure EU', 'channel-edit')?.click();
    (await vi.waitFor(() => apollo.expectOne('AiModels'))).flushData({ aiModels: [aModel(), aModel({ id: 'gpt-4o-mini' })] });
    await settle(() => expect(overlay().textContent).toContain('Edit Azure EU'));
    expect(overlay().querySelector('[data-testid="channel-protocol"]')).toBeNull();
    expect(overlay().querySelector('[data-testid="channel-api-key"]')).toBeNull();

    inDialog('channel-models').click();
    await settle(() => expect(overlay().querySelectorAll('mat-option')).toHaveLength(2));
    (overlay().querySelectorAll('mat-option')[1] as HTMLElement).click();
    typeInto(inDialog<HTMLInputElement>('channel-weight'), '3');
    inDialog('channel-submit').click();

    const update = await vi.waitFor(() => apollo.expectOne('UpdateAiChannel'));
    expect(update.operation.variables).toEqual({
      input: {
        id: 'channel-1',
        models: [
          { modelId: 'gpt-4o', upstreamModel: 'gpt-4o-eu', inputPricePer1k: 1, outputPricePer1k: 2 },
          { modelId: 'gpt-4o-mini' },
        ],
        weight: 3,
      },
    });
    update.flushData({ updateAiChannel: aChannel({ weight: 3 }) });
    await answer([aChannel({ weight: 3 })]);
    await settle(() => expect(overlay().textContent).toContain('“Azure EU” saved.'));
  });

  it("edits a configured channel's name and routing only", async () => {
    await answer([CONFIGURED]);
    await settle(() => expect(rows()).toHaveLength(1));
    inRow('openai (configured)', 'channel-edit')?.click();
    (await vi.waitFor(() => apollo.expectOne('AiModels'))).flushData({ aiModels: [aModel()] });
    await settle(() => expect(inDialog('channel-form')).not.toBeNull());
    expect(overlay().querySelector('[data-testid="channel-base-url"]')).toBeNull();
    expect(overlay().querySelector('[data-testid="channel-models"]')).toBeNull();
    typeInto(inDialog<HTMLInputElement>('channel-priority'), '10');
    inDialog('channel-submit').click();
    const update = await vi.waitFor(() => apollo.expectOne('UpdateAiChannel'));
    expect(update.operation.variables).toEqual({ input: { id: 'channel-0', priority: 10 } });
  });

  it('tests a connection and says what it found', async () => {
    await answer();
    await settle(() => expect(rows()).toHaveLength(2));
    inRow('Azure EU', 'channel-test')?.click();
    const test = await vi.waitFor(() => apollo.expectOne('TestAiChannel'));
    expect(test.operation.variables).toEqual({ id: 'channel-1' });
    test.flushData({ testAiChannel: { __typename: 'AiChannelTest', ok: false, status: 401, latencyMs: 87, message: 'The key was refused' } });
    await settle(() => expect(overlay().textContent).toContain('Azure EU: not reachable (HTTP 401, 87 ms). The key was refused'));
    expect(testOutcome({ name: 'x' }, { ok: true, status: null, latencyMs: 3, message: '' })).toBe('x: reachable (no answer, 3 ms). ');
  });

  it('adds a key to a channel', async () => {
    await answer();
    await settle(() => expect(rows()).toHaveLength(2));
    inRow('Azure EU', 'channel-add-key')?.click();
    await settle(() => expect(overlay().textContent).toContain('Add a key to Azure EU'));
    expect(overlay().querySelector('[data-testid="provider-key-provider"]')).toBeNull();
    typeInto(inDialog<HTMLInputElement>('provider-key-label'), 'Second');
    typeInto(inDialog<HTMLInputElement>('provider-key-secret'), 'sk-eu-second-0001');
    inDialog('provider-key-submit').click();
    const add = await vi.waitFor(() => apollo.expectOne('AddAiChannelKey'));
    expect(add.operation.variables).toEqual({ input: { channelId: 'channel-1', label: 'Second', apiKey: 'sk-eu-second-0001' } });
    add.flushData({ addAiChannelKey: aProviderKey({ label: 'Second' }) });
    await answer();
    await settle(() => expect(overlay().textContent).toContain('Key “Second” added to Azure EU.'));
  });

  it('disables a channel, and puts the switch back when the server refuses', async () => {
    await answer([aChannel()]);
    await settle(() => expect(rows()).toHaveLength(1));
    const toggle = () => rows()[0].querySelector('button[role="switch"]') as HTMLButtonElement;
    toggle().click();
    const refused = await vi.waitFor(() => apollo.expectOne('SetAiChannelEnabled'));
    expect(refused.operation.variables).toEqual({ id: 'channel-1', enabled: false });
    refused.graphqlErrors([{ message: 'Channel not found', extensions: { code: 'NOT_FOUND' } }]);
    await settle(() => expect(toggle().getAttribute('aria-checked')).toBe('true'));
    expect(overlay().textContent).toContain('Channel not found');
  });
});
