import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';

import { SystemStatusComponent } from './system-status.component';

describe('SystemStatusComponent', () => {
  let fixture: ComponentFixture<SystemStatusComponent>;
  let apollo: ApolloTestingController;

  const text = (testId: string) =>
    (
      fixture.nativeElement.querySelector(`[data-testid="${testId}"]`) as HTMLElement | null
    )?.textContent?.trim();

  async function settle(assertion: () => void): Promise<void> {
    await vi.waitFor(async () => {
      await fixture.whenStable();
      assertion();
    });
  }

  beforeEach(async () => {
    TestBed.configureTestingModule({ imports: [SystemStatusComponent, ApolloTestingModule] });
    apollo = TestBed.inject(ApolloTestingController);
    fixture = TestBed.createComponent(SystemStatusComponent);
    await fixture.whenStable();
  });

  it('shows the API version and health, then follows live health changes', async () => {
    expect(fixture.nativeElement.querySelectorAll('mat-progress-spinner').length).toBe(2);

    (await vi.waitFor(() => apollo.expectOne('Version'))).flushData({ version: '0.1.0' });
    (await vi.waitFor(() => apollo.expectOne('Health'))).flushData({
      health: { status: 'ok', checks: { database: 'up', redis: 'up' } },
    });
    await settle(() => {
      expect(text('api-version')).toBe('0.1.0');
      expect(text('health-status')).toContain('ok');
    });

    (await vi.waitFor(() => apollo.expectOne('HealthChanged'))).flushData({
      healthChanged: { status: 'degraded', checks: { database: 'up', redis: 'down' } },
    });
    await settle(() => {
      expect(text('health-status')).toContain('degraded');
      expect(text('check-redis')).toBe('down');
    });
  });

  it('shows the error when a query fails, and keeps health when only live updates fail', async () => {
    (await vi.waitFor(() => apollo.expectOne('Version'))).graphqlErrors([
      { message: 'You do not have permission to do that.', extensions: { code: 'FORBIDDEN' } },
    ]);
    (await vi.waitFor(() => apollo.expectOne('Health'))).flushData({
      health: { status: 'ok', checks: { database: 'up', redis: 'up' } },
    });
    (await vi.waitFor(() => apollo.expectOne('HealthChanged'))).graphqlErrors([
      { message: 'Subscriptions are not allowed', extensions: { code: 'FORBIDDEN' } },
    ]);

    await settle(() => {
      expect(text('version-card')).toContain('You do not have permission to do that.');
      expect(text('health-status')).toContain('ok');
      expect(text('live-status')).toContain('Live updates unavailable: Subscriptions are not allowed');
    });
  });
});
