import { DomainError } from '../shared/domain-error';
import { COMMON_PASSWORDS } from './common-passwords';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/** Throws WEAK_PASSWORD naming every rule the password breaks. */
export function assertStrongPassword(password: string): void {
  const problems: string[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) problems.push(`at least ${PASSWORD_MIN_LENGTH} characters`);
  if (password.length > PASSWORD_MAX_LENGTH) problems.push(`at most ${PASSWORD_MAX_LENGTH} characters`);
  if (!/[A-Z]/.test(password)) problems.push('an upper-case letter');
  if (!/\d/.test(password)) problems.push('a digit');
  if (problems.length > 0) {
    throw new DomainError('WEAK_PASSWORD', `Password needs ${problems.join(', ')}`, { field: 'password', problems });
  }
  if (COMMON_PASSWORDS.has(password.toLowerCase())) {
    throw new DomainError('WEAK_PASSWORD', 'This password is too common; choose another', {
      field: 'password',
      problems: ['common'],
    });
  }
}
