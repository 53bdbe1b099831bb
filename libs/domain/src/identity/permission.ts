import { Role } from './role';

/** `resource:action` pairs. Scope (own, team, all) is decided by the use case, not the permission. */
export const PERMISSIONS = [
  'dashboard:view',
  'ai:use',
  'credits:read',
  'api-keys:manage',
  'users:read',
  'users:manage',
  'roles:assign',
  'credits:adjust',
  'credits:refund',
  'billing:manage',
  'ai:manage',
  'teams:manage',
  'audit:read',
  'partner-keys:grant',
  'system:configure',
  /** Own webhook endpoints and their deliveries. */
  'webhooks:manage',
  /** Every endpoint, and platform-wide ones (every user's events). */
  'webhooks:admin',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GUEST: readonly Permission[] = ['ai:use', 'credits:read'];
const USER: readonly Permission[] = [...GUEST, 'dashboard:view', 'api-keys:manage', 'webhooks:manage'];
// Managers read and adjust within their teams only (enforced where the team is known).
const MANAGER: readonly Permission[] = [...USER, 'users:read', 'credits:adjust'];
const ADMIN: readonly Permission[] = [
  ...MANAGER,
  'users:manage',
  'roles:assign',
  'teams:manage',
  'audit:read',
  'partner-keys:grant',
  'credits:refund',
  'billing:manage',
  'ai:manage',
  'webhooks:admin',
];
const SUPER_ADMIN: readonly Permission[] = [...ADMIN, 'system:configure'];

/** The product's permission matrix. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  GUEST: new Set(GUEST),
  USER: new Set(USER),
  MANAGER: new Set(MANAGER),
  ADMIN: new Set(ADMIN),
  SUPER_ADMIN: new Set(SUPER_ADMIN),
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

/** Roles whose reach is limited to their own teams, even where they hold the permission. */
export function isTeamScoped(role: Role): boolean {
  return role === 'MANAGER';
}
