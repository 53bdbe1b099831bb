import { inject, Injectable } from '@angular/core';
import { Apollo } from 'apollo-angular';
import { map, type Observable } from 'rxjs';

import {
  FailedMailsDocument,
  RetryFailedMailDocument,
  type FailedMailFieldsFragment,
} from '../../../core/graphql/operations.generated';
import { requireData } from '../../../core/graphql/require-data';

export type FailedMail = FailedMailFieldsFragment;

/** The dead-letter list of outgoing mail: always fetched fresh, since the queue changes under the page. */
@Injectable({ providedIn: 'root' })
export class MailApi {
  private readonly apollo = inject(Apollo);

  failedMails(): Observable<readonly FailedMail[]> {
    return this.apollo.query({ query: FailedMailsDocument, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.failedMails),
    );
  }

  /** Queues the mail again with fresh attempts; it is rendered anew, so a code or link in it is fresh too. */
  retry(id: string): Observable<FailedMail> {
    return this.apollo.mutate({ mutation: RetryFailedMailDocument, variables: { id }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.retryFailedMail),
    );
  }
}
