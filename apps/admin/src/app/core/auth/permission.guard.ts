import { inject } from '@angular/core';
import { Router, type CanActivateFn } from '@angular/router';
import type { Permission } from '@sah/domain';

import { AuthStore } from './auth.store';

/**
 * For child routes of the signed-in shell (authGuard has run): pages the caller's role cannot use
 * send them to the dashboard instead of showing a page full of FORBIDDEN errors.
 */
export function requirePermission(permission: Permission): CanActivateFn {
  return () => inject(AuthStore).can(permission) || inject(Router).createUrlTree(['/dashboard']);
}
