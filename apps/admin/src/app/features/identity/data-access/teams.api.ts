import { inject, Injectable } from '@angular/core';
import { Apollo } from 'apollo-angular';
import { map, type Observable } from 'rxjs';

import {
  AcceptTeamInvitationDocument,
  AdjustTeamWalletDocument,
  InviteTeamMemberDocument,
  MyTeamsDocument,
  RemoveTeamMemberDocument,
  RevokeTeamInvitationDocument,
  SetTeamBudgetAlertsDocument,
  SetTeamMemberLimitsDocument,
  SetTeamMemberRoleDocument,
  SetTeamMonthlyCapDocument,
  TeamMembershipDocument,
  TeamWalletDocument,
  TeamWalletTransactionsDocument,
  TransferToTeamWalletDocument,
} from '../../../core/graphql/operations.generated';
import { requireData } from '../../../core/graphql/require-data';
import type {
  JoinedTeam,
  MemberLimits,
  MyTeam,
  TeamInvitation,
  TeamMembership,
  TeamRole,
  TeamWallet,
  TeamWalletHistory,
} from './teams.types';

/** Data access for teams: your teams, their members and invitations, and their wallets and limits. */
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

  wallet(teamId: string): Observable<TeamWallet> {
    return this.apollo.query({ query: TeamWalletDocument, variables: { teamId }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.teamWallet),
    );
  }

  /** The wallet's latest movements, newest first. */
  walletHistory(teamId: string, perPage: number): Observable<TeamWalletHistory> {
    return this.apollo
      .query({ query: TeamWalletTransactionsDocument, variables: { input: { teamId, perPage } }, fetchPolicy: 'no-cache' })
      .pipe(
        requireData(),
        map((data) => data.teamWalletTransactions),
      );
  }

  /** Credits from your own balance; the key makes a retry move them once. */
  transfer(teamId: string, amount: number, idempotencyKey: string, reason: string | null): Observable<TeamWallet> {
    return this.apollo
      .mutate({ mutation: TransferToTeamWalletDocument, variables: { input: { teamId, amount, idempotencyKey, ...(reason ? { reason } : {}) } } })
      .pipe(
        requireData(),
        map((data) => data.transferToTeamWallet.wallet),
      );
  }

  /** Administrators: a signed correction; the key makes a retry apply it once. */
  adjust(teamId: string, amount: number, reason: string, idempotencyKey: string): Observable<TeamWallet> {
    return this.apollo.mutate({ mutation: AdjustTeamWalletDocument, variables: { input: { teamId, amount, reason, idempotencyKey } } }).pipe(
      requireData(),
      map((data) => data.adjustTeamWallet.wallet),
    );
  }

  /** A member's daily and monthly credits; null removes a limit. */
  setMemberLimits(teamId: string, userId: string, limits: MemberLimits): Observable<TeamWallet> {
    return this.apollo.mutate({ mutation: SetTeamMemberLimitsDocument, variables: { input: { teamId, userId, ...limits } } }).pipe(
      requireData(),
      map((data) => data.setTeamMemberLimits),
    );
  }

  /** The team's spending cap per month; null removes it. */
  setMonthlyCap(teamId: string, monthlyCap: number | null): Observable<TeamWallet> {
    return this.apollo.mutate({ mutation: SetTeamMonthlyCapDocument, variables: { input: { teamId, monthlyCap } } }).pipe(
      requireData(),
      map((data) => data.setTeamMonthlyCap),
    );
  }

  /** Percentages of the monthly cap that alert the managers; [] for none, null for the platform's default. */
  setBudgetAlerts(teamId: string, thresholds: readonly number[] | null): Observable<TeamWallet> {
    return this.apollo
      .mutate({ mutation: SetTeamBudgetAlertsDocument, variables: { input: { teamId, thresholds: thresholds && [...thresholds] } } })
      .pipe(
        requireData(),
        map((data) => data.setTeamBudgetAlerts),
      );
  }
}
