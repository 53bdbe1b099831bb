import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { Router } from '@angular/router';

import { filteredQuery } from '../../../shared/data/reloadable-query';
import { ErrorStateComponent } from '../../../shared/ui/error-state/error-state.component';
import { listActions } from '../../../shared/ui/list-actions';
import { AccountDeletionApi } from '../data-access/account-deletion.api';

/**
 * The admin's view of someone's account deletion: whether they asked for it and when the account is
 * erased, with erasure at once (audited) for an account the admin may change.
 */
@Component({
  selector: 'sah-user-deletion-card',
  imports: [DatePipe, MatButtonModule, MatCardModule, MatIconModule, MatProgressSpinnerModule, ErrorStateComponent],
  template: `
    <mat-card appearance="outlined" data-testid="user-deletion-card">
      <mat-card-header>
        <mat-card-title><h2 class="deletion__title">Account deletion</h2></mat-card-title>
      </mat-card-header>
      <mat-card-content>
        @if (deletion.error(); as message) {
          <sah-error-state [message]="message" (retry)="deletion.reload()" />
        } @else if (deletion.loading()) {
          <mat-progress-spinner mode="indeterminate" diameter="28" aria-label="Loading the deletion status" />
        } @else if (deletion.value(); as erasedOn) {
          <p class="deletion__status" data-testid="user-deletion-status">
            <mat-icon aria-hidden="true">schedule</mat-icon>
            <span>
              Asked to be deleted: the account is suspended and is erased on {{ erasedOn | date: 'medium' }}, unless
              they sign in again before then.
            </span>
          </p>
        } @else {
          <p class="deletion__status" data-testid="user-deletion-status">No deletion asked for.</p>
        }
      </mat-card-content>
      @if (deletion.value() && canManage()) {
        <mat-card-actions align="end">
          <button
            mat-stroked-button
            type="button"
            class="deletion__erase"
            (click)="eraseNow()"
            [disabled]="erasing()"
            data-testid="user-deletion-process"
          >
            @if (erasing()) {
              <mat-progress-spinner mode="indeterminate" diameter="18" aria-label="Erasing account" />
            }
            Erase now
          </button>
        </mat-card-actions>
      }
    </mat-card>
  `,
  styles: `
    :host {
      display: block;
    }
    .deletion__title {
      margin: 0;
      font: inherit;
    }
    .deletion__status {
      display: flex;
      gap: 8px;
      align-items: center;
    }
    .deletion__erase {
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UserDeletionCardComponent {
  private readonly api = inject(AccountDeletionApi);
  private readonly router = inject(Router);
  private readonly actions = listActions();

  readonly userId = input.required<string>();
  /** Named in the confirmation. */
  readonly userName = input.required<string>();
  /** Whether the caller may change this account (administrators, above its role). */
  readonly canManage = input(false);

  /** When the account is erased while its owner's deletion is pending; null when none is. */
  protected readonly deletion = filteredQuery(this.userId, (id) => this.api.scheduledFor(id));
  protected readonly erasing = computed(() => this.actions.isBusy({ id: this.userId() }));

  protected eraseNow(): void {
    const name = this.userName();
    this.actions.run(
      { id: this.userId() },
      {
        confirm: {
          title: `Erase ${name}’s account now?`,
          message:
            'Their personal data, files, API keys and sessions are erased at once, without waiting for the grace period, and cannot be recovered. Their ledger entries stay, under an id that names nobody.',
          confirmLabel: 'Erase now',
          destructive: true,
        },
        call: () => this.api.processNow(this.userId()),
        done: () => `${name}’s account is erased.`,
        then: () => void this.router.navigate(['/users']),
      },
    );
  }
}
