import { inject, Injectable } from '@angular/core';
import { Apollo } from 'apollo-angular';
import { map, type Observable } from 'rxjs';

import {
  RevokeOtherSignInSessionsDocument,
  RevokeSignInSessionDocument,
  SignInSessionsDocument,
  type SignInSessionsQuery,
} from '../../../core/graphql/operations.generated';
import { requireData } from '../../../core/graphql/require-data';

export type SignInSession = SignInSessionsQuery['signInSessions'][number];

/** The caller's own sign-in sessions (browsers and apps signed in to the account), and signing them out. */
@Injectable({ providedIn: 'root' })
export class SignInSessionsApi {
  private readonly apollo = inject(Apollo);

  list(): Observable<readonly SignInSession[]> {
    // no-cache: a shrinking list would otherwise trip Apollo's "cache data may be lost" merge warning.
    return this.apollo.query({ query: SignInSessionsDocument, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.signInSessions),
    );
  }

  revoke(id: string): Observable<boolean> {
    return this.apollo.mutate({ mutation: RevokeSignInSessionDocument, variables: { id } }).pipe(
      requireData(),
      map((data) => data.revokeSignInSession),
    );
  }

  /** Every session but this one; how many were signed out. */
  revokeOthers(): Observable<number> {
    return this.apollo.mutate({ mutation: RevokeOtherSignInSessionsDocument }).pipe(
      requireData(),
      map((data) => data.revokeOtherSignInSessions),
    );
  }
}
