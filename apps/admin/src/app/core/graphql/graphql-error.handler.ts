import { inject, Injectable, Injector } from '@angular/core';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router } from '@angular/router';

import { AuthSession } from '../auth/auth-session.service';
import { AuthStore } from '../auth/auth.store';
import { toAppError } from './graphql-errors';

/**
 * App-wide reactions to failed operations, called from Apollo's error link. Pages still show
 * their own error state; this only handles what no single page can: an expired session.
 */
@Injectable({ providedIn: 'root' })
export class GraphQLErrorHandler {
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);
  private readonly snackBar = inject(MatSnackBar);
  // AuthSession needs Apollo, whose options factory needs this handler: resolve it on first use.
  private readonly injector = inject(Injector);

  handle(error: unknown): void {
    const { code, message } = toAppError(error);
    // Signed-out callers (e.g. a failed login) handle UNAUTHENTICATED themselves.
    if (code !== 'UNAUTHENTICATED' || !this.auth.isSignedIn()) return;
    this.snackBar.open(message, 'Dismiss', { duration: 8000 });
    void this.injector.get(AuthSession).signOut(this.router.url);
  }
}
