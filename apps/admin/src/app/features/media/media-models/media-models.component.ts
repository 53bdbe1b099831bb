import { ChangeDetectionStrategy, Component, inject } from '@angular/core';

import { reloadableQuery } from '../../../shared/data/reloadable-query';
import { listActions } from '../../../shared/ui/list-actions';
import { catalogueColumns, LIST_PAGE_IMPORTS, type TableSpec } from '../../../shared/ui/list-page';
import { creditsColumn } from '../../billing/ui/credits-column';
import { MediaApi } from '../data-access/media.api';
import type { MediaModel } from '../data-access/media.types';
import { KIND_LABELS, UNIT_LABELS } from '../ui/media-labels';
import { openMediaModelDialog } from './media-model-dialog.component';

/** Image and video models with their prices, beside the chat models (admins edit price and availability). */
@Component({
  selector: 'sah-media-models',
  imports: [LIST_PAGE_IMPORTS],
  template: `
    <sah-list-header>
      <p class="list-intro">
        What image and video generation costs, in credits. A job holds its price when it is created and is
        charged only if it succeeds; a changed price applies to jobs created after saving.
      </p>
    </sah-list-header>
    <sah-table-panel [spec]="table" [query]="catalogue" />
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MediaModelsComponent {
  private readonly api = inject(MediaApi);
  private readonly actions = listActions();

  protected readonly catalogue = reloadableQuery(() => this.api.models());

  protected readonly table: TableSpec<MediaModel> = {
    noun: 'media models',
    columns: [
      { key: 'id', header: 'Model', class: 'list-code', cell: (model) => model.id },
      { key: 'kind', header: 'Kind', cell: (model) => KIND_LABELS[model.kind] },
      { key: 'provider', header: 'Provider', cell: (model) => model.provider },
      creditsColumn('price', 'Price (credits)', (model) => model.price, 'media-model-price'),
      { key: 'unit', header: 'Charged', cell: (model) => UNIT_LABELS[model.unit] ?? `per ${model.unit}` },
      ...catalogueColumns<MediaModel>('media-model', (model) => this.edit(model)),
    ],
    testIdPrefix: 'media-models',
    rowTestId: 'media-model-row',
    rowAttributes: (model) => ({ 'data-model': model.id }),
    emptyText: 'There are no media models.',
  };

  private edit(model: MediaModel): void {
    this.actions.afterDialog(
      (dialog) => openMediaModelDialog(dialog, model),
      (saved) => `${saved.id} saved.`,
      () => this.catalogue.reload(),
    );
  }
}
