import { computed, Injectable, signal } from '@angular/core';
import type { Permission } from '@sah/domain';

import type { CurrentUser, SessionPayload } from './auth.types';
import { hasPermission, highestRole } from './roles';

const REFRESH_TOKEN_KEY = 'sah.refreshToken';

interface Session {
  readonly accessToken: string;
  readonly user: CurrentUser;
}

/**
 * Who is signed in. The access token lives only in memory (never readable by a later page);
 * the refresh token is kept in sessionStorage so a reload in the same tab can resume the session
 * and closing the tab ends it. Pure state: talking to the API is AuthSession's job.
 */
@Injectable({ providedIn: 'root' })
export class AuthStore {
  private readonly session = signal<Session | null>(null);

  readonly user = computed(() => this.session()?.user ?? null);
  readonly accessToken = computed(() => this.session()?.accessToken ?? null);
  readonly isSignedIn = computed(() => this.session() !== null);
  readonly role = computed(() => highestRole(this.user()?.roles ?? []));

  get refreshToken(): string | null {
    return sessionStorage.getItem(REFRESH_TOKEN_KEY);
  }

  /** Also used for every rotation: the new refresh token replaces the old one, which is now dead. */
  signIn(payload: SessionPayload): void {
    sessionStorage.setItem(REFRESH_TOKEN_KEY, payload.refreshToken);
    this.session.set({ accessToken: payload.accessToken, user: payload.user });
  }

  /** Replaces the profile (e.g. with `me`) if it still describes the signed-in account. */
  setUser(user: CurrentUser): void {
    this.session.update((session) => (session && session.user.id === user.id ? { ...session, user } : session));
  }

  /** Reactive when read inside a computed or template. */
  can(permission: Permission): boolean {
    return hasPermission(this.user()?.roles ?? [], permission);
  }

  clear(): void {
    sessionStorage.removeItem(REFRESH_TOKEN_KEY);
    this.session.set(null);
  }
}
