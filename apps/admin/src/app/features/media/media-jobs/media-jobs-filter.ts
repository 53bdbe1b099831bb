import type { ListPageSpec, Unpaged } from '../../../shared/data/list-page';
import { optionalText } from '../../../shared/data/query-params';
import { isUuid } from '../../../shared/data/uuid';
import type { FilterField } from '../../../shared/ui/filter-bar/filter-fields';
import {
  MEDIA_JOB_STATUSES,
  MEDIA_KINDS,
  type MediaJob,
  type MediaJobsListFilter,
  type MediaModel,
} from '../data-access/media.types';
import { KIND_LABELS, STATUS_LABELS } from '../ui/media-labels';

/** Model ids are short; the API refuses nothing here, it just finds no job. */
const MODEL_MAX_LENGTH = 100;

/** The filter bar: status, kind and model for everyone, one user's jobs for those who see everyone's. */
export function mediaJobsFilterFields(
  models: readonly MediaModel[],
  seesEveryone: boolean,
): readonly FilterField[] {
  return [
    {
      kind: 'choice',
      param: 'status',
      label: 'Status',
      anyLabel: 'Any status',
      options: MEDIA_JOB_STATUSES.map((status) => ({ value: status, label: STATUS_LABELS[status] })),
      testId: 'media-jobs-status-filter',
    },
    {
      kind: 'choice',
      param: 'kind',
      label: 'Kind',
      anyLabel: 'Images and videos',
      options: MEDIA_KINDS.map((kind) => ({ value: kind, label: KIND_LABELS[kind] })),
      testId: 'media-jobs-kind-filter',
    },
    {
      kind: 'text',
      param: 'model',
      label: 'Model',
      placeholder: 'e.g. gpt-image-1',
      maxLength: MODEL_MAX_LENGTH,
      suggestions: models.map((model) => model.id),
      testId: 'media-jobs-model-filter',
    },
    ...(seesEveryone
      ? [
          {
            kind: 'text',
            param: 'userId',
            label: 'User ID',
            placeholder: 'User ID (UUID)',
            maxLength: 100,
            wide: true,
            valid: isUuid,
            invalidMessage: 'Paste a whole user ID, like 0b8f…-…',
            testId: 'media-jobs-user-filter',
          } satisfies FilterField,
        ]
      : []),
  ];
}

/** Query string → `mediaJobs` arguments: unknown statuses, kinds and ids are dropped (paging: `listPage`). */
export function toMediaJobsFilter(
  params: Readonly<Record<string, string | undefined>>,
  seesEveryone: boolean,
): Unpaged<MediaJobsListFilter> {
  const status = MEDIA_JOB_STATUSES.find((value) => value === params['status']);
  const kind = MEDIA_KINDS.find((value) => value === params['kind']);
  const model = optionalText(params['model']?.slice(0, MODEL_MAX_LENGTH));
  const userId = seesEveryone ? optionalText(params['userId']) : undefined;
  return {
    ...(status ? { status } : {}),
    ...(kind ? { kind } : {}),
    ...(model ? { model } : {}),
    ...(userId && isUuid(userId) ? { userId } : {}),
  };
}

/**
 * The media jobs page (`listPage`): its fields offer the models once loaded, and its user filter is
 * only for those who see everyone's jobs.
 */
export function mediaJobsList(
  models: () => readonly MediaModel[],
  seesEveryone: () => boolean,
): ListPageSpec<MediaJobsListFilter> {
  return {
    pageSizes: [10, 20, 50, 100],
    defaultPerPage: 20,
    fields: () => mediaJobsFilterFields(models(), seesEveryone()),
    parse: (params) => toMediaJobsFilter(params, seesEveryone()),
  };
}

/** Whether a job belongs in a list with this filter (paging aside). */
export function matchesFilter(job: MediaJob, filter: MediaJobsListFilter): boolean {
  return (
    (!filter.status || job.status === filter.status) &&
    (!filter.kind || job.kind === filter.kind) &&
    (!filter.model || job.model === filter.model) &&
    (!filter.userId || job.userId === filter.userId)
  );
}
