import { ChangeDetectionStrategy, ChangeDetectorRef, Component, effect, inject, input } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';

import { passwordsMatch, strongPassword } from './password-rules';
import { PasswordRulesComponent } from './password-rules.component';

export type PasswordPair = FormGroup<{
  newPassword: FormControl<string>;
  confirmPassword: FormControl<string>;
}>;

/** The two controls of a new password: the policy's rules on the first, equality across both. */
export function passwordPair(): PasswordPair {
  return new FormGroup(
    {
      newPassword: new FormControl('', {
        nonNullable: true,
        validators: [Validators.required, Validators.maxLength(128), strongPassword],
      }),
      confirmPassword: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    },
    { validators: passwordsMatch },
  );
}

/**
 * "New password" and "Repeat the new password" with the live rules checklist between them and the
 * mismatch message under them: the same pair wherever a password is chosen (reset, change).
 * The page puts `passwordPair()` in its form and marks it touched on a submit that fails.
 */
@Component({
  selector: 'sah-password-pair',
  imports: [ReactiveFormsModule, MatFormFieldModule, MatInputModule, PasswordRulesComponent],
  template: `
    @let controls = pair().controls;
    <mat-form-field appearance="outline" subscriptSizing="dynamic">
      <mat-label>New password</mat-label>
      <input
        matInput
        type="password"
        [formControl]="controls.newPassword"
        autocomplete="new-password"
        [attr.aria-describedby]="rulesId()"
        [attr.data-testid]="testIdPrefix() + '-new'"
      />
      @if (controls.newPassword.hasError('required')) {
        <mat-error>Enter a new password.</mat-error>
      } @else if (controls.newPassword.hasError('weakPassword')) {
        <mat-error>The password does not meet every rule below.</mat-error>
      } @else if (controls.newPassword.hasError('maxlength')) {
        <mat-error>At most 128 characters.</mat-error>
      }
    </mat-form-field>

    <sah-password-rules [password]="controls.newPassword.value" [listId]="rulesId()" />

    <mat-form-field appearance="outline">
      <mat-label>Repeat the new password</mat-label>
      <input
        matInput
        type="password"
        [formControl]="controls.confirmPassword"
        autocomplete="new-password"
        [attr.data-testid]="testIdPrefix() + '-confirm'"
      />
      @if (controls.confirmPassword.hasError('required')) {
        <mat-error>Repeat the new password.</mat-error>
      }
    </mat-form-field>
    @if (pair().hasError('mismatch') && controls.confirmPassword.touched) {
      <p class="password-pair__mismatch" role="alert" [attr.data-testid]="testIdPrefix() + '-mismatch'">
        The two passwords are different.
      </p>
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
    }
    .password-pair__mismatch {
      margin: 0 0 8px;
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PasswordPairComponent {
  readonly pair = input.required<PasswordPair>();
  /** The rules list's element id, unique on the page (the first field is described by it). */
  readonly rulesId = input.required<string>();
  /** Test ids `<prefix>-new`, `<prefix>-confirm` and `<prefix>-mismatch`. */
  readonly testIdPrefix = input.required<string>();

  constructor() {
    // The page marks the pair touched (a failed submit) or resets it: show its errors then too.
    const changes = inject(ChangeDetectorRef);
    effect((onCleanup) => {
      const subscription = this.pair().events.subscribe(() => changes.markForCheck());
      onCleanup(() => subscription.unsubscribe());
    });
  }
}
