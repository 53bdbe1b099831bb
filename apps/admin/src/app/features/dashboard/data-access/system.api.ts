import { inject, Injectable } from '@angular/core';
import type { TypedDocumentNode } from '@apollo/client';
import { Apollo, gql } from 'apollo-angular';
import { map, type Observable } from 'rxjs';

import { requireData } from '../../../core/graphql/require-data';

export type DependencyStatus = 'up' | 'down';

export interface SystemHealth {
  /** "ok" when every dependency is up. */
  readonly status: string;
  readonly checks: { readonly database: DependencyStatus; readonly redis: DependencyStatus };
}

// Fields are spelled out rather than shared as a fragment: the API's health type name is not part
// of the contract.

const VERSION: TypedDocumentNode<{ version: string }, Record<string, never>> = gql`
  query Version {
    version
  }
`;

const HEALTH: TypedDocumentNode<{ health: SystemHealth }, Record<string, never>> = gql`
  query Health {
    health {
      status
      checks {
        database
        redis
      }
    }
  }
`;

const HEALTH_CHANGED: TypedDocumentNode<{ healthChanged: SystemHealth }, Record<string, never>> = gql`
  subscription HealthChanged {
    healthChanged {
      status
      checks {
        database
        redis
      }
    }
  }
`;

/** Data access for the API's own status: version, health and live health changes. */
@Injectable({ providedIn: 'root' })
export class SystemApi {
  private readonly apollo = inject(Apollo);

  version(): Observable<string> {
    return this.apollo.query({ query: VERSION, fetchPolicy: 'network-only' }).pipe(
      requireData(),
      map((data) => data.version),
    );
  }

  health(): Observable<SystemHealth> {
    return this.apollo.query({ query: HEALTH, fetchPolicy: 'network-only' }).pipe(
      requireData(),
      map((data) => data.health),
    );
  }

  healthChanges(): Observable<SystemHealth> {
    return this.apollo.subscribe({ query: HEALTH_CHANGED }).pipe(
      requireData(),
      map((data) => data.healthChanged),
    );
  }
}
