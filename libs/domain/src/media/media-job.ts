import { Credits } from '../shared/credits';
import { DomainError } from '../shared/domain-error';
import type { MediaKind } from './media-model';

export const MEDIA_JOB_STATUSES = ['queued', 'moderating', 'submitted', 'running', 'succeeded', 'failed', 'cancelled', 'expired'] as const;
export type MediaJobStatus = (typeof MEDIA_JOB_STATUSES)[number];

/** Why a job did not succeed, as clients read it in `error.code`. */
export type MediaFailureCode = 'CONTENT_REJECTED' | 'PROVIDER_ERROR' | 'DEADLINE_EXCEEDED' | 'CANCELLED' | 'NOT_QUEUED';

export interface MediaJobError {
  code: MediaFailureCode;
  message: string;
  details?: Record<string, unknown>;
}

/** A stored result file (one per generated image, one for a video). */
export interface MediaResultFile {
  key: string;
  contentType: string;
  size: number;
  sha256: string;
  /** Pixels, read from an image's own bytes; absent on videos, on files older than these fields, or when unreadable. */
  width?: number | null;
  height?: number | null;
  /** A video's length as its provider reported it (null when it reports none). */
  durationSeconds?: number | null;
}

/**
 * The state machine of a media job. Every edge is one compare-and-set in the database: the `from`
 * states a transition accepts are listed here, once.
 *
 *   queued → moderating → submitted → running → succeeded | failed | expired
 *   queued, moderating → cancelled (nothing has reached a provider yet)
 *   expired → succeeded (the provider finished after our deadline: reconciled and charged)
 */
export const MEDIA_TRANSITIONS = {
  moderate: ['queued', 'moderating'],
  submit: ['moderating'],
  run: ['submitted'],
  succeed: ['submitted', 'running'],
  reconcileLate: ['expired'],
  fail: ['queued', 'moderating', 'submitted', 'running'],
  cancel: ['queued', 'moderating'],
  expire: ['queued', 'moderating', 'submitted', 'running'],
} as const satisfies Record<string, readonly MediaJobStatus[]>;
export type MediaTransition = keyof typeof MEDIA_TRANSITIONS;

const TERMINAL: ReadonlySet<MediaJobStatus> = new Set(['succeeded', 'failed', 'cancelled', 'expired']);
/** Ends whose hold goes back to the user. */
const REFUNDED: ReadonlySet<MediaJobStatus> = new Set(['failed', 'cancelled', 'expired']);

export function isTerminal(status: MediaJobStatus): boolean {
  return TERMINAL.has(status);
}

/** What settling a finished job does with its hold: capture the price, or give it back. */
export function settlementOf(status: MediaJobStatus): 'capture' | 'release' | null {
  if (status === 'succeeded') return 'capture';
  return REFUNDED.has(status) ? 'release' : null;
}

export function mayTransition(status: MediaJobStatus, transition: MediaTransition): boolean {
  return (MEDIA_TRANSITIONS[transition] as readonly MediaJobStatus[]).includes(status);
}

/** A provider failure is retried this many times in all (before submission: nothing was generated). */
export const MEDIA_MAX_ATTEMPTS = 3;

export interface MediaJob {
  id: string;
  userId: string;
  kind: MediaKind;
  model: string;
  provider: string;
  upstreamModel: string;
  prompt: string;
  /** `1024x1024`, `1280x720`… as the provider takes it. */
  size: string | null;
  n: number;
  seconds: number | null;
  /** The image the generation starts from, moderated with the prompt (https or data URL). */
  referenceImageUrl: string | null;
  status: MediaJobStatus;
  price: Credits;
  holdId: string;
  /** The provider's id of the generation (videos), kept so a late answer can be reconciled. */
  providerJobId: string | null;
  attempts: number;
  moderation: { flagged: boolean; categories: string[] } | null;
  error: MediaJobError | null;
  results: MediaResultFile[];
  /** Charged (or refunded) once the hold is settled; null while not yet settled. */
  settledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  deadlineAt: Date;
  finishedAt: Date | null;
}

/**
 * How long a finished job is kept depends on what it left (the spec: user-owned files a year, temporary
 * ones 30 days): `results`, a succeeded job and the files its owner keeps; `temporary`, a job that ended
 * without a result (its prompt and error, any file a late provider left).
 */
export const MEDIA_RETENTION_CLASSES = {
  results: ['succeeded'],
  temporary: ['failed', 'cancelled', 'expired'],
} as const satisfies Record<string, readonly MediaJobStatus[]>;
export type MediaRetentionClass = keyof typeof MEDIA_RETENTION_CLASSES;

/** Users may cancel only what has not reached a provider; anything else is refused, not ignored. */
export function assertCancellable(job: Pick<MediaJob, 'status'>): void {
  if (!mayTransition(job.status, 'cancel')) {
    throw new DomainError('CONFLICT', `A ${job.status} media job cannot be cancelled`, { status: job.status });
  }
}

export function isPastDeadline(job: Pick<MediaJob, 'deadlineAt'>, now: Date): boolean {
  return now.getTime() >= job.deadlineAt.getTime();
}

/**
 * After a provider failure: try again (with backoff), or give up and fail the job. A model served by
 * several providers gets the attempts once per provider (a failing one's circuit opens, the next takes over).
 */
export function retryDecision(attemptsMade: number, retryable: boolean, providers = 1): 'retry' | 'fail' {
  return retryable && attemptsMade < MEDIA_MAX_ATTEMPTS * Math.max(1, providers) ? 'retry' : 'fail';
}

/** How long to wait before the next poll or retry: the provider's Retry-After, else exponential from base. */
export function nextDelayMs(attempt: number, baseMs: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined && retryAfterMs > 0) return retryAfterMs;
  return baseMs * 2 ** Math.max(0, attempt - 1);
}

/** What a job costs its owner in the end: its price when it succeeded, nothing otherwise. */
export function chargeOf(job: Pick<MediaJob, 'status' | 'price'>): Credits {
  return job.status === 'succeeded' ? job.price : Credits.ZERO;
}
