import { TestBed } from '@angular/core/testing';
import {
  provideRouter,
  Router,
  UrlTree,
  type ActivatedRouteSnapshot,
  type RouterStateSnapshot,
} from '@angular/router';
import { ApolloTestingModule } from 'apollo-angular/testing';
import { of, throwError } from 'rxjs';

import { AuthApi } from './auth.api';
import { authGuard } from './auth.guard';
import type { AuthPayload, SessionPayload } from './auth.types';
import { AuthStore } from './auth.store';

const payload: AuthPayload & SessionPayload = {
  accessToken: 'access-1',
  refreshToken: 'refresh-1',
  expiresIn: 900,
  user: { id: 'u1', email: 'admin@example.com', name: 'Admin', roles: ['SUPER_ADMIN'], emailVerified: true },
  twoFactor: null,
};

describe('authGuard', () => {
  let refresh: ReturnType<typeof vi.fn>;

  beforeEach(() => {
    sessionStorage.clear();
    refresh = vi.fn(() => throwError(() => new Error('refresh token expired')));
    TestBed.configureTestingModule({
      imports: [ApolloTestingModule],
      providers: [
        provideRouter([]),
        // A resumed session also loads `me`; the guard only cares about the refresh.
        { provide: AuthApi, useValue: { refresh, me: () => of(payload.user) } },
      ],
    });
  });

  const runGuard = (url: string) =>
    TestBed.runInInjectionContext(() =>
      authGuard({} as ActivatedRouteSnapshot, { url } as RouterStateSnapshot),
    ) as Promise<boolean | UrlTree>;

  const serialize = (result: boolean | UrlTree) =>
    result instanceof UrlTree ? TestBed.inject(Router).serializeUrl(result) : result;

  it('redirects to /login with the requested URL as returnUrl when signed out', async () => {
    expect(serialize(await runGuard('/users?page=2'))).toBe('/login?returnUrl=%2Fusers%3Fpage%3D2');
    expect(refresh).not.toHaveBeenCalled();
  });

  it('lets a signed-in user through without contacting the server', async () => {
    TestBed.inject(AuthStore).signIn(payload);

    expect(await runGuard('/users')).toBe(true);
    expect(refresh).not.toHaveBeenCalled();
  });

  it('resumes the session from the stored refresh token after a reload', async () => {
    sessionStorage.setItem('sah.refreshToken', 'refresh-0');
    refresh.mockReturnValue(of(payload));

    expect(await runGuard('/credits')).toBe(true);
    expect(refresh).toHaveBeenCalledWith('refresh-0');
    expect(TestBed.inject(AuthStore).accessToken()).toBe('access-1');
  });

  it('redirects and forgets the refresh token when it is rejected', async () => {
    sessionStorage.setItem('sah.refreshToken', 'refresh-0');

    expect(serialize(await runGuard('/credits'))).toBe('/login?returnUrl=%2Fcredits');
    expect(sessionStorage.getItem('sah.refreshToken')).toBeNull();
  });
});
