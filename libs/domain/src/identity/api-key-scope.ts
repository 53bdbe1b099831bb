import { can, Permission } from './permission';
import { Role } from './role';

export const API_KEY_SCOPES = ['ai.use', 'credits.read', 'media.create', 'partner.credits', 'webhooks.manage'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** The permission a key's owner must hold for the key to carry the scope. */
const SCOPE_PERMISSION: Readonly<Record<ApiKeyScope, Permission>> = {
  'ai.use': 'ai:use',
  'credits.read': 'credits:read',
  'media.create': 'ai:use',
  'partner.credits': 'partner-keys:grant',
  'webhooks.manage': 'webhooks:manage',
};

export function isApiKeyScope(value: string): value is ApiKeyScope {
  return (API_KEY_SCOPES as readonly string[]).includes(value);
}

/**
 * Whether a role may put this scope on a key. Checked when a key is created AND on every use, with
 * the owner's current role: a key never does more than its owner could grant today.
 */
export function mayGrantApiKeyScope(role: Role, scope: string): boolean {
  return isApiKeyScope(scope) && can(role, 'api-keys:manage') && can(role, SCOPE_PERMISSION[scope]);
}

/** What a key with these scopes may do for an owner with this role: the intersection. */
export function effectiveApiKeyScopes(role: Role, scopes: readonly string[]): string[] {
  return scopes.filter((scope) => mayGrantApiKeyScope(role, scope));
}
