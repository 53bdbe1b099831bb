import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { catchError, EMPTY, merge, tap, type Observable } from 'rxjs';

import { toAppError } from '../../../core/graphql/graphql-errors';
import { LOADING, toLoadState } from '../../../shared/data/load-state';
import { SystemApi, type SystemHealth } from '../data-access/system.api';

/** The API's version and health, following health changes live: a tile of the staff dashboard. */
@Component({
  selector: 'sah-system-status',
  imports: [MatCardModule, MatIconModule, MatProgressSpinnerModule],
  templateUrl: './system-status.component.html',
  styleUrl: './system-status.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SystemStatusComponent {
  private readonly api = inject(SystemApi);

  /** Why live updates stopped, if they did; the last known health stays on screen meanwhile. */
  protected readonly liveError = signal<string | null>(null);

  protected readonly version = toSignal(toLoadState(this.api.version()), { initialValue: LOADING });

  /** The health query answers at once; the subscription then replaces it whenever it changes. */
  protected readonly health = toSignal(toLoadState(merge(this.api.health(), this.liveHealth())), { initialValue: LOADING });

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
