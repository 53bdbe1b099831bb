import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, linkedSignal, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { RouterLink } from '@angular/router';
import { filter, switchMap } from 'rxjs';

import type { Role } from '../../../core/auth/auth.models';
import { AuthStore } from '../../../core/auth/auth.store';
import { assignableRoles, canManage, highestRole, ROLE_LABELS } from '../../../core/auth/roles';
import { toAppError } from '../../../core/graphql/graphql-errors';
import { LOADING, toLoadState, type LoadState } from '../../../shared/data/load-state';
import { confirmAction } from '../../../shared/ui/confirm-dialog/confirm-dialog.component';
import { ErrorStateComponent } from '../../../shared/ui/error-state/error-state.component';
import { RoleLabelPipe } from '../../../shared/ui/role-label.pipe';
import { IdentityApi } from '../data-access/identity.api';
import type { IdentityUser } from '../data-access/identity.models';

@Component({
  selector: 'sah-user-detail',
  imports: [
    DatePipe,
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatProgressSpinnerModule,
    MatSelectModule,
    ErrorStateComponent,
    RoleLabelPipe,
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
