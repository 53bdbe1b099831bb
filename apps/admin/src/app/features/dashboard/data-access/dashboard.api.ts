import { inject, Injectable } from '@angular/core';
import { Apollo } from 'apollo-angular';
import type { Observable } from 'rxjs';

import { DashboardDocument, type DashboardQuery } from '../../../core/graphql/operations.generated';
import { requireData } from '../../../core/graphql/require-data';

export type DashboardData = DashboardQuery;
/** The whole hub's figures: present for staff only. */
export type BusinessFigures = NonNullable<DashboardQuery['dashboard']['business']>;
export type PersonalFigures = DashboardQuery['dashboard']['personal'];

/** Data access for the first page: one operation, whatever the caller's role. */
@Injectable({ providedIn: 'root' })
export class DashboardApi {
  private readonly apollo = inject(Apollo);

  load(): Observable<DashboardData> {
    return this.apollo.query({ query: DashboardDocument, fetchPolicy: 'network-only' }).pipe(requireData());
  }
}
