import { HttpHeaders } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Apollo } from 'apollo-angular';
import { map, type Observable } from 'rxjs';

import {
  CompleteTwoFactorSignInDocument,
  ExchangeSignInCodeDocument,
  LoginDocument,
  LogoutDocument,
  MeDocument,
  RefreshTokenDocument,
} from '../graphql/operations.generated';
import { requireData } from '../graphql/require-data';
import type { AuthPayload, CurrentUser } from './auth.types';

/** Identity-context operations the shell itself needs (sign in, resume, sign out). */
@Injectable({ providedIn: 'root' })
export class AuthApi {
  private readonly apollo = inject(Apollo);

  login(email: string, password: string): Observable<AuthPayload> {
    return this.apollo.mutate({ mutation: LoginDocument, variables: { input: { email, password } } }).pipe(
      requireData(),
      map((data) => data.login),
    );
  }

  /** After Google sign-in the API hands the console a one-time code, never tokens in a URL. */
  exchangeSignInCode(code: string): Observable<AuthPayload> {
    return this.apollo.mutate({ mutation: ExchangeSignInCodeDocument, variables: { code } }).pipe(
      requireData(),
      map((data) => data.exchangeSignInCode),
    );
  }

  /** The second step of a sign-in: the challenge of `login` (or of a Google code) and a TOTP or recovery code. */
  completeTwoFactorSignIn(challengeToken: string, code: string): Observable<AuthPayload> {
    return this.apollo
      .mutate({ mutation: CompleteTwoFactorSignInDocument, variables: { input: { challengeToken, code } } })
      .pipe(
        requireData(),
        map((data) => data.completeTwoFactorSignIn),
      );
  }

  refresh(refreshToken: string): Observable<AuthPayload> {
    return this.apollo.mutate({ mutation: RefreshTokenDocument, variables: { refreshToken } }).pipe(
      requireData(),
      map((data) => data.refreshToken),
    );
  }

  me(): Observable<CurrentUser> {
    return this.apollo.query({ query: MeDocument, fetchPolicy: 'network-only' }).pipe(
      requireData(),
      map((data) => data.me),
    );
  }

  /** Takes the access token explicitly: the caller clears the session before this request is sent. */
  logout(accessToken: string, refreshToken: string | null): Observable<unknown> {
    return this.apollo.mutate({
      mutation: LogoutDocument,
      variables: { refreshToken },
      context: { headers: new HttpHeaders({ Authorization: `Bearer ${accessToken}` }) },
    });
  }
}
