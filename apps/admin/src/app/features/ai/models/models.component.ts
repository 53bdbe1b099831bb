import { formatNumber } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatSelectModule } from '@angular/material/select';

import { listActions } from '../../../shared/ui/list-actions';
import { catalogueColumns, LIST_PAGE_IMPORTS, type TableSpec } from '../../../shared/ui/list-page';
import { creditsColumn } from '../../billing/ui/credits-column';
import { AiApi } from '../data-access/ai.api';
import { ROUTING_POLICIES, type AiModel, type RoutingPolicy } from '../data-access/ai.types';
import { reloadableQuery } from '../../../shared/data/reloadable-query';
import { ROUTING_LABELS } from '../ui/ai-labels';
import { providerColumn } from '../ui/provider-column';
import { openModelDialog } from './model-dialog.component';

/**
 * The model catalogue with its prices, disabled models included: create and edit (admins), and how
 * each model's calls choose among the channels serving it.
 */
@Component({
  selector: 'sah-models',
  imports: [MatSelectModule, LIST_PAGE_IMPORTS],
  templateUrl: './models.component.html',
  styleUrl: './models.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ModelsComponent {
  private readonly api = inject(AiApi);
  protected readonly actions = listActions();
  protected readonly routingPolicies = ROUTING_POLICIES;
  protected readonly routingLabels = ROUTING_LABELS;

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
      { key: 'routing', header: 'Routing' },
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

  protected setRouting(model: AiModel, policy: RoutingPolicy): void {
    this.actions.run(model, {
      call: () => this.api.setRoutingPolicy(model.id, policy),
      done: (saved) => `${saved.id}: ${ROUTING_LABELS[policy].toLowerCase()} among its channels.`,
      then: () => this.reload(),
    });
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
