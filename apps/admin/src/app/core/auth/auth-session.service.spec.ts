import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { ApolloTestingModule } from 'apollo-angular/testing';
import { firstValueFrom, NEVER, of, Subject, type Observable } from 'rxjs';

import { AuthSession, refreshDelayMs } from './auth-session.service';
import { AuthApi } from './auth.api';
import type { AuthPayload, CurrentUser } from './auth.types';
import { AuthStore } from './auth.store';

const user: CurrentUser = {
  id: 'u1',
  email: 'admin@example.com',
  name: 'Admin',
  roles: ['ADMIN'],
  emailVerified: true,
};

const payload = (n: number, expiresIn = 900): AuthPayload => ({
  accessToken: `access-${n}`,
  refreshToken: `refresh-${n}`,
  expiresIn,
  user,
  twoFactor: null,
});

/**
 * A strict fake of the API port: each refresh call gets its own Subject so a test decides when and
 * how the server answers, and which token it was asked to rotate.
 */
class FakeAuthApi {
  readonly refreshCalls: { token: string; reply: Subject<AuthPayload> }[] = [];
  readonly logoutCalls: { accessToken: string; refreshToken: string | null }[] = [];
  me: () => Observable<CurrentUser> = () => NEVER;

  login(): Observable<AuthPayload> {
    return of(payload(1));
  }

  refresh(token: string): Observable<AuthPayload> {
    const reply = new Subject<AuthPayload>();
    this.refreshCalls.push({ token, reply });
    return reply;
  }

  logout(accessToken: string, refreshToken: string | null): Observable<unknown> {
    this.logoutCalls.push({ accessToken, refreshToken });
    return of(true);
  }
}

describe('AuthSession', () => {
  let api: FakeAuthApi;
  let session: AuthSession;
  let store: AuthStore;

  beforeEach(() => {
    vi.useFakeTimers();
    sessionStorage.clear();
    api = new FakeAuthApi();
    TestBed.configureTestingModule({
      imports: [ApolloTestingModule],
      providers: [provideRouter([{ path: '**', children: [] }]), { provide: AuthApi, useValue: api }],
    });
    session = TestBed.inject(AuthSession);
    store = TestBed.inject(AuthStore);
  });

  afterEach(() => {
    TestBed.resetTestingModule();
    vi.useRealTimers();
  });

  const answer = (call: number, reply: AuthPayload) => {
    api.refreshCalls[call].reply.next(reply);
    api.refreshCalls[call].reply.complete();
  };

  describe('refreshDelayMs', () => {
    it('renews a minute before a 15-minute token expires', () => {
      expect(refreshDelayMs(900)).toBe(840_000);
    });

    it('keeps a fifth of the lifetime as margin for short tokens, and never goes below 5 seconds', () => {
      expect(refreshDelayMs(100)).toBe(80_000);
      expect(refreshDelayMs(2)).toBe(5_000);
    });
  });

  it('renews shortly before the access token expires and stores the rotated refresh token', async () => {
    await firstValueFrom(session.signIn('admin@example.com', 'pw'));
    expect(sessionStorage.getItem('sah.refreshToken')).toBe('refresh-1');

    await vi.advanceTimersByTimeAsync(839_000);
    expect(api.refreshCalls).toHaveLength(0);

    await vi.advanceTimersByTimeAsync(1_000);
    expect(api.refreshCalls.map((call) => call.token)).toEqual(['refresh-1']);

    answer(0, payload(2));
    await vi.advanceTimersByTimeAsync(0);
    expect(store.accessToken()).toBe('access-2');
    expect(sessionStorage.getItem('sah.refreshToken')).toBe('refresh-2');

    // The next renewal uses the rotated token: the old one is dead on the server.
    await vi.advanceTimersByTimeAsync(840_000);
    expect(api.refreshCalls.map((call) => call.token)).toEqual(['refresh-1', 'refresh-2']);
  });

  it('follows the lifetime the server returns with each rotation', async () => {
    await firstValueFrom(session.signIn('admin@example.com', 'pw'));
    await vi.advanceTimersByTimeAsync(840_000);
    answer(0, payload(2, 100));

    await vi.advanceTimersByTimeAsync(79_000);
    expect(api.refreshCalls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(api.refreshCalls).toHaveLength(2);
  });

  it('signs out to /login when a renewal fails', async () => {
    const router = TestBed.inject(Router);
    await router.navigateByUrl('/users?page=2');
    await firstValueFrom(session.signIn('admin@example.com', 'pw'));

    await vi.advanceTimersByTimeAsync(840_000);
    api.refreshCalls[0].reply.error(new Error('Http failure response for /graphql: 0 Unknown Error'));
    await vi.advanceTimersByTimeAsync(0);

    expect(store.isSignedIn()).toBe(false);
    expect(sessionStorage.getItem('sah.refreshToken')).toBeNull();
    expect(router.url).toBe('/login?returnUrl=%2Fusers%3Fpage%3D2');
    // No further attempts once signed out.
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(api.refreshCalls).toHaveLength(1);
  });

  it('signing out tells the server with the current refresh token and stops renewing', async () => {
    await firstValueFrom(session.signIn('admin@example.com', 'pw'));

    await session.signOut();

    expect(api.logoutCalls).toEqual([{ accessToken: 'access-1', refreshToken: 'refresh-1' }]);
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(api.refreshCalls).toHaveLength(0);
  });

  it('loads `me` after sign-in and keeps the profile it returns', async () => {
    const me = new Subject<CurrentUser>();
    api.me = () => me;
    await firstValueFrom(session.signIn('admin@example.com', 'pw'));
    expect(store.user()?.name).toBe('Admin');

    me.next({ ...user, name: 'Ada Admin', roles: ['SUPER_ADMIN'] });

    expect(store.user()?.name).toBe('Ada Admin');
    expect(store.role()).toBe('SUPER_ADMIN');
  });

  it('resumes on start from the stored refresh token, then keeps renewing', async () => {
    sessionStorage.setItem('sah.refreshToken', 'refresh-0');
    const resumed = session.ensureSignedIn();
    // A guard asking meanwhile shares the same request: one token, one rotation.
    const again = session.ensureSignedIn();
    expect(api.refreshCalls.map((call) => call.token)).toEqual(['refresh-0']);

    answer(0, payload(1));
    await expect(resumed).resolves.toBe(true);
    await expect(again).resolves.toBe(true);
    expect(sessionStorage.getItem('sah.refreshToken')).toBe('refresh-1');

    await vi.advanceTimersByTimeAsync(840_000);
    expect(api.refreshCalls.map((call) => call.token)).toEqual(['refresh-0', 'refresh-1']);
  });

  it('forgets a refresh token the server rejects on start', async () => {
    sessionStorage.setItem('sah.refreshToken', 'refresh-0');
    const resumed = session.ensureSignedIn();
    api.refreshCalls[0].reply.error(new Error('Invalid refresh token'));

    await expect(resumed).resolves.toBe(false);
    expect(sessionStorage.getItem('sah.refreshToken')).toBeNull();
    expect(store.isSignedIn()).toBe(false);
  });
});
