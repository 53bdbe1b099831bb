import { inject, Injectable } from '@angular/core';
import { Apollo } from 'apollo-angular';
import { map, type Observable } from 'rxjs';

import {
  ConfirmTwoFactorDocument,
  type ConfirmTwoFactorMutation,
  DisableTwoFactorDocument,
  type DisableTwoFactorInput,
  EnrolTwoFactorDocument,
  type EnrolTwoFactorMutation,
  MyTwoFactorDocument,
  ResetUserTwoFactorDocument,
  UserTwoFactorDocument,
} from '../../../core/graphql/operations.generated';
import { requireData } from '../../../core/graphql/require-data';

export type TwoFactorEnrolment = EnrolTwoFactorMutation['enrolTwoFactor'];
export type TwoFactorConfirmation = ConfirmTwoFactorMutation['confirmTwoFactor'];

/** Two-factor sign-in (TOTP): the caller's own factor, and administrators' reset of someone's. */
@Injectable({ providedIn: 'root' })
export class TwoFactorApi {
  private readonly apollo = inject(Apollo);

  myStatus(): Observable<boolean> {
    return this.apollo.query({ query: MyTwoFactorDocument, fetchPolicy: 'network-only' }).pipe(
      requireData(),
      map((data) => data.me.twoFactorEnabled),
    );
  }

  /** Signed in, or with the ENROL challenge of a sign-in that policy stopped. */
  enrol(challengeToken?: string): Observable<TwoFactorEnrolment> {
    return this.apollo.mutate({ mutation: EnrolTwoFactorDocument, variables: { challengeToken } }).pipe(
      requireData(),
      map((data) => data.enrolTwoFactor),
    );
  }

  confirm(code: string, challengeToken?: string): Observable<TwoFactorConfirmation> {
    return this.apollo
      .mutate({ mutation: ConfirmTwoFactorDocument, variables: { input: { code, challengeToken } } })
      .pipe(
        requireData(),
        map((data) => data.confirmTwoFactor),
      );
  }

  disable(proof: DisableTwoFactorInput): Observable<boolean> {
    return this.apollo.mutate({ mutation: DisableTwoFactorDocument, variables: { input: proof } }).pipe(
      requireData(),
      map((data) => data.disableTwoFactor),
    );
  }

  userStatus(id: string): Observable<boolean> {
    return this.apollo
      .query({ query: UserTwoFactorDocument, variables: { id }, fetchPolicy: 'network-only' })
      .pipe(
        requireData(),
        map((data) => data.user.twoFactorEnabled),
      );
  }

  reset(userId: string): Observable<boolean> {
    return this.apollo.mutate({ mutation: ResetUserTwoFactorDocument, variables: { userId } }).pipe(
      requireData(),
      map((data) => data.resetUserTwoFactor.twoFactorEnabled),
    );
  }
}
