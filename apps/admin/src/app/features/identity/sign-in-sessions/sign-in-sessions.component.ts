import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { switchMap } from 'rxjs';

import { LOADING, toLoadState, type LoadState } from '../../../shared/data/load-state';
import { ErrorStateComponent } from '../../../shared/ui/error-state/error-state.component';
import { listActions } from '../../../shared/ui/list-actions';
import { StatusChipComponent } from '../../../shared/ui/status-chip/status-chip.component';
import { SignInSessionsApi, type SignInSession } from '../data-access/sign-in-sessions.api';

/** The row the "Sign out other sessions" button waits on while its call runs. */
const OTHERS = { id: 'other-sessions' } as const;

/**
 * My account → Security → Active sessions: the browsers and apps signed in to the account, this one
 * marked; any other can be signed out (its tokens stop working at once), or all of them together.
 */
@Component({
  selector: 'sah-sign-in-sessions',
  imports: [
    DatePipe,
    MatButtonModule,
    MatIconModule,
    MatProgressSpinnerModule,
    ErrorStateComponent,
    StatusChipComponent,
  ],
  templateUrl: './sign-in-sessions.component.html',
  styleUrls: ['../account/account-card.scss', './sign-in-sessions.component.scss'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SignInSessionsComponent {
  private readonly api = inject(SignInSessionsApi);
  protected readonly actions = listActions();
  protected readonly others = OTHERS;

  private readonly attempt = signal(0);
  protected readonly sessions = toSignal(
    toObservable(this.attempt).pipe(switchMap(() => toLoadState(this.api.list()))),
    { initialValue: LOADING as LoadState<readonly SignInSession[]> },
  );
  protected readonly hasOthers = computed(() => {
    const state = this.sessions();
    return state.status === 'ready' && state.value.some((session) => !session.current);
  });

  protected reload(): void {
    this.attempt.update((n) => n + 1);
  }

  protected revoke(session: SignInSession): void {
    this.actions.run(session, {
      confirm: {
        title: 'Sign out this session?',
        message: `${session.device ?? 'The device'} is signed out at once and has to sign in again.`,
        confirmLabel: 'Sign out',
        destructive: true,
      },
      call: () => this.api.revoke(session.id),
      done: () => 'Session signed out.',
      then: () => this.reload(),
    });
  }

  protected revokeOthers(): void {
    this.actions.run(OTHERS, {
      confirm: {
        title: 'Sign out every other session?',
        message: 'Every browser and app signed in to your account, except this one, is signed out at once.',
        confirmLabel: 'Sign out others',
        destructive: true,
      },
      call: () => this.api.revokeOthers(),
      done: (count) => (count === 1 ? '1 other session signed out.' : `${count} other sessions signed out.`),
      then: () => this.reload(),
    });
  }
}
