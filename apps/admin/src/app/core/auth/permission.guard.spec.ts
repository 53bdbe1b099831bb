import { TestBed } from '@angular/core/testing';
import {
  provideRouter,
  Router,
  UrlTree,
  type ActivatedRouteSnapshot,
  type RouterStateSnapshot,
} from '@angular/router';

import type { Role } from './auth.types';
import { AuthStore } from './auth.store';
import { requirePermission } from './permission.guard';

describe('requirePermission', () => {
  function runAs(roles: Role[]): boolean | UrlTree {
    TestBed.inject(AuthStore).signIn({
      accessToken: 'a',
      refreshToken: 'r',
      expiresIn: 900,
      user: { id: 'u1', email: 'u@example.com', name: 'U', roles, emailVerified: true },
    });
    return TestBed.runInInjectionContext(() =>
      requirePermission('users:manage')({} as ActivatedRouteSnapshot, {} as RouterStateSnapshot),
    ) as boolean | UrlTree;
  }

  beforeEach(() => {
    sessionStorage.clear();
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
  });

  it('lets roles with the permission through', () => {
    expect(runAs(['ADMIN'])).toBe(true);
  });

  it('sends roles without it to the dashboard', () => {
    const result = runAs(['MANAGER']);

    expect(result).toBeInstanceOf(UrlTree);
    expect(TestBed.inject(Router).serializeUrl(result as UrlTree)).toBe('/dashboard');
  });
});
