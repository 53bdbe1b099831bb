import { can } from '@sah/domain';
import type { EndpointScope } from '@sah/infrastructure';
import type { Principal } from '../../../platform/auth/principal';

/** Admins see every endpoint and delivery; anyone else only their own (others' are NOT_FOUND). */
export function webhookScope(principal: Principal): EndpointScope {
  return { ownerId: can(principal.role, 'webhooks:admin') ? null : principal.userId };
}
