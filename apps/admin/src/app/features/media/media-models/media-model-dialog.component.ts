import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import type { Observable } from 'rxjs';

import { DialogSubmitComponent } from '../../../shared/ui/dialog-submit/dialog-submit.component';
import { formSubmission } from '../../../shared/ui/dialog-submit/form-submission';
import { priceValidator } from '../../ai/models/model-form';
import { MediaApi } from '../data-access/media.api';
import type { MediaModel } from '../data-access/media.types';
import { UNIT_LABELS } from '../ui/media-labels';

/** A media model's price and availability (admins); jobs already created keep the price they held. */
@Component({
  selector: 'sah-media-model-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatSlideToggleModule,
    DialogSubmitComponent,
  ],
  template: `
    <h2 mat-dialog-title>Edit {{ model.id }}</h2>
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate data-testid="media-model-form">
      <mat-dialog-content class="ai-dialog">
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Price in credits</mat-label>
          <input
            matInput
            formControlName="price"
            inputmode="decimal"
            autocomplete="off"
            data-testid="media-model-price"
          />
          <mat-hint>Credits {{ unitLabel }}, up to 3 decimals. Applies to jobs created after saving.</mat-hint>
          @if (form.controls.price.invalid) {
            <mat-error>Zero or more, with at most 3 decimals.</mat-error>
          }
        </mat-form-field>
        <mat-slide-toggle formControlName="enabled" data-testid="media-model-enabled">
          Enabled: users may create jobs with it
        </mat-slide-toggle>
      </mat-dialog-content>
      <sah-dialog-submit
        [submission]="submission"
        busyLabel="Saving the model"
        submitTestId="media-model-submit"
        errorTestId="media-model-error"
      >
        Save changes
      </sah-dialog-submit>
    </form>
  `,
  // The AI dialogs' layout and error box: this one sits beside the chat models' dialog.
  styleUrl: '../../ai/ui/ai-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MediaModelDialogComponent {
  private readonly api = inject(MediaApi);
  private readonly dialogRef = inject<MatDialogRef<MediaModelDialogComponent, MediaModel>>(MatDialogRef);
  protected readonly model = inject<MediaModel>(MAT_DIALOG_DATA);
  protected readonly unitLabel = UNIT_LABELS[this.model.unit] ?? `per ${this.model.unit}`;

  protected readonly form = inject(NonNullableFormBuilder).group({
    price: [String(this.model.price), [Validators.required, priceValidator]],
    enabled: [this.model.enabled],
  });
  protected readonly submission = formSubmission();

  protected submit(): void {
    const { price, enabled } = this.form.getRawValue();
    this.submission.submit(
      this.form,
      () => this.api.updateModel({ id: this.model.id, price: price.trim(), enabled }),
      (saved) => this.dialogRef.close(saved),
    );
  }
}

export function openMediaModelDialog(dialog: MatDialog, model: MediaModel): Observable<MediaModel | undefined> {
  return dialog
    .open<MediaModelDialogComponent, MediaModel, MediaModel>(MediaModelDialogComponent, {
      data: model,
      width: '32rem',
      maxWidth: 'calc(100vw - 32px)',
      autoFocus: 'first-tabbable',
    })
    .afterClosed();
}
