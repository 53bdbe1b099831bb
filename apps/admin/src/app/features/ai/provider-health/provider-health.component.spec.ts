import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';

import { aProviderChannel, aProviderHealth } from '../testing/ai-fixtures';
import { HEALTH_REFRESH_MS, ProviderHealthComponent } from './provider-health.component';

describe('ProviderHealthComponent', () => {
  let harness: RouterTestingHarness;
  let apollo: ApolloTestingController;

  const root = () => harness.routeNativeElement as HTMLElement;
  const card = (provider: string) => root().querySelector<HTMLElement>(`[data-testid="provider-health"][data-provider="${provider}"]`);
  const text = (parent: HTMLElement | null, id: string) =>
    parent?.querySelector(`[data-testid="${id}"]`)?.textContent?.replace(/\s+/g, ' ').trim();

  async function settle(assertion: () => void): Promise<void> {
    await vi.waitFor(async () => {
      await harness.fixture.whenStable();
      assertion();
    });
  }

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [ApolloTestingModule],
      providers: [provideRouter([{ path: 'ai/health', component: ProviderHealthComponent }])],
    });
  });

  async function open(): Promise<void> {
    apollo = TestBed.inject(ApolloTestingController);
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/ai/health', ProviderHealthComponent);
  }

  it('shows each provider’s circuit, error rate, latencies and whether it has a key', async () => {
    await open();
    const query = await vi.waitFor(() => apollo.expectOne('AiProviderHealth'));
    query.flushData({
      aiProviderHealth: [
        aProviderHealth(),
        aProviderHealth({
          provider: 'anthropic',
          circuit: 'open',
          consecutiveFailures: 5,
          calls: 0,
          errorRate: 1,
          p50LatencyMs: null,
          p95LatencyMs: null,
          keyConfigured: false,
        }),
      ],
    });

    await settle(() => expect(card('anthropic')).not.toBeNull());
    const openai = card('openai');
    expect(openai?.textContent).toContain('OpenAI');
    expect(text(openai, 'provider-circuit')).toBe('Circuit closed');
    expect(text(openai, 'provider-error-rate')).toBe('2.5%');
    expect(text(openai, 'provider-p50')).toBe('412 ms');
    expect(text(openai, 'provider-p95')).toBe('1,830 ms');
    expect(text(openai, 'provider-key')).toContain('An API key is configured');

    const anthropic = card('anthropic');
    expect(text(anthropic, 'provider-circuit')).toBe('Circuit open');
    expect(text(anthropic, 'provider-p50')).toBe('—');
    expect(text(anthropic, 'provider-failures')).toBe('5 failed in a row');
    expect(text(anthropic, 'provider-key')).toContain('No API key');
  });

  it('lists each provider’s channels in routing order, with circuit, figures, models and why calls skip one', async () => {
    await open();
    (await vi.waitFor(() => apollo.expectOne('AiProviderHealth'))).flushData({
      aiProviderHealth: [
        aProviderHealth({
          channels: [
            aProviderChannel({ priority: 5 }),
            aProviderChannel({ id: 'c-eu', name: 'Azure EU', configured: false, models: [{ modelId: 'gpt-4o' }, { modelId: 'gpt-4o-mini' }], health: { calls: 40, errorRate: 0, p50LatencyMs: 220 } }),
            aProviderChannel({ id: 'c-old', name: 'Old proxy', configured: false, enabled: false, priority: 1, models: [{ modelId: 'gpt-4o' }] }),
            aProviderChannel({
              id: 'c-backup',
              name: 'Backup',
              configured: false,
              weight: 3,
              models: [{ modelId: 'gpt-4o' }],
              health: { circuit: 'open', consecutiveFailures: 2, calls: 4, errorRate: 0.5, p50LatencyMs: null },
            }),
          ],
        }),
        aProviderHealth({ provider: 'anthropic', channels: [] }),
      ],
    });

    await settle(() => expect(card('openai')?.querySelectorAll('[data-testid="channel-row"]')).toHaveLength(4));
    const rows = [...(card('openai')?.querySelectorAll<HTMLElement>('[data-testid="channel-row"]') ?? [])];
    // Priority 0 first, the heavier weight ahead among equals; the configured channel (priority 5) last.
    expect(rows.map((row) => text(row, 'channel-name'))).toEqual(['Backup', 'Azure EU', 'Old proxy', 'OpenAI']);
    const [backup, eu, old, configured] = rows;

    expect(text(backup, 'channel-circuit')).toBe('Circuit open');
    expect(text(backup, 'channel-error-rate')).toBe('50%');
    expect(text(backup, 'channel-p50')).toBe('—');
    expect(text(backup, 'channel-calls')).toBe('4');
    expect(text(backup, 'channel-routing')).toBe('0 / 3');
    expect(text(backup, 'channel-skipped')).toBe('Circuit open: calls skip it until it cools down');

    expect(text(eu, 'channel-circuit')).toBe('Circuit closed');
    expect(text(eu, 'channel-enabled')).toBe('Enabled');
    expect(text(eu, 'channel-error-rate')).toBe('0%');
    expect(text(eu, 'channel-p50')).toBe('220 ms');
    expect(text(eu, 'channel-calls')).toBe('40');
    expect(text(eu, 'channel-models')).toBe('Models: gpt-4o, gpt-4o-mini');
    expect(eu?.querySelector('[data-testid="channel-skipped"]')).toBeNull();
    expect(eu?.querySelector('[data-testid="channel-configured"]')).toBeNull();

    expect(text(old, 'channel-enabled')).toBe('Disabled');
    expect(text(old, 'channel-routing')).toBe('1 / 1');
    expect(text(old, 'channel-skipped')).toBe('Disabled: calls skip it');

    expect(text(configured, 'channel-configured')).toBe('configured');
    expect(text(configured, 'channel-p50')).toBe('412 ms');
    expect(text(configured, 'channel-error-rate')).toBe('2.5%');
    expect(text(configured, 'channel-calls')).toBe('120');
    expect(text(configured, 'channel-models')).toBe('Models: Every OpenAI model no channel lists');

    expect(text(card('anthropic'), 'channels-empty')).toBe('No channel serves its models.');
  });

  it('explains a failed load and loads again on retry', async () => {
    await open();
    (await vi.waitFor(() => apollo.expectOne('AiProviderHealth'))).graphqlErrors([
      { message: 'You do not have permission to do that.', extensions: { code: 'FORBIDDEN' } },
    ]);
    await settle(() => expect(root().querySelector('[data-testid="error-state"]')?.textContent).toContain('permission'));

    (root().querySelector('[data-testid="error-retry"]') as HTMLElement).click();
    (await vi.waitFor(() => apollo.expectOne('AiProviderHealth'))).flushData({ aiProviderHealth: [aProviderHealth()] });
    await settle(() => expect(card('openai')).not.toBeNull());
  });

  it('refreshes on its own while open', async () => {
    TestBed.overrideProvider(HEALTH_REFRESH_MS, { useValue: 200 });
    await open();
    (await vi.waitFor(() => apollo.expectOne('AiProviderHealth'))).flushData({ aiProviderHealth: [aProviderHealth()] });
    await settle(() => expect(text(card('openai'), 'provider-circuit')).toBe('Circuit closed'));

    (await vi.waitFor(() => apollo.expectOne('AiProviderHealth'))).flushData({
      aiProviderHealth: [aProviderHealth({ circuit: 'half_open' })],
    });
    await settle(() => expect(text(card('openai'), 'provider-circuit')).toBe('Circuit half-open'));
  });
});
