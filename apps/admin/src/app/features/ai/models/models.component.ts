import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTableModule } from '@angular/material/table';
import { filter } from 'rxjs';

import { TablePanelComponent } from '../../../shared/ui/table-panel/table-panel.component';
import { CreditsPipe } from '../../billing/ui/credits.pipe';
import { AiApi } from '../data-access/ai.api';
import type { AiModel } from '../data-access/ai.types';
import { reloadableQuery } from '../../../shared/data/reloadable-query';
import { providerLabel } from '../ui/ai-labels';
import { openModelDialog } from './model-dialog.component';

/** The model catalogue with its prices, disabled models included: create and edit (admins). */
@Component({
  selector: 'sah-models',
  imports: [
    DecimalPipe,
    MatButtonModule,
    MatIconModule,
    MatTableModule,
    CreditsPipe,
    TablePanelComponent,
  ],
  templateUrl: './models.component.html',
  styleUrl: './models.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ModelsComponent {
  private readonly api = inject(AiApi);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly providerLabel = providerLabel;
  protected readonly columns = [
    'id',
    'provider',
    'context',
    'inputPrice',
    'outputPrice',
    'fallback',
    'status',
    'actions',
  ];

  protected readonly catalogue = reloadableQuery(() => this.api.models(true));
  protected readonly models = this.catalogue.value;

  protected reload(): void {
    this.catalogue.reload();
  }

  protected create(): void {
    this.openDialog(undefined, (model) => `Model ${model.id} created.`);
  }

  protected edit(model: AiModel): void {
    this.openDialog(model, (saved) => `${saved.id} saved.`);
  }

  private openDialog(model: AiModel | undefined, message: (saved: AiModel) => string): void {
    openModelDialog(this.dialog, { model, models: this.models() ?? [] })
      .pipe(filter((saved) => saved !== undefined))
      .subscribe((saved) => {
        this.snackBar.open(message(saved), 'OK', { duration: 5000 });
        this.reload();
      });
  }
}
