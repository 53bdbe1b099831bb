import { inject, Injectable } from '@angular/core';
import { Router } from '@angular/router';
import { Apollo } from 'apollo-angular';
import { firstValueFrom, tap, type Observable } from 'rxjs';

import { AuthApi } from './auth.api';
import type { AuthPayload } from './auth.models';
import { AuthStore } from './auth.store';

/** Sign-in, resume and sign-out flows: AuthApi for the server side, AuthStore for the state. */
@Injectable({ providedIn: 'root' })
export class AuthSession {
  private readonly api = inject(AuthApi);
  private readonly store = inject(AuthStore);
  private readonly router = inject(Router);
  private readonly apollo = inject(Apollo);
  private resuming: Promise<boolean> | null = null;

  signIn(email: string, password: string): Observable<AuthPayload> {
    return this.api.login(email, password).pipe(tap((payload) => this.store.signIn(payload)));
  }

  /**
   * Resolves true when a session exists or could be resumed with the stored refresh token.
   * Concurrent callers (several guards on one navigation) share one refresh request.
   */
  ensureSignedIn(): Promise<boolean> {
    if (this.store.isSignedIn()) return Promise.resolve(true);
    const refreshToken = this.store.refreshToken;
    if (!refreshToken) return Promise.resolve(false);
    this.resuming ??= firstValueFrom(this.api.refresh(refreshToken))
      .then((payload) => {
        this.store.signIn(payload);
        return true;
      })
      .catch(() => {
        this.store.clear();
        return false;
      })
      .finally(() => (this.resuming = null));
    return this.resuming;
  }

  /** Ends the session locally at once; telling the server is best effort. */
  async signOut(returnUrl?: string): Promise<void> {
    const accessToken = this.store.accessToken();
    if (accessToken) {
      this.api.logout(accessToken, this.store.refreshToken).subscribe({ error: () => undefined });
    }
    this.store.clear();
    await this.apollo.client.clearStore();
    await this.router.navigate(['/login'], returnUrl ? { queryParams: { returnUrl } } : {});
  }
}
