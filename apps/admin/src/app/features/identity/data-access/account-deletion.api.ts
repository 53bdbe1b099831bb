import { inject, Injectable } from '@angular/core';
import { Apollo } from 'apollo-angular';
import { map, type Observable } from 'rxjs';

import { DeleteMyAccountDocument, type DeleteMyAccountInput } from '../../../core/graphql/operations.generated';
import { requireData } from '../../../core/graphql/require-data';

/** The caller's own account deletion: it stops working at once and is erased after the grace period. */
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
}
