import { inject, Injectable } from '@angular/core';
import { Apollo } from 'apollo-angular';
import { map, type Observable } from 'rxjs';

import {
  HealthChangedDocument,
  HealthDocument,
  type HealthQuery,
  VersionDocument,
} from '../../../core/graphql/operations.generated';
import { requireData } from '../../../core/graphql/require-data';

/** `status` is "ok" when every dependency is up; each check is "up" or "down". */
export type SystemHealth = HealthQuery['health'];

/** Data access for the API's own status: version, health and live health changes. */
@Injectable({ providedIn: 'root' })
export class SystemApi {
  private readonly apollo = inject(Apollo);

  version(): Observable<string> {
    return this.apollo.query({ query: VersionDocument, fetchPolicy: 'network-only' }).pipe(
      requireData(),
      map((data) => data.version),
    );
  }

  health(): Observable<SystemHealth> {
    return this.apollo.query({ query: HealthDocument, fetchPolicy: 'network-only' }).pipe(
      requireData(),
      map((data) => data.health),
    );
  }

  healthChanges(): Observable<SystemHealth> {
    return this.apollo.subscribe({ query: HealthChangedDocument }).pipe(
      requireData(),
      map((data) => data.healthChanged),
    );
  }
}
