import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';

import type { Role } from '../../core/auth/auth.types';
import { AuthStore } from '../../core/auth/auth.store';
import { ShellComponent } from './shell.component';

describe('ShellComponent', () => {
  let fixture: ComponentFixture<ShellComponent>;

  const el = (testId: string) =>
    fixture.nativeElement.querySelector(`[data-testid="${testId}"]`) as HTMLElement;

  beforeEach(async () => {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      imports: [ShellComponent, ApolloTestingModule],
      providers: [provideRouter([{ path: '**', children: [] }])],
    });
    TestBed.inject(AuthStore).signIn({
      accessToken: 'access-1',
      refreshToken: 'refresh-1',
      expiresIn: 900,
      user: { id: 'u1', email: 'ops@example.com', name: 'Ops Admin', roles: ['ADMIN'], emailVerified: true },
    });
    fixture = TestBed.createComponent(ShellComponent);
    await fixture.whenStable();
  });

  it('renders the product name and the twelve sections in order', () => {
    expect(fixture.nativeElement.querySelector('mat-toolbar').textContent).toContain('Smart AI Hub');
    const items = [
      ...fixture.nativeElement.querySelectorAll('[data-testid="nav-item"]'),
    ] as HTMLAnchorElement[];
    const part = (item: HTMLElement, selector: string) => item.querySelector(selector)?.textContent?.trim();
    expect(items.map((item) => part(item, '[matListItemTitle]'))).toEqual([
      'Dashboard',
      'Users',
      'Teams',
      'Credits',
      'Promo codes',
      'Payments',
      'Plans',
      'AI',
      'Media jobs',
      'Webhooks',
      'Failed mails',
      'Audit log',
    ]);
    expect(items.map((item) => part(item, 'mat-icon'))).toEqual([
      'dashboard',
      'group',
      'groups',
      'toll',
      'redeem',
      'payments',
      'workspace_premium',
      'smart_toy',
      'movie',
      'webhook',
      'unsubscribe',
      'manage_history',
    ]);
    expect(items.map((item) => item.getAttribute('href'))).toEqual([
      '/dashboard',
      '/users',
      '/teams',
      '/credits',
      '/promo-codes',
      '/payments',
      '/plans',
      '/ai',
      '/media-jobs',
      '/webhooks',
      '/failed-mails',
      '/audit-log',
    ]);
  });

  it('shows who is signed in', () => {
    expect(el('current-user').textContent).toContain('Ops Admin');
  });

  it('signs out: clears the session, tells the server and goes to /login', async () => {
    el('sign-out').click();

    const logout = await vi.waitFor(() => TestBed.inject(ApolloTestingController).expectOne('Logout'));
    expect(logout.operation.variables).toEqual({ refreshToken: 'refresh-1' });
    expect(TestBed.inject(AuthStore).isSignedIn()).toBe(false);
    await vi.waitFor(() => expect(TestBed.inject(Router).url).toBe('/login'));
  });
});

describe('ShellComponent for roles without administration rights', () => {
  async function renderAs(roles: Role[]): Promise<ComponentFixture<ShellComponent>> {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      imports: [ShellComponent, ApolloTestingModule],
      providers: [provideRouter([{ path: '**', children: [] }])],
    });
    TestBed.inject(AuthStore).signIn({
      accessToken: 'access-1',
      refreshToken: 'refresh-1',
      expiresIn: 900,
      user: { id: 'u2', email: 'mo@example.com', name: 'Mo', roles, emailVerified: true },
    });
    const fixture = TestBed.createComponent(ShellComponent);
    await fixture.whenStable();
    return fixture;
  }

  const navLabels = (fixture: ComponentFixture<ShellComponent>) =>
    [...fixture.nativeElement.querySelectorAll('[data-testid="nav-item"] [matListItemTitle]')].map((item) =>
      (item as HTMLElement).textContent?.trim(),
    );

  it('hides Users, Promo codes, Payments, Plans and Audit log from a manager, and names the role in the toolbar', async () => {
    const fixture = await renderAs(['MANAGER']);

    expect(navLabels(fixture)).toEqual(['Dashboard', 'Teams', 'Credits', 'AI', 'Media jobs', 'Webhooks']);
    expect(fixture.nativeElement.querySelector('[data-testid="current-role"]').textContent).toContain('Manager');
  });

  it('shows a user no Credits section: their credits are on My account', async () => {
    const fixture = await renderAs(['USER']);

    expect(navLabels(fixture)).toEqual(['Dashboard', 'Teams', 'AI', 'Media jobs', 'Webhooks']);
  });

  it('follows a role change reported by `me`', async () => {
    const fixture = await renderAs(['USER']);
    expect(navLabels(fixture)).not.toContain('Users');

    TestBed.inject(AuthStore).setUser({ id: 'u2', email: 'mo@example.com', name: 'Mo', roles: ['ADMIN'], emailVerified: true });
    await fixture.whenStable();

    expect(navLabels(fixture)).toContain('Users');
    expect(navLabels(fixture)).toContain('Payments');
    expect(navLabels(fixture)).toContain('Audit log');
  });

  it('links to My account from the user menu', async () => {
    const fixture = await renderAs(['USER']);

    (fixture.nativeElement.querySelector('[data-testid="user-menu"]') as HTMLElement).click();
    await fixture.whenStable();

    const link = document.querySelector('[data-testid="account-link"]') as HTMLAnchorElement;
    expect(link.getAttribute('href')).toBe('/account');
    expect(link.textContent).toContain('My account');
  });
});
