import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, linkedSignal, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { RouterLink } from '@angular/router';
import { EMPTY, filter, switchMap } from 'rxjs';

import type { Role } from '../../../core/auth/auth.types';
import { AuthStore } from '../../../core/auth/auth.store';
import { assignableRoles, canManage, highestRole, ROLE_LABELS } from '../../../core/auth/roles';
import { toAppError } from '../../../core/graphql/graphql-errors';
import { LOADING, toLoadState, type LoadState } from '../../../shared/data/load-state';
import { confirmAction } from '../../../shared/ui/confirm-dialog/confirm-dialog.component';
import { ErrorStateComponent } from '../../../shared/ui/error-state/error-state.component';
import { RoleLabelPipe } from '../../../shared/ui/role-label.pipe';
import { StatusChipComponent } from '../../../shared/ui/status-chip/status-chip.component';
import { BILLING_ACCESS } from '../../billing/billing-access';
import { UserCreditsCardComponent } from '../../billing/user-credits/user-credits-card.component';
import { IdentityApi } from '../data-access/identity.api';
import { UserDeletionCardComponent } from '../privacy/user-deletion-card.component';
import { UserTwoFactorCardComponent } from '../two-factor/user-two-factor-card.component';
import { USER_STATUS_LABELS, USER_STATUS_TONES } from '../ui/user-status';
import {
  TEAM_ROLE_LABELS,
  TEAM_ROLES,
  type IdentityUser,
  type Team,
  type TeamRole,
} from '../data-access/identity.types';

export interface UserTeam {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly addedAt: string;
}

@Component({
  selector: 'sah-user-detail',
  imports: [
    DatePipe,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressSpinnerModule,
    MatSelectModule,
    ErrorStateComponent,
    RoleLabelPipe,
    StatusChipComponent,
    UserCreditsCardComponent,
    UserTwoFactorCardComponent,
    UserDeletionCardComponent,
  ],
  templateUrl: './user-detail.component.html',
  styleUrl: './user-detail.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UserDetailComponent {
  private readonly api = inject(IdentityApi);
  private readonly auth = inject(AuthStore);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);

  /** Bound from the `:id` route parameter. */
  readonly id = input.required<string>();

  private readonly attempt = signal(0);
  protected readonly state = toSignal(
    toObservable(computed(() => ({ id: this.id(), attempt: this.attempt() }))).pipe(
      switchMap(({ id }) => toLoadState(this.api.user(id))),
    ),
    { initialValue: LOADING as LoadState<IdentityUser> },
  );
  /** The account as last returned by the server: the query, then each successful change. */
  protected readonly user = linkedSignal(() => {
    const state = this.state();
    return state.status === 'ready' ? state.value : null;
  });

  protected readonly roleLabels = ROLE_LABELS;
  /** Only roles below the caller's own: the API refuses anything else. */
  protected readonly roleOptions = computed(() => assignableRoles(this.auth.user()?.roles ?? []));
  protected readonly isSelf = computed(() => this.user()?.id === this.auth.user()?.id);
  protected readonly canEdit = computed(() => {
    const user = this.user();
    return !!user && !this.isSelf() && canManage(this.auth.user()?.roles ?? [], user.roles);
  });
  /** A read-only view still names the current role, which may be outside the assignable ones. */
  protected readonly selectOptions = computed(() => {
    const current = highestRole(this.user()?.roles ?? []);
    return this.canEdit() || !current ? this.roleOptions() : [current];
  });
  protected readonly selectedRole = linkedSignal<Role | null>(() => highestRole(this.user()?.roles ?? []));
  protected readonly roleChanged = computed(
    () => this.selectedRole() !== null && this.selectedRole() !== highestRole(this.user()?.roles ?? []),
  );

  protected readonly busy = signal<'role' | 'suspend' | null>(null);
  protected readonly roleError = signal<string | null>(null);
  protected readonly suspendError = signal<string | null>(null);

  /** The billing context's card: balance, latest transactions, adjustments. */
  protected readonly canSeeCredits = computed(() => this.auth.can(BILLING_ACCESS.ledger));

  /** Teams are an administrators' tool (`teams:manage`); others never see or load them. */
  protected readonly canManageTeams = computed(() => this.auth.can('teams:manage'));
  private readonly teamsAttempt = signal(0);
  protected readonly teams = toSignal(
    toObservable(computed(() => ({ allowed: this.canManageTeams(), attempt: this.teamsAttempt() }))).pipe(
      switchMap(({ allowed, attempt }) =>
        allowed
          ? // A refresh after a change keeps the current list (and the controls) on screen meanwhile.
            toLoadState(this.api.teams()).pipe(filter((state) => attempt === 0 || state.status !== 'loading'))
          : EMPTY,
      ),
    ),
    { initialValue: LOADING as LoadState<Team[]> },
  );
  /** The teams this account belongs to, with its role in each. */
  protected readonly userTeams = computed<UserTeam[]>(() => {
    const teams = this.teams();
    const userId = this.user()?.id;
    if (teams.status !== 'ready' || !userId) return [];
    return teams.value.flatMap((team) => {
      const member = team.members.find((m) => m.userId === userId);
      return member ? [{ id: team.id, name: team.name, role: member.role, addedAt: member.addedAt }] : [];
    });
  });
  /** Teams the account could still join. */
  protected readonly joinableTeams = computed(() => {
    const teams = this.teams();
    const userId = this.user()?.id;
    if (teams.status !== 'ready') return [];
    return teams.value.filter((team) => !team.members.some((m) => m.userId === userId));
  });
  protected readonly teamRoles = TEAM_ROLES;
  protected readonly teamRoleLabels = TEAM_ROLE_LABELS;
  protected readonly statusLabels = USER_STATUS_LABELS;
  protected readonly statusTones = USER_STATUS_TONES;
  protected readonly selectedTeam = signal<string | null>(null);
  protected readonly selectedTeamRole = signal<TeamRole>('member');
  protected readonly newTeamName = signal('');
  protected readonly teamBusy = signal<'add' | 'create' | null>(null);
  protected readonly teamError = signal<string | null>(null);

  protected reloadTeams(): void {
    this.teamsAttempt.update((n) => n + 1);
  }

  protected addToTeam(): void {
    const user = this.user();
    const teamId = this.selectedTeam();
    if (!user || !teamId || this.teamBusy()) return;
    this.teamBusy.set('add');
    this.teamError.set(null);
    this.api.addTeamMember({ teamId, userId: user.id, role: this.selectedTeamRole() }).subscribe({
      next: (team) => {
        this.teamBusy.set(null);
        this.selectedTeam.set(null);
        this.selectedTeamRole.set('member');
        this.snackBar.open(`${user.name} added to ${team.name}.`, 'OK', { duration: 5000 });
        this.reloadTeams();
      },
      error: (error: unknown) => {
        this.teamError.set(toAppError(error).message);
        this.teamBusy.set(null);
      },
    });
  }

  protected onTeamNameInput(event: Event): void {
    this.newTeamName.set((event.target as HTMLInputElement).value);
  }

  protected createTeam(event?: Event): void {
    event?.preventDefault();
    const name = this.newTeamName().trim();
    if (!name || this.teamBusy()) return;
    this.teamBusy.set('create');
    this.teamError.set(null);
    this.api.createTeam(name).subscribe({
      next: (team) => {
        this.teamBusy.set(null);
        this.newTeamName.set('');
        this.selectedTeam.set(team.id);
        this.snackBar.open(`Team “${team.name}” created.`, 'OK', { duration: 5000 });
        this.reloadTeams();
      },
      error: (error: unknown) => {
        this.teamError.set(toAppError(error).message);
        this.teamBusy.set(null);
      },
    });
  }

  protected retry(): void {
    this.attempt.update((n) => n + 1);
  }

  protected saveRole(): void {
    const user = this.user();
    const role = this.selectedRole();
    if (!user || !role || this.busy()) return;
    this.busy.set('role');
    this.roleError.set(null);
    this.api.assignRole(user.id, role).subscribe({
      next: (updated) => {
        this.user.set(updated);
        this.busy.set(null);
        this.snackBar.open(`Role changed: ${updated.name} is now ${ROLE_LABELS[role]}.`, 'OK', { duration: 5000 });
      },
      error: (error: unknown) => {
        this.roleError.set(toAppError(error).message);
        this.busy.set(null);
      },
    });
  }

  protected toggleSuspended(): void {
    const user = this.user();
    if (!user || this.busy()) return;
    const suspend = user.status !== 'suspended';
    confirmAction(this.dialog, {
      title: suspend ? `Suspend ${user.name}?` : `Reinstate ${user.name}?`,
      message: suspend
        ? `${user.email} will be signed out and cannot sign in or use API keys until reinstated.`
        : `${user.email} will be able to sign in and use API keys again.`,
      confirmLabel: suspend ? 'Suspend' : 'Reinstate',
      destructive: suspend,
    })
      .pipe(
        filter(Boolean),
        switchMap(() => {
          this.busy.set('suspend');
          this.suspendError.set(null);
          return this.api.setUserSuspended(user.id, suspend);
        }),
      )
      .subscribe({
        next: (updated) => {
          this.user.set(updated);
          this.busy.set(null);
          this.snackBar.open(suspend ? `${updated.name} is suspended.` : `${updated.name} is reinstated.`, 'OK', {
            duration: 5000,
          });
        },
        error: (error: unknown) => {
          this.suspendError.set(toAppError(error).message);
          this.busy.set(null);
        },
      });
  }
}
