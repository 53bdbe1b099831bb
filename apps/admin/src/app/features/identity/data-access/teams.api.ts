import { inject, Injectable } from '@angular/core';
import { Apollo } from 'apollo-angular';
import { map, type Observable } from 'rxjs';

import {
  AcceptTeamInvitationDocument,
  InviteTeamMemberDocument,
  MyTeamsDocument,
  RemoveTeamMemberDocument,
  RevokeTeamInvitationDocument,
  SetTeamMemberRoleDocument,
  TeamMembershipDocument,
} from '../../../core/graphql/operations.generated';
import { requireData } from '../../../core/graphql/require-data';
import type { JoinedTeam, MyTeam, TeamInvitation, TeamMembership, TeamRole } from './teams.types';

/** Data access for team membership: your teams, their members and invitations. */
@Injectable({ providedIn: 'root' })
export class TeamsApi {
  private readonly apollo = inject(Apollo);

  /** Your teams (administrators: every team) with your role in each. */
  myTeams(): Observable<readonly MyTeam[]> {
    return this.apollo.query({ query: MyTeamsDocument, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.teams),
    );
  }

  team(id: string): Observable<TeamMembership> {
    return this.apollo.query({ query: TeamMembershipDocument, variables: { id }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.team),
    );
  }

  invite(teamId: string, email: string, role: TeamRole): Observable<TeamInvitation> {
    return this.apollo.mutate({ mutation: InviteTeamMemberDocument, variables: { input: { teamId, email, role } } }).pipe(
      requireData(),
      map((data) => data.inviteTeamMember),
    );
  }

  revokeInvitation(id: string): Observable<string> {
    return this.apollo.mutate({ mutation: RevokeTeamInvitationDocument, variables: { id } }).pipe(
      requireData(),
      map((data) => data.revokeTeamInvitation.id),
    );
  }

  accept(token: string): Observable<JoinedTeam> {
    return this.apollo.mutate({ mutation: AcceptTeamInvitationDocument, variables: { token } }).pipe(
      requireData(),
      map((data) => data.acceptTeamInvitation),
    );
  }

  removeMember(teamId: string, userId: string): Observable<boolean> {
    return this.apollo.mutate({ mutation: RemoveTeamMemberDocument, variables: { input: { teamId, userId } } }).pipe(
      requireData(),
      map((data) => data.removeTeamMember),
    );
  }

  setRole(teamId: string, userId: string, role: TeamRole): Observable<string> {
    return this.apollo.mutate({ mutation: SetTeamMemberRoleDocument, variables: { input: { teamId, userId, role } } }).pipe(
      requireData(),
      map((data) => data.setTeamMemberRole.id),
    );
  }
}
