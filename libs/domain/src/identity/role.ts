/** Highest first. A role outranks every role after it. */
export const ROLES = ['SUPER_ADMIN', 'ADMIN', 'MANAGER', 'USER', 'GUEST'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Readonly<Record<Role, number>> = { SUPER_ADMIN: 4, ADMIN: 3, MANAGER: 2, USER: 1, GUEST: 0 };

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function outranks(role: Role, other: Role): boolean {
  return RANK[role] > RANK[other];
}
