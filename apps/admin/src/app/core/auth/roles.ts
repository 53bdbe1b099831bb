import { can, outranks, ROLES, type Permission, type Role } from '@sah/domain';

/** The role order and permission matrix come from the domain lib, so the console and the API agree. */
export { ROLES };

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  SUPER_ADMIN: 'Super admin',
  ADMIN: 'Admin',
  MANAGER: 'Manager',
  USER: 'User',
  GUEST: 'Guest',
};

/** The role that decides what an account may do: its highest one. */
export function highestRole(roles: readonly Role[]): Role | null {
  return ROLES.find((role) => roles.includes(role)) ?? null;
}

export function hasPermission(roles: readonly Role[], permission: Permission): boolean {
  const role = highestRole(roles);
  return role !== null && can(role, permission);
}

/** Roles a caller may hand out: strictly below their own (the API refuses anything else). */
export function assignableRoles(callerRoles: readonly Role[]): Role[] {
  const caller = highestRole(callerRoles);
  return caller ? ROLES.filter((role) => outranks(caller, role)) : [];
}

/** Whether the caller may change another account's role or status: only accounts below them. */
export function canManage(callerRoles: readonly Role[], targetRoles: readonly Role[]): boolean {
  const caller = highestRole(callerRoles);
  const target = highestRole(targetRoles) ?? 'GUEST';
  return caller !== null && outranks(caller, target);
}
