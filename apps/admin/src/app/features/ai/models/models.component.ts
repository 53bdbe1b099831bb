import { formatNumber } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';

import { listActions } from '../../../shared/ui/list-actions';
import { catalogueColumns, LIST_PAGE_IMPORTS, type TableSpec } from '../../../shared/ui/list-page';
import { creditsColumn } from '../../billing/ui/credits-column';
import { AiApi } from '../data-access/ai.api';
import type { AiModel } from '../data-access/ai.types';
import { reloadableQuery } from '../../../shared/data/reloadable-query';
import { providerColumn } from '../ui/provider-column';
import { openModelDialog } from './model-dialog.component';

/** The model catalogue with its prices, disabled models included: create and edit (admins). */
@Component({
  selector: 'sah-models',
  imports: [LIST_PAGE_IMPORTS],
  templateUrl: './models.component.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ModelsComponent {
  private readonly api = inject(AiApi);
  private readonly actions = listActions();

  protected readonly newModel = { label: 'New model', icon: 'add', testId: 'model-new' };
  protected readonly table: TableSpec<AiModel> = {
    noun: 'models',
    columns: [
      { key: 'id', header: 'Model' },
      providerColumn(),
      {
        key: 'context',
        header: 'Context / max output',
        cell: (model, locale) =>
          `${formatNumber(model.contextWindow, locale)} / ${formatNumber(model.maxOutputTokens, locale)}`,
        class: 'table-panel__number',
      },
      creditsColumn('inputPrice', 'Input / 1k', (model) => model.inputPricePer1k, 'model-input-price'),
      creditsColumn('outputPrice', 'Output / 1k', (model) => model.outputPricePer1k, 'model-output-price'),
      { key: 'fallback', header: 'Fallback', cell: (model) => model.fallbackModelId ?? '—' },
      ...catalogueColumns<AiModel>('model', (model) => this.edit(model)),
    ],
    testIdPrefix: 'models',
    rowTestId: 'model-row',
    rowAttributes: (model) => ({ 'data-model': model.id }),
    emptyText: 'The catalogue is empty: nobody can call a model until one is added.',
  };

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
    this.actions.afterDialog(
      (dialog) => openModelDialog(dialog, { model, models: this.models() ?? [] }),
      message,
      () => this.reload(),
    );
  }
}
