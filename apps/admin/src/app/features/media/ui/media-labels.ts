import type { StatusTone } from '../../../shared/ui/status-chip/status-chip.component';
import { CANCELLABLE_STATUSES, type MediaJob, type MediaJobStatus, type MediaKind } from '../data-access/media.types';

export const STATUS_LABELS: Readonly<Record<MediaJobStatus, string>> = {
  QUEUED: 'Queued',
  MODERATING: 'Moderating',
  SUBMITTED: 'Submitted',
  RUNNING: 'Running',
  SUCCEEDED: 'Succeeded',
  FAILED: 'Failed',
  CANCELLED: 'Cancelled',
  EXPIRED: 'Expired',
};

export const KIND_LABELS: Readonly<Record<MediaKind, string>> = { IMAGE: 'Image', VIDEO: 'Video' };

/** `MediaModel.unit`'s documented values, as a price is read: "50 credits per image". */
export const UNIT_LABELS: Readonly<Record<string, string>> = {
  image: 'per image',
  video: 'per video',
  minute: 'per minute (charged per second)',
};

/** Succeeded plain, failed and expired as errors, the rest (under way, cancelled) muted. */
export const STATUS_TONES: Readonly<Record<MediaJobStatus, StatusTone>> = {
  QUEUED: 'muted',
  MODERATING: 'muted',
  SUBMITTED: 'muted',
  RUNNING: 'muted',
  SUCCEEDED: 'good',
  FAILED: 'bad',
  CANCELLED: 'muted',
  EXPIRED: 'bad',
};

export function isCancellable(job: MediaJob): boolean {
  return CANCELLABLE_STATUSES.includes(job.status);
}

/** Of two views of the same job, the later one (a list answer may be older than an update received meanwhile). */
export function newerJob(current: MediaJob | null | undefined, candidate: MediaJob | null | undefined): MediaJob | null {
  if (!current) return candidate ?? null;
  if (!candidate) return current;
  return Date.parse(candidate.updatedAt) >= Date.parse(current.updatedAt) ? candidate : current;
}
