import { inject, Injectable } from '@angular/core';
import { Apollo } from 'apollo-angular';
import { map, type Observable } from 'rxjs';

import {
  CancelMediaJobDocument,
  MediaJobDocument,
  MediaJobsDocument,
  MediaJobUpdatedDocument,
  MediaModelsDocument,
  UpdateMediaModelDocument,
} from '../../../core/graphql/operations.generated';
import { requireData } from '../../../core/graphql/require-data';
import type { Page } from '../../../shared/data/page';
import type { MediaJob, MediaJobsListFilter, MediaModel, UpdateMediaModelInput } from './media.types';

/**
 * Data access for the media context: jobs (scoped by the API: your own, admins everyone's), their
 * changes as they happen (graphql-ws), and the media models with their prices. Fetched fresh: a job's
 * result link is signed for a short while, and statuses change under the page.
 */
@Injectable({ providedIn: 'root' })
export class MediaApi {
  private readonly apollo = inject(Apollo);

  jobs({ page, perPage, ...filter }: MediaJobsListFilter): Observable<Page<MediaJob>> {
    return this.apollo
      .query({ query: MediaJobsDocument, variables: { filter, page, perPage }, fetchPolicy: 'no-cache' })
      .pipe(
        requireData(),
        map((data) => data.mediaJobs),
      );
  }

  job(id: string): Observable<MediaJob> {
    return this.apollo.query({ query: MediaJobDocument, variables: { id }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.mediaJob),
    );
  }

  /** Every status change of the jobs the caller may see, for as long as it is subscribed. */
  updates(): Observable<MediaJob> {
    return this.apollo.subscribe({ query: MediaJobUpdatedDocument, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.mediaJobUpdated),
    );
  }

  cancel(id: string): Observable<MediaJob> {
    return this.apollo.mutate({ mutation: CancelMediaJobDocument, variables: { id }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.cancelMediaJob),
    );
  }

  models(): Observable<readonly MediaModel[]> {
    return this.apollo.query({ query: MediaModelsDocument, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.mediaModels),
    );
  }

  updateModel(input: UpdateMediaModelInput): Observable<MediaModel> {
    return this.apollo
      .mutate({ mutation: UpdateMediaModelDocument, variables: { input }, fetchPolicy: 'no-cache' })
      .pipe(
        requireData(),
        map((data) => data.updateMediaModel),
      );
  }
}
