import { Credits, MediaJob, MediaJobError, MediaJobStatus, MediaKind, MediaModel, MediaPriceUnit, MediaResultFile, MediaRoute } from '@sah/domain';

export interface MediaJobRow {
  id: string;
  user_id: string;
  kind: MediaKind;
  model: string;
  provider: string;
  upstream_model: string;
  prompt: string;
  size: string | null;
  n: number;
  seconds: number | null;
  reference_image_url: string | null;
  status: MediaJobStatus;
  price: string;
  hold_id: string;
  provider_job_id: string | null;
  attempts: number;
  moderation: MediaJob['moderation'];
  error: MediaJobError | null;
  results: MediaResultFile[];
  settled_at: Date | null;
  created_at: Date;
  updated_at: Date;
  deadline_at: Date;
  finished_at: Date | null;
}

/** A `MediaJobRow`'s columns, for statements whose result must not change shape with the table (prepared ones). */
export const MEDIA_JOB_COLUMNS =
  'id, user_id, kind, model, provider, upstream_model, prompt, size, n, seconds, reference_image_url, status, price, hold_id, ' +
  'provider_job_id, attempts, moderation, error, results, settled_at, created_at, updated_at, deadline_at, finished_at';

export function toMediaJob(row: MediaJobRow): MediaJob {
  return {
    id: row.id,
    userId: row.user_id,
    kind: row.kind,
    model: row.model,
    provider: row.provider,
    upstreamModel: row.upstream_model,
    prompt: row.prompt,
    size: row.size,
    n: row.n,
    seconds: row.seconds,
    referenceImageUrl: row.reference_image_url ?? null,
    status: row.status,
    price: Credits.fromMillis(row.price),
    holdId: row.hold_id,
    providerJobId: row.provider_job_id,
    attempts: row.attempts,
    moderation: row.moderation,
    error: row.error,
    results: row.results,
    settledAt: row.settled_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deadlineAt: row.deadline_at,
    finishedAt: row.finished_at,
  };
}

export interface MediaModelRow {
  id: string;
  kind: MediaKind;
  provider: string;
  upstream_model: string;
  fallbacks: MediaRoute[] | null;
  price: string;
  unit: MediaPriceUnit;
  enabled: boolean;
}

export function toMediaModel(row: MediaModelRow): MediaModel {
  return {
    id: row.id,
    kind: row.kind,
    provider: row.provider,
    upstreamModel: row.upstream_model,
    fallbacks: row.fallbacks ?? [],
    price: Credits.fromMillis(row.price),
    unit: row.unit,
    enabled: row.enabled,
  };
}
