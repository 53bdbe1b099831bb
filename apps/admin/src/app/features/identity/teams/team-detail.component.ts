import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';
import { filter } from 'rxjs';

import { AuthStore } from '../../../core/auth/auth.store';
import { filteredQuery } from '../../../shared/data/reloadable-query';
import { ErrorStateComponent } from '../../../shared/ui/error-state/error-state.component';
import { listActions } from '../../../shared/ui/list-actions';
import { actionsColumn, LIST_PAGE_IMPORTS, type TableSpec } from '../../../shared/ui/list-page';
import { narrowScreen } from '../../../shared/ui/narrow-screen';
import { TeamsApi } from '../data-access/teams.api';
import type { TeamInvitation, TeamMember, TeamMembership } from '../data-access/teams.types';
import { InviteMemberDialogComponent, type InviteMemberDialogData } from './invite-member-dialog.component';
import { TeamWalletComponent } from './team-wallet.component';
import { roleLabel } from './teams.component';

/**
 * One team: its members with their roles and, for its managers and administrators, the pending
 * invitations, an invite dialog, role changes and removal (the server keeps the last manager), and
 * the seats when a manager's Team plan limits them (inviting waits for a free one); then its wallet,
 * limits and spending (`<sah-team-wallet>`).
 */
@Component({
  selector: 'sah-team-detail',
  imports: [MatButtonModule, MatIconModule, RouterLink, ErrorStateComponent, TeamWalletComponent, LIST_PAGE_IMPORTS],
  templateUrl: './team-detail.component.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TeamDetailComponent {
  /** The route's `:id`. */
  readonly id = input.required<string>();

  private readonly api = inject(TeamsApi);
  private readonly dialog = inject(MatDialog);
  private readonly isAdmin = inject(AuthStore).can('teams:manage');
  /** Administrators correct a team's wallet (the API's adjustTeamWallet permission). */
  protected readonly adjustsWallet = inject(AuthStore).can('credits:adjust');
  protected readonly actions = listActions();
  protected readonly isNarrow = narrowScreen(839);

  protected readonly team = filteredQuery(this.id, (id) => this.api.team(id));
  /** Managers of the team and administrators change its membership. */
  protected readonly manages = computed(() => this.isAdmin || this.team.value()?.myRole === 'manager');
  protected readonly members = this.part((team): TeamMember[] => team.members.map((member) => ({ ...member, id: member.userId })));
  protected readonly invitations = this.part((team) => team.invitations ?? []);
  protected readonly inviteAction = { label: 'Invite', icon: 'person_add', testId: 'team-invite' };
  /** Set when a manager's Team plan limits the team: members and pending invitations take its seats. */
  protected readonly seats = computed(() => this.team.value()?.seats ?? null);
  protected readonly seatsFull = computed(() => {
    const seats = this.seats();
    return seats !== null && seats.taken >= seats.limit;
  });

  protected readonly memberTable: TableSpec<TeamMember> = {
    noun: 'members',
    columns: [
      { key: 'member', header: 'Member' },
      { key: 'role', header: 'Role', chip: (member) => ({ label: roleLabel(member.role), tone: member.role === 'manager' ? 'notice' : 'muted' }), chipTestId: 'member-role' },
      { key: 'addedAt', header: 'Since', cell: (member) => member.addedAt.slice(0, 10) },
      actionsColumn<TeamMember>(
        this.actions.button({ label: 'Make manager', testId: 'member-make-manager', shown: (m) => this.manages() && m.role === 'member', ariaLabel: (m) => `Make manager: ${who(m)}` }, (m: TeamMember) => ({
          call: () => this.api.setRole(this.id(), m.userId, 'manager'),
          done: () => `${who(m)} is now a manager.`,
          then: () => this.team.reload(),
        })),
        this.actions.button({ label: 'Make member', testId: 'member-make-member', shown: (m) => this.manages() && m.role === 'manager', ariaLabel: (m) => `Make member: ${who(m)}` }, (m: TeamMember) => ({
          call: () => this.api.setRole(this.id(), m.userId, 'member'),
          done: () => `${who(m)} is now a member.`,
          then: () => this.team.reload(),
        })),
        this.actions.button({ label: 'Remove', destructive: true, testId: 'member-remove', shown: () => this.manages(), ariaLabel: (m) => `Remove ${who(m)}` }, (m: TeamMember) => ({
          confirm: {
            title: 'Remove this member?',
            message: `${who(m)} leaves the team at once. They can come back only with a new invitation.`,
            confirmLabel: 'Remove',
            destructive: true,
          },
          call: () => this.api.removeMember(this.id(), m.userId),
          done: () => `${who(m)} removed from the team.`,
          then: () => this.team.reload(),
        })),
      ),
    ],
    narrowColumns: ['member', 'role', 'actions'],
    testIdPrefix: 'team-members',
    rowTestId: 'team-member-row',
    rowAttributes: (member) => ({ 'data-user-id': member.userId, 'data-email': member.email, 'data-role': member.role }),
    trackBy: (_index, member) => member.userId,
    emptyText: 'Nobody is in this team yet.',
  };

  protected readonly invitationTable: TableSpec<TeamInvitation> = {
    noun: 'invitations',
    columns: [
      { key: 'email', header: 'E-mail' },
      { key: 'role', header: 'Role', cell: (invitation) => roleLabel(invitation.role) },
      {
        key: 'expiresAt',
        header: 'Expires',
        chip: (invitation) => ({ label: invitation.expired ? 'Expired' : invitation.expiresAt.slice(0, 10), tone: invitation.expired ? 'bad' : null }),
        chipTestId: 'invitation-expiry',
      },
      actionsColumn<TeamInvitation>(
        this.actions.button({ label: 'Revoke', destructive: true, testId: 'invitation-revoke', ariaLabel: (i) => `Revoke the invitation to ${i.email}` }, (i: TeamInvitation) => ({
          confirm: {
            title: 'Revoke this invitation?',
            message: `The link sent to ${i.email} stops working at once.`,
            confirmLabel: 'Revoke',
            destructive: true,
          },
          call: () => this.api.revokeInvitation(i.id),
          done: () => `The invitation to ${i.email} was revoked.`,
          then: () => this.team.reload(),
        })),
      ),
    ],
    narrowColumns: ['email', 'actions'],
    testIdPrefix: 'team-invitations',
    rowTestId: 'team-invitation-row',
    rowAttributes: (invitation) => ({ 'data-id': invitation.id, 'data-email': invitation.email }),
    emptyText: 'No pending invitations.',
  };

  protected invite(team: TeamMembership): void {
    this.dialog
      .open<InviteMemberDialogComponent, InviteMemberDialogData, TeamInvitation>(InviteMemberDialogComponent, {
        data: { teamId: team.id, teamName: team.name },
        width: '32rem',
        maxWidth: 'calc(100vw - 32px)',
        autoFocus: 'first-tabbable',
      })
      .afterClosed()
      .pipe(filter((invitation): invitation is TeamInvitation => invitation !== undefined))
      .subscribe((invitation) => {
        this.actions.say(`Invitation sent to ${invitation.email}.`);
        this.team.reload();
      });
  }

  /** A list inside the team's answer, as the table panel's query: loading and errors are the team's. */
  private part<T>(pick: (team: TeamMembership) => readonly T[]) {
    return {
      value: computed(() => {
        const team = this.team.value();
        return team ? pick(team) : null;
      }),
      loading: this.team.loading,
      error: this.team.error,
      reload: () => this.team.reload(),
    };
  }
}

function who(member: TeamMember): string {
  return member.name ?? member.email ?? member.userId;
}
