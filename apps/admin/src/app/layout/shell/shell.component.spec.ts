import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';

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

  it('renders the product name and the seven sections in order', () => {
    expect(fixture.nativeElement.querySelector('mat-toolbar').textContent).toContain('Smart AI Hub');
    const items = [
      ...fixture.nativeElement.querySelectorAll('[data-testid="nav-item"]'),
    ] as HTMLAnchorElement[];
    const part = (item: HTMLElement, selector: string) => item.querySelector(selector)?.textContent?.trim();
    expect(items.map((item) => part(item, '[matListItemTitle]'))).toEqual([
      'Dashboard',
      'Users',
      'Credits',
      'AI',
      'Media jobs',
      'Webhooks',
      'Audit log',
    ]);
    expect(items.map((item) => part(item, 'mat-icon'))).toEqual([
      'dashboard',
      'group',
      'toll',
      'smart_toy',
      'movie',
      'webhook',
      'manage_history',
    ]);
    expect(items.map((item) => item.getAttribute('href'))).toEqual([
      '/dashboard',
      '/users',
      '/credits',
      '/ai',
      '/media-jobs',
      '/webhooks',
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
