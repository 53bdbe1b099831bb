import { DomainError } from '../shared/domain-error';

export type TeamMemberRole = 'member' | 'manager';

/** A team's name rules; a team gives its managers their scope over its members. */
export function normalizeTeamName(name: string): string {
  const value = name.trim().replace(/\s+/g, ' ');
  if (value.length < 2 || value.length > 100) throw DomainError.badInput('Team name must be 2 to 100 characters', { field: 'name' });
  return value;
}

export function isTeamMemberRole(value: string): value is TeamMemberRole {
  return value === 'member' || value === 'manager';
}
