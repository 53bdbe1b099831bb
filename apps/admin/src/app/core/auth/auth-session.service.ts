import { DestroyRef, inject, Injectable } from '@angular/core';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router } from '@angular/router';
import { Apollo } from 'apollo-angular';
import { firstValueFrom, map, type Observable } from 'rxjs';

import { AuthApi } from './auth.api';
import { hasSession, type AuthPayload, type SessionPayload, type TwoFactorChallenge } from './auth.types';
import { AuthStore } from './auth.store';

/** Renew this long before the access token expires, at most (a fifth of its life for short ones). */
const REFRESH_LEAD_SECONDS = 60;
/** Never renew more often than this, whatever the server says. */
const MIN_REFRESH_DELAY_MS = 5_000;
/** setTimeout's limit; longer delays would fire at once. */
const MAX_TIMER_DELAY_MS = 2_147_483_647;

/** When to renew an access token that expires in `expiresIn` seconds. */
export function refreshDelayMs(expiresIn: number): number {
  const lead = Math.min(REFRESH_LEAD_SECONDS, expiresIn / 5);
  return Math.min(MAX_TIMER_DELAY_MS, Math.max(MIN_REFRESH_DELAY_MS, (expiresIn - lead) * 1000));
}

/**
 * Sign-in, resume, silent renewal and sign-out: AuthApi for the server side, AuthStore for the state.
 * Refresh tokens rotate: every renewal stores the new one, the old one is dead from then on.
 */
@Injectable({ providedIn: 'root' })
export class AuthSession {
  private readonly api = inject(AuthApi);
  private readonly store = inject(AuthStore);
  private readonly router = inject(Router);
  private readonly apollo = inject(Apollo);
  private readonly snackBar = inject(MatSnackBar);
  private rotating: Promise<boolean> | null = null;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    inject(DestroyRef).onDestroy(() => this.cancelRenewal());
  }

  /** Signs in, or emits the two-factor challenge that stands before the session (null: signed in). */
  signIn(email: string, password: string): Observable<TwoFactorChallenge | null> {
    return this.api.login(email, password).pipe(map((payload) => this.beginOrChallenge(payload)));
  }

  signInWithCode(code: string): Observable<TwoFactorChallenge | null> {
    return this.api.exchangeSignInCode(code).pipe(map((payload) => this.beginOrChallenge(payload)));
  }

  completeTwoFactorSignIn(challengeToken: string, code: string): Observable<TwoFactorChallenge | null> {
    return this.api.completeTwoFactorSignIn(challengeToken, code).pipe(map((payload) => this.beginOrChallenge(payload)));
  }

  /** Tokens from elsewhere (e.g. an enrolment that completed a sign-in). */
  beginSession(payload: SessionPayload): void {
    this.begin(payload);
  }

  /**
   * Resolves true when a session exists or could be resumed with the stored refresh token (after a
   * reload). Concurrent callers (app start, several guards on one navigation) share one request.
   */
  async ensureSignedIn(): Promise<boolean> {
    if (this.store.isSignedIn()) return true;
    const resumed = await this.rotate();
    if (!resumed && !this.store.isSignedIn()) this.store.clear();
    return resumed;
  }

  /** Ends the session locally at once; telling the server is best effort. */
  async signOut(returnUrl?: string): Promise<void> {
    this.cancelRenewal();
    const accessToken = this.store.accessToken();
    if (accessToken) {
      this.api.logout(accessToken, this.store.refreshToken).subscribe({ error: () => undefined });
    }
    this.store.clear();
    await this.apollo.client.clearStore();
    await this.router.navigate(['/login'], returnUrl ? { queryParams: { returnUrl } } : {});
  }

  private beginOrChallenge(payload: AuthPayload): TwoFactorChallenge | null {
    if (payload.twoFactor) return payload.twoFactor;
    if (!hasSession(payload)) throw new Error('The server returned neither a session nor a two-factor challenge');
    this.begin(payload);
    return null;
  }

  private begin(payload: SessionPayload): void {
    const newAccount = this.store.user()?.id !== payload.user.id;
    this.store.signIn(payload);
    this.scheduleRenewal(payload.expiresIn);
    // The payload's user is enough to render; `me` confirms the new token works and has the
    // server's current view of the account. Renewals carry the same account, no need to ask again.
    if (newAccount) this.loadProfile();
  }

  /** Trades the stored refresh token for a new pair; one request at a time. */
  private rotate(): Promise<boolean> {
    const refreshToken = this.store.refreshToken;
    if (!refreshToken) return Promise.resolve(false);
    this.rotating ??= firstValueFrom(this.api.refresh(refreshToken))
      .then((payload) => {
        if (!hasSession(payload)) return false;
        this.begin(payload);
        return true;
      })
      .catch(() => false)
      .finally(() => (this.rotating = null));
    return this.rotating;
  }

  private scheduleRenewal(expiresIn: number): void {
    this.cancelRenewal();
    this.refreshTimer = setTimeout(() => void this.renew(), refreshDelayMs(expiresIn));
  }

  private cancelRenewal(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
  }

  private async renew(): Promise<void> {
    this.refreshTimer = undefined;
    if (!this.store.isSignedIn() || (await this.rotate())) return;
    // A rejected token already signed us out through the GraphQL error handler; anything else
    // (network, server error) leaves a session that will die with its access token: end it now.
    if (!this.store.isSignedIn()) return;
    this.snackBar.open('Your session could not be renewed. Please sign in again.', 'Dismiss', { duration: 8000 });
    await this.signOut(this.router.url);
  }

  private loadProfile(): void {
    this.api.me().subscribe({ next: (user) => this.store.setUser(user), error: () => undefined });
  }
}
