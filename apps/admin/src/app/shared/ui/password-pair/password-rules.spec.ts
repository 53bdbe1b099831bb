import { FormControl, FormGroup } from '@angular/forms';

import { brokenPasswordRules, passwordsMatch, strongPassword } from './password-rules';

describe('password rules', () => {
  it('names each rule a password breaks', () => {
    expect(brokenPasswordRules('')).toEqual(['length', 'upper', 'digit']);
    expect(brokenPasswordRules('abcdefgh')).toEqual(['upper', 'digit']);
    expect(brokenPasswordRules('Abcdefg1')).toEqual([]);
    expect(brokenPasswordRules('Abc1')).toEqual(['length']);
  });

  it('validates a control until every rule passes', () => {
    expect(strongPassword(new FormControl('Abcdefgh'))).toEqual({ weakPassword: ['digit'] });
    expect(strongPassword(new FormControl('Abcdefg1'))).toBeNull();
  });

  it('requires the repeated password to match once it is typed', () => {
    const group = (password: string, confirm: string) =>
      new FormGroup({ newPassword: new FormControl(password), confirmPassword: new FormControl(confirm) });

    expect(passwordsMatch(group('Abcdefg1', ''))).toBeNull();
    expect(passwordsMatch(group('Abcdefg1', 'Abcdefg2'))).toEqual({ mismatch: true });
    expect(passwordsMatch(group('Abcdefg1', 'Abcdefg1'))).toBeNull();
  });
});
