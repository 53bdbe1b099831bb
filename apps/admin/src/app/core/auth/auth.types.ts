import type { AuthPayloadFieldsFragment, CurrentUserFieldsFragment } from '../graphql/operations.generated';

/** Roles as defined by the API contract (SUPER_ADMIN > ADMIN > MANAGER > USER > GUEST). */
export type { Role } from '@sah/domain';

export type CurrentUser = CurrentUserFieldsFragment;
/** `AuthPayload` returned by `login` and `refreshToken`. */
export type AuthPayload = AuthPayloadFieldsFragment;
