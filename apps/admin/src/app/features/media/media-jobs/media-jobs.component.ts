import { ChangeDetectionStrategy, Component } from '@angular/core';

import { EmptyStateComponent } from '../../../shared/ui/empty-state/empty-state.component';

@Component({
  selector: 'sah-media-jobs',
  imports: [EmptyStateComponent],
  template: `
    <h1 class="page-title">Media jobs</h1>
    <sah-empty-state icon="movie" heading="Image and video generation jobs" context="Media" />
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MediaJobsComponent {}
