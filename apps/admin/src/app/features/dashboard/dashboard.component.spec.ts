import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';

import type { DashboardData } from './data-access/dashboard.api';
import { DashboardComponent } from './dashboard.component';

const PERSONAL: DashboardData['dashboard']['personal'] = {
  balance: { balance: 1249.5, reserved: 0, available: 1249.5 },
  forecast: { daysUntilEmpty: 149.6, averageDailySpend: 8.35, windowDays: 30 },
  usageThisMonth: { requests: 5, errors: 1, inputTokens: 40, outputTokens: 80, credits: 4 },
  recentCalls: [{ id: 'c1', at: '2026-12-04T10:00:00Z', channel: 'openai', model: 'gpt-4o-mini', status: 'ok', credits: 1, latencyMs: 100 }],
};
const DAY = { requests: 5, errors: 1, errorRate: 0.2, p95LatencyMs: 385 };
const BUSINESS: NonNullable<DashboardData['dashboard']['business']> = {
  users: { total: 3, newThisWeek: 2, activeToday: 2, recentSignUps: [{ id: 'u1', email: 'alice@example.com', name: 'Alice', role: 'USER', createdAt: '2026-12-04T09:00:00Z' }] },
  credits: { sold: 3500, spent: 350.5, outstanding: 4188.5, daily: [{ day: '2026-12-04', sold: 1500, spent: 250.5, outstanding: 4188.5 }] },
  revenue: { windowDays: 30, note: 'By credit package: subscription plans do not exist yet.', byPackage: [{ packageCode: 'pro', packageName: 'Pro', currency: 'usd', amount: '80.00', payments: 1 }] },
  ai: {
    today: { ...DAY, inputTokens: 40, outputTokens: 80 },
    daily: [{ day: '2026-12-04', ...DAY }],
    channels: [{ channel: 'openai', requests: 4, errors: 1, errorRate: 0.25 }],
    providers: [{ provider: 'openai', circuit: 'closed', keyConfigured: true, errorRate: 0, calls: 0 }],
  },
  queues: [{ name: 'media-image', waiting: 2, active: 1, delayed: 0, failed: 0, oldestWaitingSeconds: 3, reachable: true }],
  largeTransactions: [{ id: 't1', type: 'PURCHASE', userId: 'u1', amount: 1500, createdAt: '2026-12-04T09:30:00Z' }],
};

describe('DashboardComponent', () => {
  let fixture: ComponentFixture<DashboardComponent>;
  let apollo: ApolloTestingController;
  const el = () => fixture.nativeElement as HTMLElement;
  const text = (testId: string) => el().querySelector(`[data-testid="${testId}"]`)?.textContent?.replace(/\s+/g, ' ').trim();
  /** A row's two sides (its child elements' texts). */
  const sides = (testId: string) =>
    [...(el().querySelector(`[data-testid="${testId}"]`)?.children ?? [])].map((child) => child.textContent?.replace(/\s+/g, ' ').trim());

  async function settle(assertion: () => void): Promise<void> {
    await vi.waitFor(async () => {
      await fixture.whenStable();
      assertion();
    });
  }

  beforeEach(async () => {
    TestBed.configureTestingModule({ imports: [DashboardComponent, ApolloTestingModule], providers: [provideRouter([])] });
    apollo = TestBed.inject(ApolloTestingController);
    fixture = TestBed.createComponent(DashboardComponent);
    await fixture.whenStable();
  });

  it('shows staff the hub’s tiles, each linking to its page, and both charts', async () => {
    (await vi.waitFor(() => apollo.expectOne('Dashboard'))).flushData({ dashboard: { business: BUSINESS, personal: PERSONAL }, mediaJobs: { items: [] } });
    await settle(() => {
      expect(text('users-total')).toBe('3');
      expect(text('credits-outstanding')).toBe('4,188.5');
      expect(text('ai-error-rate')).toBe('20%');
      expect(text('ai-p95')).toBe('385 ms');
      expect(sides('revenue-row')).toEqual(['Pro × 1', '80.00 USD']);
      expect(el().querySelector('[data-testid="personal-view"]')).toBeNull();
    });
    const links = [...el().querySelectorAll('.tile__title a')].map((a) => a.getAttribute('href'));
    expect(links).toEqual(['/users', '/credits', '/ai/usage', '/payments', '/ai/health', '/media-jobs', '/users', '/credits']);
    expect(el().querySelectorAll('sah-bar-chart svg[role="img"]').length).toBe(2);
    expect(el().querySelector('sah-bar-chart table')?.textContent).toContain('2026-12-04');
  });

  it('shows everyone else their own account, and no business tiles', async () => {
    (await vi.waitFor(() => apollo.expectOne('Dashboard'))).flushData({
      dashboard: { business: null, personal: PERSONAL },
      mediaJobs: { items: [{ id: 'j1', kind: 'IMAGE', status: 'SUCCEEDED', model: 'gpt-image-1', credits: 2, createdAt: '2026-12-04T08:00:00Z' }] },
    });
    await settle(() => {
      expect(text('my-balance')).toBe('1,249.5');
      expect(text('my-forecast')).toBe('150 days');
      expect(text('my-requests')).toBe('5');
      expect(sides('job-row')).toEqual(['image · gpt-image-1', 'succeeded']);
      expect(el().querySelector('[data-testid="business-view"]')).toBeNull();
    });
  });

  it('shows the error with a retry when the query fails', async () => {
    (await vi.waitFor(() => apollo.expectOne('Dashboard'))).graphqlErrors([{ message: 'Database unavailable', extensions: { code: 'INTERNAL' } }]);
    await settle(() => expect(text('error-state')).toContain('Database unavailable'));
  });
});
