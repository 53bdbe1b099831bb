import { inject, Injectable } from '@angular/core';
import { Apollo } from 'apollo-angular';
import { map, type Observable } from 'rxjs';

import type { Role } from '../../../core/auth/auth.types';
import {
  AddTeamMemberDocument,
  ApiKeysDocument,
  AssignRoleDocument,
  AuditLogDocument,
  ChangePasswordDocument,
  CreateApiKeyDocument,
  CreateTeamDocument,
  RequestPasswordResetDocument,
  ResetPasswordDocument,
  RevokeApiKeyDocument,
  RevokeVerifiedSessionDocument,
  RotateApiKeyDocument,
  SetApiKeyLimitsDocument,
  SetUserSuspendedDocument,
  TeamsDocument,
  UserDocument,
  UsersDocument,
  VerifiedSessionsDocument,
} from '../../../core/graphql/operations.generated';
import { requireData } from '../../../core/graphql/require-data';
import type {
  AddTeamMemberInput,
  ApiKey,
  ApiKeyLimits,
  AuditEntry,
  AuditLogFilter,
  CreateApiKeyInput,
  CreatedApiKey,
  IdentityUser,
  Page,
  Team,
  UsersFilter,
  VerifiedSession,
} from './identity.types';

/** Data access for the identity context: accounts, roles, API keys, password reset, audit log. */
@Injectable({ providedIn: 'root' })
export class IdentityApi {
  private readonly apollo = inject(Apollo);

  users(filter: UsersFilter): Observable<Page<IdentityUser>> {
    return this.apollo.query({ query: UsersDocument, variables: { filter }, fetchPolicy: 'network-only' }).pipe(
      requireData(),
      map((data) => data.users),
    );
  }

  user(id: string): Observable<IdentityUser> {
    return this.apollo.query({ query: UserDocument, variables: { id }, fetchPolicy: 'network-only' }).pipe(
      requireData(),
      map((data) => data.user),
    );
  }

  assignRole(userId: string, role: Role): Observable<IdentityUser> {
    return this.apollo.mutate({ mutation: AssignRoleDocument, variables: { input: { userId, role } } }).pipe(
      requireData(),
      map((data) => data.assignRole),
    );
  }

  setUserSuspended(id: string, suspended: boolean): Observable<IdentityUser> {
    return this.apollo.mutate({ mutation: SetUserSuspendedDocument, variables: { id, suspended } }).pipe(
      requireData(),
      map((data) => data.setUserSuspended),
    );
  }

  /** The signed-in account's own keys. */
  apiKeys(): Observable<readonly ApiKey[]> {
    return this.apollo.query({ query: ApiKeysDocument, fetchPolicy: 'network-only' }).pipe(
      requireData(),
      map((data) => data.apiKeys),
    );
  }

  createApiKey(input: CreateApiKeyInput): Observable<CreatedApiKey> {
    // no-cache: the secret must not linger in Apollo's cache after the dialog shows it.
    return this.apollo.mutate({ mutation: CreateApiKeyDocument, variables: { input }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.createApiKey),
    );
  }

  revokeApiKey(id: string): Observable<boolean> {
    return this.apollo.mutate({ mutation: RevokeApiKeyDocument, variables: { id } }).pipe(
      requireData(),
      map((data) => data.revokeApiKey),
    );
  }

  /** Issues a new secret for the key (same name and scopes); the old secret stops working. */
  rotateApiKey(id: string): Observable<CreatedApiKey> {
    // no-cache, as for createApiKey: the secret must not linger in Apollo's cache.
    return this.apollo.mutate({ mutation: RotateApiKeyDocument, variables: { id }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.rotateApiKey),
    );
  }

  /** The key's own limits, all three at once; null removes one. */
  setApiKeyLimits(id: string, limits: ApiKeyLimits): Observable<ApiKey> {
    return this.apollo
      .mutate({ mutation: SetApiKeyLimitsDocument, variables: { input: { id, ...limits } } })
      .pipe(
        requireData(),
        map((data) => data.setApiKeyLimits),
      );
  }

  /** The signed-in account's verified sessions in third-party tools. */
  verifiedSessions(): Observable<readonly VerifiedSession[]> {
    // no-cache: a shrinking list would otherwise trip Apollo's "cache data may be lost" merge warning.
    return this.apollo.query({ query: VerifiedSessionsDocument, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.verifiedSessions),
    );
  }

  revokeVerifiedSession(id: string): Observable<boolean> {
    return this.apollo.mutate({ mutation: RevokeVerifiedSessionDocument, variables: { id } }).pipe(
      requireData(),
      map((data) => data.revokeVerifiedSession),
    );
  }

  /**
   * Signs out every other session; the current one stays signed in. A wrong current password is
   * BAD_USER_INPUT with details.field "currentPassword".
   */
  changePassword(currentPassword: string, newPassword: string): Observable<boolean> {
    return this.apollo
      .mutate({
        mutation: ChangePasswordDocument,
        variables: { input: { currentPassword, newPassword } },
      })
      .pipe(
        requireData(),
        map((data) => data.changePassword),
      );
  }

  /** Every team (administrators only). */
  teams(): Observable<readonly Team[]> {
    return this.apollo.query({ query: TeamsDocument, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.teams),
    );
  }

  createTeam(name: string): Observable<Team> {
    return this.apollo.mutate({ mutation: CreateTeamDocument, variables: { input: { name } } }).pipe(
      requireData(),
      map((data) => data.createTeam),
    );
  }

  addTeamMember(input: AddTeamMemberInput): Observable<Team> {
    return this.apollo.mutate({ mutation: AddTeamMemberDocument, variables: { input } }).pipe(
      requireData(),
      map((data) => data.addTeamMember),
    );
  }

  auditLog(filter: AuditLogFilter): Observable<Page<AuditEntry>> {
    return this.apollo.query({ query: AuditLogDocument, variables: { filter }, fetchPolicy: 'network-only' }).pipe(
      requireData(),
      map((data) => data.auditLog),
    );
  }

  requestPasswordReset(email: string): Observable<boolean> {
    return this.apollo.mutate({ mutation: RequestPasswordResetDocument, variables: { email } }).pipe(
      requireData(),
      map((data) => data.requestPasswordReset),
    );
  }

  resetPassword(token: string, newPassword: string): Observable<boolean> {
    return this.apollo
      .mutate({ mutation: ResetPasswordDocument, variables: { input: { token, newPassword } } })
      .pipe(
        requireData(),
        map((data) => data.resetPassword),
      );
  }
}
