import { HttpHeaders } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { TypedDocumentNode } from '@apollo/client';
import { Apollo, gql } from 'apollo-angular';
import { map, type Observable } from 'rxjs';

import { requireData } from '../graphql/require-data';
import type { AuthPayload, CurrentUser } from './auth.models';

const CURRENT_USER = gql`
  fragment CurrentUserFields on User {
    id
    email
    name
    roles
    emailVerified
  }
`;

const AUTH_PAYLOAD = gql`
  fragment AuthPayloadFields on AuthPayload {
    accessToken
    refreshToken
    expiresIn
    user {
      ...CurrentUserFields
    }
  }
  ${CURRENT_USER}
`;

const ME: TypedDocumentNode<{ me: CurrentUser }, Record<string, never>> = gql`
  query Me {
    me {
      ...CurrentUserFields
    }
  }
  ${CURRENT_USER}
`;

const LOGIN: TypedDocumentNode<{ login: AuthPayload }, { input: { email: string; password: string } }> = gql`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      ...AuthPayloadFields
    }
  }
  ${AUTH_PAYLOAD}
`;

const EXCHANGE_SIGN_IN_CODE: TypedDocumentNode<{ exchangeSignInCode: AuthPayload }, { code: string }> = gql`
  mutation ExchangeSignInCode($code: String!) {
    exchangeSignInCode(code: $code) {
      ...AuthPayloadFields
    }
  }
  ${AUTH_PAYLOAD}
`;

const REFRESH: TypedDocumentNode<{ refreshToken: AuthPayload }, { refreshToken: string }> = gql`
  mutation RefreshToken($refreshToken: String!) {
    refreshToken(refreshToken: $refreshToken) {
      ...AuthPayloadFields
    }
  }
  ${AUTH_PAYLOAD}
`;

const LOGOUT: TypedDocumentNode<{ logout: unknown }, { refreshToken: string | null }> = gql`
  mutation Logout($refreshToken: String) {
    logout(refreshToken: $refreshToken)
  }
`;

/** Identity-context operations the shell itself needs (sign in, resume, sign out). */
@Injectable({ providedIn: 'root' })
export class AuthApi {
  private readonly apollo = inject(Apollo);

  login(email: string, password: string): Observable<AuthPayload> {
    return this.apollo.mutate({ mutation: LOGIN, variables: { input: { email, password } } }).pipe(
      requireData(),
      map((data) => data.login),
    );
  }

  /** After Google sign-in the API hands the console a one-time code, never tokens in a URL. */
  exchangeSignInCode(code: string): Observable<AuthPayload> {
    return this.apollo.mutate({ mutation: EXCHANGE_SIGN_IN_CODE, variables: { code } }).pipe(
      requireData(),
      map((data) => data.exchangeSignInCode),
    );
  }

  refresh(refreshToken: string): Observable<AuthPayload> {
    return this.apollo.mutate({ mutation: REFRESH, variables: { refreshToken } }).pipe(
      requireData(),
      map((data) => data.refreshToken),
    );
  }

  me(): Observable<CurrentUser> {
    return this.apollo.query({ query: ME, fetchPolicy: 'network-only' }).pipe(
      requireData(),
      map((data) => data.me),
    );
  }

  /** Takes the access token explicitly: the caller clears the session before this request is sent. */
  logout(accessToken: string, refreshToken: string | null): Observable<unknown> {
    return this.apollo.mutate({
      mutation: LOGOUT,
      variables: { refreshToken },
      context: { headers: new HttpHeaders({ Authorization: `Bearer ${accessToken}` }) },
    });
  }
}
