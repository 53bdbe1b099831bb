import { OverlayContainer } from '@angular/cdk/overlay';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { By } from '@angular/platform-browser';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { ApolloTestingController, ApolloTestingModule, type TestOperation } from 'apollo-angular/testing';
import { BaseChartDirective } from 'ng2-charts';

import type { Role } from '../../../core/auth/auth.types';
import { RuntimeConfigStore } from '../../../core/config/runtime-config';
import { aUser } from '../../identity/testing/identity-fixtures';
import type { UsageFilter } from '../data-access/ai.types';
import { FALLBACK_CHART_COLORS } from '../ui/chart-colors';
import { aUsageRow, aUsageSummary, signInAs, someFigures } from '../testing/ai-fixtures';
import { dailyChart } from './usage-charts';
import { BREAKDOWNS, toUsageView } from './usage-filter';
import { UsageComponent } from './usage.component';

describe('usage filter and charts', () => {
  const now = new Date('2026-03-20T22:30:00Z');

  it('defaults to the last 30 UTC days, today included, sent as [from, to)', () => {
    expect(toUsageView({}, now, BREAKDOWNS)).toEqual({
      fromDay: '2026-02-19',
      toDay: '2026-03-20',
      breakdown: 'MODEL',
      from: '2026-02-19T00:00:00.000Z',
      to: '2026-03-21T00:00:00.000Z',
    });
  });

  it('takes a valid range and breakdown from the URL, and keeps at most 366 days', () => {
    expect(toUsageView({ from: '2026-03-01', to: '2026-03-03', by: 'team' }, now, BREAKDOWNS)).toMatchObject({
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-03-04T00:00:00.000Z',
      breakdown: 'TEAM',
    });
    expect(toUsageView({ from: '2020-01-01', to: '2026-03-03' }, now, BREAKDOWNS).fromDay).toBe('2025-03-03');
    expect(toUsageView({ from: '2026-03-05', to: '2026-03-01' }, now, BREAKDOWNS).fromDay).toBe('2026-02-19');
    expect(toUsageView({ from: '2026-02-30', to: '2026-03-01' }, now, BREAKDOWNS).fromDay).toBe('2026-02-19');
    expect(toUsageView({ by: 'user' }, now, ['MODEL', 'PROVIDER']).breakdown).toBe('MODEL');
  });

  it('draws every day of the range, days without calls as zero', () => {
    const chart = dailyChart(
      [aUsageRow('2026-03-01', { credits: 4.5, requests: 3 }), aUsageRow('2026-03-03', { credits: 0.125, requests: 1 })],
      { fromDay: '2026-02-28', toDay: '2026-03-03' },
      FALLBACK_CHART_COLORS,
      String,
    );
    expect(chart.data.labels).toEqual(['2026-02-28', '2026-03-01', '2026-03-02', '2026-03-03']);
    expect(chart.data.datasets.map((dataset) => [dataset.label, dataset.data])).toEqual([
      ['Credits', [0, 4.5, 0, 0.125]],
      ['Requests', [0, 3, 0, 1]],
    ]);
  });
});

describe('UsageComponent', () => {
  let harness: RouterTestingHarness;
  let apollo: ApolloTestingController;

  const root = () => harness.routeNativeElement as HTMLElement;
  const byTestId = (id: string) => root().querySelector<HTMLElement>(`[data-testid="${id}"]`);
  const rows = () => [...root().querySelectorAll<HTMLElement>('[data-testid="usage-row"]')];
  const overlay = () => TestBed.inject(OverlayContainer).getContainerElement();
  const charts = () =>
    harness.fixture.debugElement.queryAll(By.directive(BaseChartDirective)).map((el) => el.injector.get(BaseChartDirective));

  async function settle(assertion: () => void): Promise<void> {
    await vi.waitFor(async () => {
      await harness.fixture.whenStable();
      assertion();
    });
  }

  /** The page asks twice: per day, and for the breakdown. */
  async function summaries(): Promise<{ daily: TestOperation; breakdown: TestOperation }> {
    const operations = await vi.waitFor(() => {
      const found = apollo.match('UsageSummary');
      if (found.length !== 2) throw new Error(`expected 2 UsageSummary queries, found ${found.length}`);
      return found;
    });
    const groupOf = (op: TestOperation) => (op.operation.variables['filter'] as UsageFilter).groupBy;
    return {
      daily: operations.find((op) => groupOf(op) === 'DAY') as TestOperation,
      breakdown: operations.find((op) => groupOf(op) !== 'DAY') as TestOperation,
    };
  }

  async function open(url: string, roles: Role[] = ['USER']): Promise<void> {
    signInAs(roles);
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(url, UsageComponent);
  }

  beforeEach(() => {
    sessionStorage.clear();
    // jsdom cannot draw; the charts' data is checked on the directive instead.
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
    TestBed.configureTestingModule({
      imports: [ApolloTestingModule],
      providers: [
        provideRouter([{ path: 'ai/usage', component: UsageComponent }], withComponentInputBinding()),
        provideHttpClient(),
        provideHttpClientTesting(),
        {
          provide: RuntimeConfigStore,
          useValue: { config: { graphqlUrl: 'http://api.test/graphql', graphqlWsUrl: 'ws://api.test/graphql' } },
        },
      ],
    });
    apollo = TestBed.inject(ApolloTestingController);
  });

  afterEach(() => vi.restoreAllMocks());

  it('shows totals, a daily chart and the breakdown by model for the chosen days', async () => {
    await open('/ai/usage?from=2026-03-01&to=2026-03-03');
    const { daily, breakdown } = await summaries();
    const range = { from: '2026-03-01T00:00:00.000Z', to: '2026-03-04T00:00:00.000Z' };
    expect(daily.operation.variables).toEqual({ filter: { ...range, groupBy: 'DAY' } });
    expect(breakdown.operation.variables).toEqual({ filter: { ...range, groupBy: 'MODEL' } });

    daily.flushData({
      usageSummary: aUsageSummary(
        [aUsageRow('2026-03-01', { credits: 40, requests: 10 }), aUsageRow('2026-03-03', { credits: 3.25, requests: 2 })],
        { groupBy: 'DAY' },
      ),
    });
    breakdown.flushData({
      usageSummary: aUsageSummary([aUsageRow('gpt-4o', { credits: 42.125 }), aUsageRow('claude-sonnet-4-6', { credits: 1.125 })]),
    });

    await settle(() => expect(rows().map((row) => row.dataset['key'])).toEqual(['gpt-4o', 'claude-sonnet-4-6']));
    expect(byTestId('usage-total-requests')?.textContent?.trim()).toBe('12');
    expect(byTestId('usage-total-credits')?.textContent?.trim()).toBe('43.25');
    expect(byTestId('usage-total-error-rate')?.textContent?.trim()).toBe('8.3%');
    expect(rows()[0].querySelector('[data-testid="usage-row-credits"]')?.textContent?.trim()).toBe('42.125');
    expect(byTestId('usage-scope')?.textContent).toBe('Your calls');

    const [perDay, perModel] = charts();
    expect(perDay.data?.labels).toEqual(['2026-03-01', '2026-03-02', '2026-03-03']);
    expect(perDay.data?.datasets[0].data).toEqual([40, 0, 3.25]);
    expect(perDay.data?.datasets[1].data).toEqual([10, 0, 2]);
    expect(perModel.data?.labels).toEqual(['gpt-4o', 'claude-sonnet-4-6']);
    expect(perModel.data?.datasets[0].data).toEqual([42.125, 1.125]);
  });

  it('says so when there were no calls, and offers a retry when loading fails', async () => {
    await open('/ai/usage');
    const { daily, breakdown } = await summaries();
    daily.flushData({ usageSummary: aUsageSummary([], { groupBy: 'DAY', totals: someFigures({ requests: 0, credits: 0 }) }) });
    breakdown.graphqlErrors([{ message: 'The period may span at most 366 days', extensions: { code: 'BAD_USER_INPUT' } }]);

    await settle(() => expect(byTestId('usage-empty')?.textContent).toContain('No AI calls in this period'));
    expect(byTestId('error-state')?.textContent).toContain('at most 366 days');
    expect(charts()).toHaveLength(0);

    (byTestId('error-retry') as HTMLElement).click();
    const retried = await vi.waitFor(() => apollo.expectOne('UsageSummary'));
    expect((retried.operation.variables['filter'] as UsageFilter).groupBy).toBe('MODEL');
  });

  it('offers per-user and per-team breakdowns only to those who see others’ calls', async () => {
    await open('/ai/usage?by=user');
    const { breakdown } = await summaries();
    expect((breakdown.operation.variables['filter'] as UsageFilter).groupBy).toBe('MODEL');
  });

  it('names providers', async () => {
    await open('/ai/usage?by=provider');
    const { daily, breakdown } = await summaries();
    daily.flushData({ usageSummary: aUsageSummary([], { groupBy: 'DAY' }) });
    breakdown.flushData({ usageSummary: aUsageSummary([aUsageRow('openai'), aUsageRow('anthropic')], { groupBy: 'PROVIDER' }) });

    await settle(() => expect(rows().map((row) => row.querySelector('td')?.textContent?.trim())).toEqual(['OpenAI', 'Anthropic']));
    expect(charts()[1].data?.labels).toEqual(['OpenAI', 'Anthropic']);
  });

  it('names users for administrators, linking to them', async () => {
    await open('/ai/usage?by=user', ['ADMIN']);
    const { daily, breakdown } = await summaries();
    expect((breakdown.operation.variables['filter'] as UsageFilter).groupBy).toBe('USER');
    daily.flushData({ usageSummary: aUsageSummary([], { groupBy: 'DAY' }) });
    breakdown.flushData({ usageSummary: aUsageSummary([aUsageRow('u2'), aUsageRow('u3')], { groupBy: 'USER' }) });

    const lookups = await vi.waitFor(() => {
      const found = apollo.match('User');
      if (found.length !== 2) throw new Error('expected two user lookups');
      return found;
    });
    lookups[0].flushData({ user: aUser({ id: 'u2', email: 'ann@example.com' }) });
    lookups[1].graphqlErrors([{ message: 'User not found', extensions: { code: 'NOT_FOUND' } }]);

    await settle(() => expect(rows()[0].textContent).toContain('ann@example.com'));
    expect(rows()[0].querySelector('a')?.getAttribute('href')).toBe('/users/u2');
    expect(rows()[1].textContent).toContain('u3');
    expect(byTestId('usage-scope')?.textContent).toBe('Everyone’s calls');
  });

  it('downloads the breakdown as CSV with the bearer token', async () => {
    Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:usage'), revokeObjectURL: vi.fn() });
    const downloads: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      downloads.push(this.download);
    });
    try {
      await open('/ai/usage?from=2026-03-01&to=2026-03-31&by=provider', ['MANAGER']);
      await summaries();

      byTestId('usage-export')?.click();
      await settle(() => expect(overlay().querySelector('[data-testid="usage-export-provider"]')).not.toBeNull());
      (overlay().querySelector('[data-testid="usage-export-provider"]') as HTMLElement).click();

      const request = TestBed.inject(HttpTestingController).expectOne(
        (req) => req.url === 'http://api.test/api/v1/ai/usage.csv',
      );
      expect(request.request.headers.get('Authorization')).toBe('Bearer access-1');
      const params = request.request.params;
      expect(params.keys().map((key) => [key, params.get(key)])).toEqual([
        ['groupBy', 'PROVIDER'],
        ['from', '2026-03-01T00:00:00.000Z'],
        ['to', '2026-04-01T00:00:00.000Z'],
      ]);
      request.flush(new Blob(['provider,requests\n'], { type: 'text/csv' }), {
        headers: { 'Content-Disposition': 'attachment; filename="ai-usage-provider-2026-03-01-2026-04-01.csv"' },
      });
      await vi.waitFor(() => expect(downloads).toEqual(['ai-usage-provider-2026-03-01-2026-04-01.csv']));
    } finally {
      delete (URL as { createObjectURL?: unknown }).createObjectURL;
      delete (URL as { revokeObjectURL?: unknown }).revokeObjectURL;
    }
  });
});
