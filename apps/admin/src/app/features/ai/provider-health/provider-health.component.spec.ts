import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';

import { aProviderHealth } from '../testing/ai-fixtures';
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
