import { ChangeDetectionStrategy, Component, input, model } from '@angular/core';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';

export interface SelectOption<T> {
  readonly value: T;
  readonly label: string;
}

/**
 * A labelled choice outside a form, of what a page shows or downloads (group the usage by, a
 * statement's month): an outlined Material select, its value bound both ways (`[(value)]`) or
 * followed with `(valueChange)`.
 */
@Component({
  selector: 'sah-select-field',
  imports: [MatFormFieldModule, MatSelectModule],
  template: `
    <mat-form-field appearance="outline" subscriptSizing="dynamic">
      <mat-label>{{ label() }}</mat-label>
      <mat-select [value]="value()" (selectionChange)="value.set($event.value)" [attr.data-testid]="testId()">
        @for (option of options(); track option.value) {
          <mat-option [value]="option.value">{{ option.label }}</mat-option>
        }
      </mat-select>
    </mat-form-field>
  `,
  styles: `
    mat-form-field {
      width: 12rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SelectFieldComponent<T> {
  readonly label = input.required<string>();
  readonly options = input.required<readonly SelectOption<T>[]>();
  readonly value = model.required<T>();
  readonly testId = input<string | null>(null);
}
