import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { RouterLink } from '@angular/router';

import { AuthStore } from '../../../core/auth/auth.store';
import { toAppError } from '../../../core/graphql/graphql-errors';
import { TeamsApi } from '../data-access/teams.api';
import type { JoinedTeam } from '../data-access/teams.types';

/** Why a link did not work, in words for the person holding it. */
const REFUSALS: Readonly<Record<string, string>> = {
  INVITATION_ALREADY_ACCEPTED: 'This invitation has already been used.',
  INVITATION_EXPIRED: 'This invitation has expired: ask the team for a new one.',
  INVITATION_REVOKED: 'This invitation was withdrawn by the team.',
  NOT_FOUND: 'This link is not a valid invitation: check that it was copied whole.',
};

/**
 * The invitation mail's link (<APP_URL>/admin/invitations/accept?token=…), behind sign-in: joining is
 * a button, so the invitee sees which account accepts it first.
 */
@Component({
  selector: 'sah-accept-invitation',
  imports: [MatButtonModule, MatCardModule, RouterLink],
  template: `
    <mat-card appearance="outlined" class="accept-invitation">
      <mat-card-header>
        <mat-card-title><h1 class="page-title">Team invitation</h1></mat-card-title>
      </mat-card-header>
      <mat-card-content>
        @if (joined(); as team) {
          <p role="status" data-testid="invitation-joined">
            You joined <strong>{{ team.name }}</strong> as {{ team.myRole === 'manager' ? 'a manager' : 'a member' }}.
          </p>
        } @else if (!token()) {
          <p role="alert" data-testid="invitation-error">This link has no invitation in it: open the link from the e-mail again.</p>
        } @else {
          <p>Accept the invitation as <strong>{{ email }}</strong>. It must be the address the invitation was sent to.</p>
          @if (error(); as message) {
            <p class="form-error" role="alert" data-testid="invitation-error">{{ message }}</p>
          }
        }
      </mat-card-content>
      <mat-card-actions>
        @if (joined(); as team) {
          <a mat-flat-button [routerLink]="['/teams', team.id]" data-testid="invitation-open-team">Open the team</a>
        } @else if (token()) {
          <button mat-flat-button type="button" (click)="accept()" [disabled]="accepting()" data-testid="invitation-accept">
            Accept invitation
          </button>
        }
      </mat-card-actions>
    </mat-card>
  `,
  styles: `
    .accept-invitation {
      max-width: 36rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AcceptInvitationComponent {
  /** The `token` query parameter. */
  readonly token = input<string>();

  private readonly api = inject(TeamsApi);
  protected readonly email = inject(AuthStore).user()?.email ?? '';
  protected readonly accepting = signal(false);
  protected readonly joined = signal<JoinedTeam | null>(null);
  protected readonly error = signal<string | null>(null);

  protected accept(): void {
    const token = this.token();
    if (!token || this.accepting()) return;
    this.accepting.set(true);
    this.error.set(null);
    this.api.accept(token).subscribe({
      next: (team) => this.joined.set(team),
      error: (error: unknown) => {
        const appError = toAppError(error);
        this.error.set(REFUSALS[appError.code] ?? appError.message);
        this.accepting.set(false);
      },
    });
  }
}
