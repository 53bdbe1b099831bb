import type { AuthPayloadFieldsFragment, CurrentUserFieldsFragment } from '../graphql/operations.generated';

/** Roles as defined by the API contract (SUPER_ADMIN > ADMIN > MANAGER > USER > GUEST). */
export type { Role } from '@sah/domain';

export type CurrentUser = CurrentUserFieldsFragment;
/** `AuthPayload` returned by `login` and `refreshToken`: tokens, or a two-factor challenge instead. */
export type AuthPayload = AuthPayloadFieldsFragment;
/** A payload that carries a session (every one without `twoFactor`). */
export interface SessionPayload {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresIn: number;
  readonly user: CurrentUser;
}
/** The step between the password (or Google) and the tokens: a code is due (`SIGN_IN`), or enrolment (`ENROL`). */
export type TwoFactorChallenge = NonNullable<AuthPayload['twoFactor']>;

export function hasSession(payload: AuthPayload): payload is AuthPayload & SessionPayload {
  return payload.accessToken != null && payload.refreshToken != null && payload.expiresIn != null;
}
