import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule, type MatDialogConfig } from '@angular/material/dialog';
import { map, type Observable } from 'rxjs';

export interface ConfirmDialogData {
  readonly title: string;
  readonly message: string;
  readonly confirmLabel: string;
  /** Red confirm button for actions that take something away (suspend, revoke). */
  readonly destructive?: boolean;
}

/**
 * "Are you sure?" for actions with consequences; closes with true only on confirm. Focus starts on
 * Cancel (the first button), so a stray Enter does not confirm a destructive action.
 */
@Component({
  selector: 'sah-confirm-dialog',
  imports: [MatButtonModule, MatDialogModule],
  template: `
    <h2 mat-dialog-title>{{ data.title }}</h2>
    <mat-dialog-content>
      <p>{{ data.message }}</p>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" [mat-dialog-close]="false" data-testid="confirm-cancel">Cancel</button>
      <button
        mat-flat-button
        type="button"
        [class.confirm-dialog__destructive]="data.destructive"
        [mat-dialog-close]="true"
        data-testid="confirm-ok"
      >
        {{ data.confirmLabel }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    .confirm-dialog__destructive {
      background: var(--mat-sys-error);
      color: var(--mat-sys-on-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConfirmDialogComponent {
  protected readonly data = inject<ConfirmDialogData>(MAT_DIALOG_DATA);
}

/** Opens the confirm dialog; emits once, true only when the user confirmed. */
export function confirmAction(dialog: MatDialog, data: ConfirmDialogData): Observable<boolean> {
  const config: MatDialogConfig<ConfirmDialogData> = { data, width: '28rem', maxWidth: 'calc(100vw - 32px)' };
  return dialog
    .open<ConfirmDialogComponent, ConfirmDialogData, boolean>(ConfirmDialogComponent, config)
    .afterClosed()
    .pipe(map((confirmed) => confirmed === true));
}
