import type {
  MediaJobFieldsFragment,
  MediaJobStatus,
  MediaKind,
  MediaModelFieldsFragment,
} from '../../../core/graphql/operations.generated';

/** The media pages' names for the generated operation types (media.graphql). */
export type { MediaJobsFilter, MediaJobStatus, MediaKind, UpdateMediaModelInput } from '../../../core/graphql/operations.generated';

export type MediaJob = MediaJobFieldsFragment;
export type MediaModel = MediaModelFieldsFragment;

export const MEDIA_JOB_STATUSES = [
  'QUEUED',
  'MODERATING',
  'SUBMITTED',
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'CANCELLED',
  'EXPIRED',
] as const satisfies readonly MediaJobStatus[];

export const MEDIA_KINDS = ['IMAGE', 'VIDEO'] as const satisfies readonly MediaKind[];

/** The API cancels a job only before generation starts (its price is released). */
export const CANCELLABLE_STATUSES: readonly MediaJobStatus[] = ['QUEUED', 'MODERATING'];

/** Final states: the hold was captured (succeeded) or released (the others). */
export const FINISHED_STATUSES: readonly MediaJobStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'EXPIRED'];

/** The `mediaJobs` filter with the paging the page keeps in its URL. */
export interface MediaJobsListFilter {
  readonly status?: MediaJobStatus;
  readonly kind?: MediaKind;
  readonly model?: string;
  readonly userId?: string;
  readonly page: number;
  readonly perPage: number;
}
