import type { Role } from '@sah/domain';

/** Roles as defined by the API contract (SUPER_ADMIN > ADMIN > MANAGER > USER > GUEST). */
export type { Role } from '@sah/domain';

export interface CurrentUser {
  readonly id: string;
  readonly email: string;
  readonly name: string | null;
  readonly roles: readonly Role[];
  readonly emailVerified: boolean;
}

/** `AuthPayload` returned by `login` and `refreshToken`. */
export interface AuthPayload {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Seconds until the access token expires. */
  readonly expiresIn: number;
  readonly user: CurrentUser;
}
