import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';

import { PASSWORD_RULES } from './password-rules';

/**
 * The live checklist of the password policy shown under a "new password" field.
 * Give the field `aria-describedby` = `listId` so screen readers read the rules.
 */
@Component({
  selector: 'sah-password-rules',
  imports: [MatIconModule],
  template: `
    <ul class="password-rules" [id]="listId()" aria-label="Password rules" data-testid="password-rules">
      @for (rule of rules(); track rule.id) {
        <li [class.password-rules__rule--met]="rule.met" [attr.data-met]="rule.met">
          <mat-icon aria-hidden="true">{{ rule.met ? 'check_circle' : 'radio_button_unchecked' }}</mat-icon>
          {{ rule.label }}
          <span class="visually-hidden">{{ rule.met ? '(met)' : '(not met yet)' }}</span>
        </li>
      }
    </ul>
  `,
  styles: `
    :host {
      display: block;
    }

    .password-rules {
      list-style: none;
      margin: 8px 0 16px;
      padding: 0;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);

      li {
        display: flex;
        align-items: center;
        gap: 6px;
        margin: 2px 0;
      }

      mat-icon {
        width: 18px;
        height: 18px;
        font-size: 18px;
      }
    }

    .password-rules__rule--met {
      color: var(--mat-sys-primary);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PasswordRulesComponent {
  /** The password being typed. */
  readonly password = input.required<string>();
  /** The list's DOM id, for the field's `aria-describedby`. */
  readonly listId = input.required<string>();

  protected readonly rules = computed(() =>
    PASSWORD_RULES.map((rule) => ({ id: rule.id, label: rule.label, met: rule.test(this.password()) })),
  );
}
