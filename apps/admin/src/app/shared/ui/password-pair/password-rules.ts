import type { AbstractControl, ValidationErrors, ValidatorFn } from '@angular/forms';
import { PASSWORD_MIN_LENGTH } from '@sah/domain';

export interface PasswordRule {
  readonly id: 'length' | 'upper' | 'digit';
  readonly label: string;
  readonly test: (password: string) => boolean;
}

/** The API's password policy (libs/domain password-policy), shown as a live checklist. */
export const PASSWORD_RULES: readonly PasswordRule[] = [
  {
    id: 'length',
    label: `At least ${PASSWORD_MIN_LENGTH} characters`,
    test: (password) => password.length >= PASSWORD_MIN_LENGTH,
  },
  { id: 'upper', label: 'An upper-case letter', test: (password) => /[A-Z]/.test(password) },
  { id: 'digit', label: 'A digit', test: (password) => /\d/.test(password) },
];

/** The rules a password breaks; empty when it passes them all. */
export function brokenPasswordRules(password: string): PasswordRule['id'][] {
  return PASSWORD_RULES.filter((rule) => !rule.test(password)).map((rule) => rule.id);
}

/** `{ weakPassword: ['upper', …] }` until every rule passes. The API still has the last word (common passwords). */
export const strongPassword: ValidatorFn = (control: AbstractControl<string>): ValidationErrors | null => {
  const broken = brokenPasswordRules(control.value ?? '');
  return broken.length > 0 ? { weakPassword: broken } : null;
};

/** Group validator: `newPassword` and `confirmPassword` must be equal. */
export const passwordsMatch: ValidatorFn = (group: AbstractControl): ValidationErrors | null => {
  const password = group.get('newPassword')?.value as string | undefined;
  const confirm = group.get('confirmPassword')?.value as string | undefined;
  return confirm && password !== confirm ? { mismatch: true } : null;
};
