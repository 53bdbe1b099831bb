import { inject, Injectable } from '@angular/core';
import { Apollo } from 'apollo-angular';
import { map, type Observable } from 'rxjs';

import {
  DeleteMyAccountDocument,
  type DeleteMyAccountInput,
  ProcessAccountDeletionDocument,
  UserDeletionDocument,
} from '../../../core/graphql/operations.generated';
import { requireData } from '../../../core/graphql/require-data';

/**
 * Account deletion: the caller's own (it stops working at once and is erased after the grace period),
 * and an administrator's view of someone's, with erasure at once.
 */
@Injectable({ providedIn: 'root' })
export class AccountDeletionApi {
  private readonly apollo = inject(Apollo);

  /** Resolves with when the account is erased unless its owner signs in before then. */
  deleteMyAccount(proof: DeleteMyAccountInput): Observable<string> {
    return this.apollo.mutate({ mutation: DeleteMyAccountDocument, variables: { input: proof } }).pipe(
      requireData(),
      map((data) => data.deleteMyAccount.deleteAfter),
    );
  }

  /** When the user's account is to be erased (an ISO date), or null when they have not asked. */
  scheduledFor(userId: string): Observable<string | null> {
    return this.apollo
      .query({ query: UserDeletionDocument, variables: { id: userId }, fetchPolicy: 'network-only' })
      .pipe(
        requireData(),
        map((data) => data.user.deletionScheduledFor ?? null),
      );
  }

  /** Erases an account whose owner asked for deletion, without waiting for the grace period (audited). */
  processNow(userId: string): Observable<boolean> {
    return this.apollo.mutate({ mutation: ProcessAccountDeletionDocument, variables: { userId } }).pipe(
      requireData(),
      map((data) => data.processAccountDeletion),
    );
  }
}
