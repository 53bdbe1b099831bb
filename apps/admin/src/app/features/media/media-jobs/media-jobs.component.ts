import { formatDate } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';

import { AuthStore } from '../../../core/auth/auth.store';
import { toAppError } from '../../../core/graphql/graphql-errors';
import { listPage } from '../../../shared/data/list-page';
import { reloadableQuery } from '../../../shared/data/reloadable-query';
import { LIST_PAGE_IMPORTS, statusLook, type TableSpec } from '../../../shared/ui/list-page';
import { narrowScreen } from '../../../shared/ui/narrow-screen';
import { creditsColumn } from '../../billing/ui/credits-column';
import { MediaApi } from '../data-access/media.api';
import type { MediaJob } from '../data-access/media.types';
import { MEDIA_ACCESS } from '../media-access';
import { openMediaJobDialog } from '../media-job-dialog/media-job-dialog.component';
import { KIND_LABELS, STATUS_LABELS, STATUS_TONES } from '../ui/media-labels';
import { liveMediaJobs } from './live-media-jobs';
import { mediaJobsList } from './media-jobs-filter';

/**
 * Image and video generation jobs, newest first, as they change (the `mediaJobUpdated` subscription):
 * the caller's own, or everyone's for administrators. Filters and paging live in the URL; a row opens
 * the job in full.
 */
@Component({
  selector: 'sah-media-jobs',
  imports: [MatButtonModule, MatIconModule, LIST_PAGE_IMPORTS],
  templateUrl: './media-jobs.component.html',
  styleUrl: './media-jobs.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MediaJobsComponent {
  private readonly api = inject(MediaApi);
  private readonly auth = inject(AuthStore);
  private readonly dialog = inject(MatDialog);

  protected readonly seesEveryone = computed(() => this.auth.can(MEDIA_ACCESS.everyonesJobs));
  /** For the model filter's suggestions; the filter works without them. */
  private readonly models = reloadableQuery(() => this.api.models());

  protected readonly jobs = liveMediaJobs(
    listPage(
      mediaJobsList(() => this.models.value() ?? [], this.seesEveryone),
      (filter) => this.api.jobs(filter),
    ),
    () => this.api.updates(),
    (error) => toAppError(error).message,
  );

  protected readonly table: TableSpec<MediaJob> = {
    noun: 'media jobs',
    columns: [
      {
        key: 'createdAt',
        header: 'Created',
        class: 'table-panel__nowrap',
        cell: (job, locale) => formatDate(job.createdAt, 'short', locale),
      },
      { key: 'kind', header: 'Kind', cell: (job) => KIND_LABELS[job.kind] },
      { key: 'model', header: 'Model', class: 'list-code', cell: (job) => job.model },
      { key: 'prompt', header: 'Prompt', class: 'table-panel__wrap', cell: (job) => shorten(job.prompt) },
      {
        key: 'status',
        header: 'Status',
        chip: (job) => statusLook(job.status, STATUS_TONES, STATUS_LABELS),
        chipTestId: 'media-job-row-status',
      },
      creditsColumn('credits', 'Credits', (job) => job.credits),
      { key: 'user', header: 'User', class: 'list-id', cell: (job) => job.userId },
    ],
    testIdPrefix: 'media-jobs',
    rowTestId: 'media-job-row',
    rowAttributes: (job) => ({ 'data-id': job.id, 'data-status': job.status }),
    rowLabel: (job) => `Open the ${KIND_LABELS[job.kind].toLowerCase()} job “${job.prompt}”`,
    trackBy: (_index, job) => job.id,
    emptyText:
      'No media jobs yet. Images and videos created through the API, the OpenAI SDK or a tool appear here.',
  };

  private readonly isNarrow = narrowScreen(599);
  protected readonly shownColumns = computed(() => {
    if (this.isNarrow()) return ['kind', 'prompt', 'status'];
    const keys = ['createdAt', 'kind', 'model', 'prompt', 'status', 'credits'];
    return this.seesEveryone() ? [...keys, 'user'] : keys;
  });

  protected open(job: MediaJob): void {
    openMediaJobDialog(this.dialog, { job: this.jobs.job(job.id), opened: job });
  }
}

/** Long prompts are read in full in the job's detail. */
const PROMPT_SHOWN = 120;

function shorten(prompt: string): string {
  return prompt.length > PROMPT_SHOWN ? `${prompt.slice(0, PROMPT_SHOWN - 1)}…` : prompt;
}
