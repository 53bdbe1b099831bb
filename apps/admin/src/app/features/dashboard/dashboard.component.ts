import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { BehaviorSubject, catchError, EMPTY, merge, switchMap, tap, type Observable } from 'rxjs';

import { toAppError } from '../../core/graphql/graphql-errors';
import { LOADING, toLoadState } from '../../shared/data/load-state';
import { SystemApi, type SystemHealth } from './data-access/system.api';

@Component({
  selector: 'sah-dashboard',
  imports: [MatButtonModule, MatCardModule, MatIconModule, MatProgressSpinnerModule],
  templateUrl: './dashboard.component.html',
  styleUrl: './dashboard.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DashboardComponent {
  private readonly api = inject(SystemApi);
  private readonly reload$ = new BehaviorSubject<void>(undefined);

  /** Why live updates stopped, if they did; the last known health stays on screen meanwhile. */
  protected readonly liveError = signal<string | null>(null);

  protected readonly version = toSignal(this.reload$.pipe(switchMap(() => toLoadState(this.api.version()))), {
    initialValue: LOADING,
  });

  /** The health query answers at once; the subscription then replaces it whenever it changes. */
  protected readonly health = toSignal(
    this.reload$.pipe(switchMap(() => toLoadState(merge(this.api.health(), this.liveHealth())))),
    { initialValue: LOADING },
  );

  protected reload(): void {
    this.reload$.next();
  }

  private liveHealth(): Observable<SystemHealth> {
    this.liveError.set(null);
    return this.api.healthChanges().pipe(
      tap(() => this.liveError.set(null)),
      catchError((error: unknown) => {
        this.liveError.set(toAppError(error).message);
        return EMPTY;
      }),
    );
  }
}
