import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Router } from '@angular/router';

import { AuthStore } from '../../../core/auth/auth.store';
import { reloadableQuery } from '../../../shared/data/reloadable-query';
import { createdColumn, LIST_PAGE_IMPORTS, type TableSpec } from '../../../shared/ui/list-page';
import { narrowScreen } from '../../../shared/ui/narrow-screen';
import { TeamsApi } from '../data-access/teams.api';
import type { MyTeam } from '../data-access/teams.types';

/** Teams: yours (an administrator's: every team) with your role; a row opens its members. */
@Component({
  selector: 'sah-teams',
  imports: [LIST_PAGE_IMPORTS],
  template: `
    <sah-list-header>
      <h1 class="page-title">Teams</h1>
    </sah-list-header>
    <p class="list-intro">
      The teams you belong to. Their managers invite people by e-mail, change roles and remove members.
      @if (isAdmin) {
        As an administrator you see every team.
      }
    </p>
    <sah-table-panel [spec]="table" [query]="teams" [narrow]="isNarrow()" (rowActivated)="open($any($event))" />
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TeamsComponent {
  private readonly api = inject(TeamsApi);
  private readonly router = inject(Router);
  protected readonly isAdmin = inject(AuthStore).can('teams:manage');

  protected readonly isNarrow = narrowScreen(839);
  protected readonly teams = reloadableQuery(() => this.api.myTeams());
  protected readonly table: TableSpec<MyTeam> = {
    noun: 'teams',
    columns: [
      { key: 'name', header: 'Team' },
      { key: 'role', header: 'Your role', cell: (team) => roleLabel(team.myRole), testId: 'team-my-role' },
      createdColumn(this.isNarrow),
    ],
    testIdPrefix: 'teams',
    rowLabel: (team) => `Open ${team.name}`,
    rowAttributes: (team) => ({ 'data-id': team.id, 'data-name': team.name }),
    emptyText: 'You are not in any team yet: a manager can invite you.',
  };

  protected open(team: MyTeam): void {
    void this.router.navigate(['/teams', team.id]);
  }
}

/** "Manager", "Member", or a dash for an administrator outside the team. */
export function roleLabel(role: string | null | undefined): string {
  if (role === 'manager') return 'Manager';
  if (role === 'member') return 'Member';
  return '—';
}
