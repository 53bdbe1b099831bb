import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';

import { toAppError } from '../../../core/graphql/graphql-errors';
import { TeamsApi } from '../data-access/teams.api';
import { TEAM_ROLES, type TeamInvitation, type TeamRole } from '../data-access/teams.types';

export interface InviteMemberDialogData {
  readonly teamId: string;
  readonly teamName: string;
}

/** Invites someone by e-mail; closes with the invitation once it is sent (undefined when cancelled). */
@Component({
  selector: 'sah-invite-member-dialog',
  imports: [ReactiveFormsModule, MatButtonModule, MatDialogModule, MatFormFieldModule, MatInputModule, MatSelectModule],
  template: `
    <h2 mat-dialog-title>Invite to {{ data.teamName }}</h2>
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <mat-dialog-content class="invite-dialog">
        <p>They get a link by e-mail that works once, for the account with this address.</p>
        <mat-form-field appearance="outline">
          <mat-label>E-mail address</mat-label>
          <input matInput type="email" formControlName="email" autocomplete="off" data-testid="invite-email" />
          @if (form.controls.email.invalid) {
            <mat-error>Enter an e-mail address.</mat-error>
          }
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>Role</mat-label>
          <mat-select formControlName="role" data-testid="invite-role">
            @for (role of roles; track role) {
              <mat-option [value]="role">{{ role === 'manager' ? 'Manager' : 'Member' }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        @if (error(); as message) {
          <p class="form-error" role="alert" data-testid="invite-error">{{ message }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" [mat-dialog-close]="undefined" [disabled]="submitting()">Cancel</button>
        <button mat-flat-button type="submit" [disabled]="submitting()" data-testid="invite-submit">Send invitation</button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .invite-dialog {
      display: flex;
      flex-direction: column;
      gap: 4px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class InviteMemberDialogComponent {
  private readonly api = inject(TeamsApi);
  private readonly dialogRef = inject<MatDialogRef<InviteMemberDialogComponent, TeamInvitation>>(MatDialogRef);
  protected readonly data = inject<InviteMemberDialogData>(MAT_DIALOG_DATA);
  protected readonly roles = TEAM_ROLES;

  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email, Validators.maxLength(254)]],
    role: ['member' as TeamRole],
  });
  protected readonly submitting = signal(false);
  protected readonly error = signal<string | null>(null);

  protected submit(): void {
    if (this.submitting() || this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.submitting.set(true);
    this.error.set(null);
    const { email, role } = this.form.getRawValue();
    this.api.invite(this.data.teamId, email.trim(), role).subscribe({
      next: (invitation) => this.dialogRef.close(invitation),
      error: (error: unknown) => {
        this.error.set(toAppError(error).message);
        this.submitting.set(false);
      },
    });
  }
}
