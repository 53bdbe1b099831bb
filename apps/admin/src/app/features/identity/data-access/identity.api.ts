import { inject, Injectable } from '@angular/core';
import type { TypedDocumentNode } from '@apollo/client';
import { Apollo, gql } from 'apollo-angular';
import { map, type Observable } from 'rxjs';

import type { Role } from '../../../core/auth/auth.models';
import { requireData } from '../../../core/graphql/require-data';
import type {
  AddTeamMemberInput,
  ApiKey,
  AuditEntry,
  AuditLogFilter,
  CreateApiKeyInput,
  CreatedApiKey,
  IdentityUser,
  Page,
  Team,
  UsersFilter,
  VerifiedSession,
} from './identity.models';

const USER_FIELDS = gql`
  fragment IdentityUserFields on User {
    id
    email
    name
    roles
    emailVerified
    status
    createdAt
  }
`;

const API_KEY_FIELDS = gql`
  fragment ApiKeyFields on ApiKey {
    id
    name
    prefix
    scopes
    createdAt
    expiresAt
    lastUsedAt
    revokedAt
  }
`;

const PAGE_INFO_FIELDS = gql`
  fragment PageInfoFields on PageInfo {
    page
    perPage
    total
    totalPages
  }
`;

const USERS: TypedDocumentNode<{ users: Page<IdentityUser> }, { filter: UsersFilter }> = gql`
  query Users($filter: UsersFilterInput) {
    users(filter: $filter) {
      items {
        ...IdentityUserFields
      }
      pageInfo {
        ...PageInfoFields
      }
    }
  }
  ${USER_FIELDS}
  ${PAGE_INFO_FIELDS}
`;

const USER: TypedDocumentNode<{ user: IdentityUser }, { id: string }> = gql`
  query User($id: ID!) {
    user(id: $id) {
      ...IdentityUserFields
    }
  }
  ${USER_FIELDS}
`;

const ASSIGN_ROLE: TypedDocumentNode<
  { assignRole: IdentityUser },
  { input: { userId: string; role: Role } }
> = gql`
  mutation AssignRole($input: AssignRoleInput!) {
    assignRole(input: $input) {
      ...IdentityUserFields
    }
  }
  ${USER_FIELDS}
`;

const SET_USER_SUSPENDED: TypedDocumentNode<
  { setUserSuspended: IdentityUser },
  { id: string; suspended: boolean }
> = gql`
  mutation SetUserSuspended($id: ID!, $suspended: Boolean!) {
    setUserSuspended(id: $id, suspended: $suspended) {
      ...IdentityUserFields
    }
  }
  ${USER_FIELDS}
`;

const API_KEYS: TypedDocumentNode<{ apiKeys: ApiKey[] }, Record<string, never>> = gql`
  query ApiKeys {
    apiKeys {
      ...ApiKeyFields
    }
  }
  ${API_KEY_FIELDS}
`;

const CREATE_API_KEY: TypedDocumentNode<{ createApiKey: CreatedApiKey }, { input: CreateApiKeyInput }> = gql`
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      apiKey {
        ...ApiKeyFields
      }
      secret
    }
  }
  ${API_KEY_FIELDS}
`;

const REVOKE_API_KEY: TypedDocumentNode<{ revokeApiKey: boolean }, { id: string }> = gql`
  mutation RevokeApiKey($id: ID!) {
    revokeApiKey(id: $id)
  }
`;

const ROTATE_API_KEY: TypedDocumentNode<{ rotateApiKey: CreatedApiKey }, { id: string }> = gql`
  mutation RotateApiKey($id: ID!) {
    rotateApiKey(id: $id) {
      apiKey {
        ...ApiKeyFields
      }
      secret
    }
  }
  ${API_KEY_FIELDS}
`;

const VERIFIED_SESSIONS: TypedDocumentNode<{ verifiedSessions: VerifiedSession[] }, Record<string, never>> = gql`
  query VerifiedSessions {
    verifiedSessions {
      id
      externalSessionId
      createdAt
      expiresAt
    }
  }
`;

const REVOKE_VERIFIED_SESSION: TypedDocumentNode<{ revokeVerifiedSession: boolean }, { id: string }> = gql`
  mutation RevokeVerifiedSession($id: ID!) {
    revokeVerifiedSession(id: $id)
  }
`;

const CHANGE_PASSWORD: TypedDocumentNode<
  { changePassword: boolean },
  { input: { currentPassword: string; newPassword: string } }
> = gql`
  mutation ChangePassword($input: ChangePasswordInput!) {
    changePassword(input: $input)
  }
`;

const TEAM_FIELDS = gql`
  fragment TeamFields on Team {
    id
    name
    createdAt
    members {
      userId
      role
      addedAt
    }
  }
`;

const TEAMS: TypedDocumentNode<{ teams: Team[] }, Record<string, never>> = gql`
  query Teams {
    teams {
      ...TeamFields
    }
  }
  ${TEAM_FIELDS}
`;

const CREATE_TEAM: TypedDocumentNode<{ createTeam: Team }, { input: { name: string } }> = gql`
  mutation CreateTeam($input: CreateTeamInput!) {
    createTeam(input: $input) {
      ...TeamFields
    }
  }
  ${TEAM_FIELDS}
`;

const ADD_TEAM_MEMBER: TypedDocumentNode<{ addTeamMember: Team }, { input: AddTeamMemberInput }> = gql`
  mutation AddTeamMember($input: AddTeamMemberInput!) {
    addTeamMember(input: $input) {
      ...TeamFields
    }
  }
  ${TEAM_FIELDS}
`;

const AUDIT_LOG: TypedDocumentNode<{ auditLog: Page<AuditEntry> }, { filter: AuditLogFilter }> = gql`
  query AuditLog($filter: AuditLogFilterInput) {
    auditLog(filter: $filter) {
      items {
        id
        occurredAt
        actorId
        action
        targetType
        targetId
        ip
        requestId
        details
      }
      pageInfo {
        ...PageInfoFields
      }
    }
  }
  ${PAGE_INFO_FIELDS}
`;

const REQUEST_PASSWORD_RESET: TypedDocumentNode<{ requestPasswordReset: boolean }, { email: string }> = gql`
  mutation RequestPasswordReset($email: String!) {
    requestPasswordReset(email: $email)
  }
`;

const RESET_PASSWORD: TypedDocumentNode<
  { resetPassword: boolean },
  { input: { token: string; newPassword: string } }
> = gql`
  mutation ResetPassword($input: ResetPasswordInput!) {
    resetPassword(input: $input)
  }
`;

/** Data access for the identity context: accounts, roles, API keys, password reset, audit log. */
@Injectable({ providedIn: 'root' })
export class IdentityApi {
  private readonly apollo = inject(Apollo);

  users(filter: UsersFilter): Observable<Page<IdentityUser>> {
    return this.apollo.query({ query: USERS, variables: { filter }, fetchPolicy: 'network-only' }).pipe(
      requireData(),
      map((data) => data.users),
    );
  }

  user(id: string): Observable<IdentityUser> {
    return this.apollo.query({ query: USER, variables: { id }, fetchPolicy: 'network-only' }).pipe(
      requireData(),
      map((data) => data.user),
    );
  }

  assignRole(userId: string, role: Role): Observable<IdentityUser> {
    return this.apollo.mutate({ mutation: ASSIGN_ROLE, variables: { input: { userId, role } } }).pipe(
      requireData(),
      map((data) => data.assignRole),
    );
  }

  setUserSuspended(id: string, suspended: boolean): Observable<IdentityUser> {
    return this.apollo.mutate({ mutation: SET_USER_SUSPENDED, variables: { id, suspended } }).pipe(
      requireData(),
      map((data) => data.setUserSuspended),
    );
  }

  /** The signed-in account's own keys. */
  apiKeys(): Observable<ApiKey[]> {
    return this.apollo.query({ query: API_KEYS, fetchPolicy: 'network-only' }).pipe(
      requireData(),
      map((data) => data.apiKeys),
    );
  }

  createApiKey(input: CreateApiKeyInput): Observable<CreatedApiKey> {
    // no-cache: the secret must not linger in Apollo's cache after the dialog shows it.
    return this.apollo.mutate({ mutation: CREATE_API_KEY, variables: { input }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.createApiKey),
    );
  }

  revokeApiKey(id: string): Observable<boolean> {
    return this.apollo.mutate({ mutation: REVOKE_API_KEY, variables: { id } }).pipe(
      requireData(),
      map((data) => data.revokeApiKey),
    );
  }

  /** Issues a new secret for the key (same name and scopes); the old secret stops working. */
  rotateApiKey(id: string): Observable<CreatedApiKey> {
    // no-cache, as for createApiKey: the secret must not linger in Apollo's cache.
    return this.apollo.mutate({ mutation: ROTATE_API_KEY, variables: { id }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.rotateApiKey),
    );
  }

  /** The signed-in account's verified sessions in third-party tools. */
  verifiedSessions(): Observable<VerifiedSession[]> {
    // no-cache: a shrinking list would otherwise trip Apollo's "cache data may be lost" merge warning.
    return this.apollo.query({ query: VERIFIED_SESSIONS, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.verifiedSessions),
    );
  }

  revokeVerifiedSession(id: string): Observable<boolean> {
    return this.apollo.mutate({ mutation: REVOKE_VERIFIED_SESSION, variables: { id } }).pipe(
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
        mutation: CHANGE_PASSWORD,
        variables: { input: { currentPassword, newPassword } },
      })
      .pipe(
        requireData(),
        map((data) => data.changePassword),
      );
  }

  /** Every team (administrators only). */
  teams(): Observable<Team[]> {
    return this.apollo.query({ query: TEAMS, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.teams),
    );
  }

  createTeam(name: string): Observable<Team> {
    return this.apollo.mutate({ mutation: CREATE_TEAM, variables: { input: { name } } }).pipe(
      requireData(),
      map((data) => data.createTeam),
    );
  }

  addTeamMember(input: AddTeamMemberInput): Observable<Team> {
    return this.apollo.mutate({ mutation: ADD_TEAM_MEMBER, variables: { input } }).pipe(
      requireData(),
      map((data) => data.addTeamMember),
    );
  }

  auditLog(filter: AuditLogFilter): Observable<Page<AuditEntry>> {
    return this.apollo.query({ query: AUDIT_LOG, variables: { filter }, fetchPolicy: 'network-only' }).pipe(
      requireData(),
      map((data) => data.auditLog),
    );
  }

  requestPasswordReset(email: string): Observable<boolean> {
    return this.apollo.mutate({ mutation: REQUEST_PASSWORD_RESET, variables: { email } }).pipe(
      requireData(),
      map((data) => data.requestPasswordReset),
    );
  }

  resetPassword(token: string, newPassword: string): Observable<boolean> {
    return this.apollo
      .mutate({ mutation: RESET_PASSWORD, variables: { input: { token, newPassword } } })
      .pipe(
        requireData(),
        map((data) => data.resetPassword),
      );
  }
}
