import { inject } from '@angular/core';
import { Router, type CanActivateFn } from '@angular/router';

import { AuthSession } from './auth-session.service';

/** Lets signed-in users through; everyone else goes to /login and comes back afterwards. */
export const authGuard: CanActivateFn = async (_route, state) => {
  const session = inject(AuthSession);
  const router = inject(Router);
  if (await session.ensureSignedIn()) return true;
  return router.createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });
};
