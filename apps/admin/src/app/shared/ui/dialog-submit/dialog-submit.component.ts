import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialogModule } from '@angular/material/dialog';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';

import type { FormSubmission } from './form-submission';

/**
 * The foot of a dialog's form: the API's refusal (an alert), then Cancel and the submit button, both
 * waiting while `submission` is busy, the submit button with a spinner named `busyLabel`. Placed inside
 * the `<form>`, after `<mat-dialog-content>`; the projected content is the submit button's label.
 *
 * ```html
 * <sah-dialog-submit [submission]="submission" busyLabel="Saving limits" submitTestId="api-key-limit-save"
 *                    errorTestId="api-key-limit-error">Save</sah-dialog-submit>
 * ```
 */
@Component({
  selector: 'sah-dialog-submit',
  imports: [MatButtonModule, MatDialogModule, MatProgressSpinnerModule],
  template: `
    @if (submission().error(); as message) {
      <p class="form-error dialog-submit__error" role="alert" [attr.data-testid]="errorTestId()">{{ message }}</p>
    }
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close [disabled]="submission().busy()">Cancel</button>
      <button
        mat-flat-button
        type="submit"
        [class.dialog-submit__destructive]="destructive()"
        [disabled]="submission().busy()"
        [attr.data-testid]="submitTestId()"
      >
        @if (submission().busy()) {
          <mat-progress-spinner class="button-spinner" mode="indeterminate" diameter="18" [attr.aria-label]="busyLabel()" />
        }
        <ng-content />
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    :host {
      display: contents;
    }
    /* The console's error box (.form-error), in line with the dialog's content. */
    .dialog-submit__error {
      margin: 0 24px;
    }
    .dialog-submit__destructive {
      --mat-button-filled-container-color: var(--mat-sys-error);
      --mat-button-filled-label-text-color: var(--mat-sys-on-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DialogSubmitComponent {
  readonly submission = input.required<FormSubmission>();
  /** Names the spinner for screen readers while the request runs ("Deleting account"). */
  readonly busyLabel = input.required<string>();
  /** Red, for a submit that takes something away (deleting an account). */
  readonly destructive = input(false);
  readonly submitTestId = input<string | null>(null);
  readonly errorTestId = input<string | null>(null);
}
