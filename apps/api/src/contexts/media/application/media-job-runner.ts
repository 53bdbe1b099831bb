import { Inject, Injectable } from '@nestjs/common';
import {
  GeneratedFile,
  isPastDeadline,
  isTerminal,
  MediaJob,
  MediaJobError,
  MediaProviderFailure,
  MediaResultFile,
  MediaStore,
  ModerationProvider,
  nextDelayMs,
  retryDecision,
} from '@sah/domain';
import { MediaJobPatch, MediaJobRepository, MediaOutboxEvent } from '@sah/infrastructure';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { AppConfig } from '../../../config/app-config';
import { ROOT_LOGGER } from '../../../platform/logging/logging.module';
import { imageDimensions } from './media-dimensions';
import { MediaProviderKeys } from './media-provider-keys';
import { MediaPick, MediaProviderRouter } from './media-provider-router';
import { MediaSettlement } from './media-settlement';
import { MediaUpdates } from './media-updates';

/**
 * What the queue does with the job next: nothing (it is done), or run it again after a delay. `job` is
 * the row as this step's own guarded write left it, so an immediate next step need not read it again.
 */
export type NextStep = { done: true } | { done: false; delayMs: number; job?: MediaJob };

export { MEDIA_PROVIDERS } from './media-provider-router';

const DONE: NextStep = { done: true };

/**
 * Moves one media job along its state machine, one step per call, re-reading it each time. Every
 * state change is a compare-and-set: when another worker, a cancellation or the deadline got there
 * first, the step stops. Settlement hangs off the terminal transitions (and is repeated, harmlessly,
 * when a finished job is seen unsettled).
 */
@Injectable()
export class MediaJobRunner {
  private readonly logger: Logger;

  constructor(
    private readonly jobs: MediaJobRepository,
    private readonly router: MediaProviderRouter,
    private readonly moderation: ModerationProvider,
    private readonly store: MediaStore,
    private readonly keys: MediaProviderKeys,
    private readonly settlement: MediaSettlement,
    private readonly updates: MediaUpdates,
    private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'media' });
  }

  async step(jobId: string, now = new Date(), current?: MediaJob): Promise<NextStep> {
    if (!current) {
      const started = await this.jobs.startModeration(jobId, now);
      if (started) {
        this.updates.publish(started);
        return this.moderate(started);
      }
    }
    const job = current ?? (await this.jobs.find(jobId));
    if (!job) return DONE;
    if (isTerminal(job.status)) {
      await this.settlement.settle(job);
      return job.status === 'expired' && job.providerJobId ? this.reconcileLate(job, now) : DONE;
    }
    if (isPastDeadline(job, now)) {
      const expired = await this.end(job, 'expire', 'expired', {
        error: { code: 'DEADLINE_EXCEEDED', message: 'The job did not finish before its deadline; the hold was released' },
      });
      // A video the provider is still making is checked again: if it succeeds after all, it is charged.
      return expired?.providerJobId ? { done: false, delayMs: this.config.media.pollIntervalMs } : DONE;
    }
    switch (job.status) {
      case 'queued':
      case 'moderating':
        return this.moderate(job);
      case 'submitted':
      case 'running':
        return job.providerJobId ? this.poll(job) : this.submit(job);
    }
    return DONE;
  }

  private async moderate(job: MediaJob): Promise<NextStep> {
    const moderating = job.status === 'moderating' ? job : await this.move(job, 'moderate', 'moderating');
    if (!moderating) return this.again();
    let verdict: MediaJob['moderation'] = null;
    if (this.config.media.moderation === 'required') {
      const key = await this.keys.next('openai');
      // Never generated unchecked: without a working moderation provider the job waits (its deadline bounds the wait).
      if (!key) return { done: false, delayMs: this.config.media.retryBaseMs };
      try {
        // A reference image is checked with the prompt, in the same call (omni-moderation takes images).
        verdict = await this.moderation.moderate(moderating.prompt, { apiKey: key.secret }, moderating.referenceImageUrl ? [moderating.referenceImageUrl] : []);
      } catch (error) {
        const failure = asFailure(error);
        if (failure.retryAfterMs) this.keys.coolDown(key, failure.retryAfterMs);
        this.logger.warn({ media_job_id: job.id, err: { message: failure.message } }, 'moderation unavailable: the job waits');
        return { done: false, delayMs: nextDelayMs(1, this.config.media.retryBaseMs, failure.retryAfterMs) };
      }
      if (verdict.flagged) {
        await this.end(moderating, 'fail', 'failed', {
          moderation: verdict,
          error: {
            code: 'CONTENT_REJECTED',
            message: moderating.referenceImageUrl ? 'The prompt or reference image was rejected by moderation' : 'The prompt was rejected by moderation',
            details: { categories: verdict.categories },
          },
        });
        return DONE;
      }
    }
    const submitted = await this.move(moderating, 'submit', 'submitted', verdict ? { moderation: verdict } : {});
    return submitted ? this.again(submitted) : DONE;
  }

  /**
   * Hands the job to the first provider of its model that may take it now (retries and failover
   * happen here, before anything was generated). Images of a one-call provider come back at once;
   * anything else is queued at the provider and polled from then on, at that provider only.
   */
  private async submit(job: MediaJob): Promise<NextStep> {
    const pick = await this.router.forSubmission(job);
    if (!pick) return this.waitForKey();
    const { provider, route, key } = pick;
    const options = { apiKey: key.secret };
    const moved = route.provider !== job.provider || route.upstreamModel !== job.upstreamModel ? { provider: route.provider, upstreamModel: route.upstreamModel } : {};
    try {
      if (job.kind === 'image' && !provider.submitImages) {
        const files = await provider.generateImages(this.imageRequest(job, route.upstreamModel), options);
        this.router.succeeded(pick);
        if (moved.provider) await this.jobs.note(job.id, job.status, moved);
        await this.succeed(job, 'succeed', await this.save(job, files));
        return DONE;
      }
      const { providerJobId } =
        job.kind === 'image' && provider.submitImages
          ? await provider.submitImages(this.imageRequest(job, route.upstreamModel), options)
          : await provider.submitVideo(
              { upstreamModel: route.upstreamModel, prompt: job.prompt, seconds: job.seconds ?? 4, size: job.size, referenceImageUrl: job.referenceImageUrl },
              options,
            );
      this.router.succeeded(pick);
      const noted = await this.jobs.note(job.id, job.status, { providerJobId, ...moved });
      return noted ? { done: false, delayMs: this.config.media.pollIntervalMs } : this.again();
    } catch (error) {
      const failure = asFailure(error);
      this.router.failed(pick, failure);
      return this.failOrRetry(job, failure, failure.retryable ? (await this.router.routesOf(job)).length : 1);
    }
  }

  /** A submitted generation: asked how it stands at its provider, fetched and settled once done. */
  private async poll(job: MediaJob): Promise<NextStep> {
    const pick = await this.router.forSubmitted(job);
    if (!pick) return this.waitForKey();
    try {
      const state = await pick.provider.videoState(job.providerJobId as string, { apiKey: pick.key.secret });
      if (state.state === 'pending') {
        if (state.running && job.status === 'submitted') await this.move(job, 'run', 'running');
        return { done: false, delayMs: this.config.media.pollIntervalMs };
      }
      if (state.state === 'failed') {
        await this.end(job, 'fail', 'failed', { error: { code: 'PROVIDER_ERROR', message: state.message } }, failedEvent(job, 'PROVIDER_ERROR'));
        return DONE;
      }
      await this.succeed(job, 'succeed', await this.save(job, await this.download(job, pick), state.durationSeconds));
      return DONE;
    } catch (error) {
      const failure = asFailure(error);
      if (failure.retryAfterMs) this.keys.coolDown(pick.key, failure.retryAfterMs);
      // Once submitted, polling keeps going while the deadline allows; only a submission counts attempts.
      if (failure.retryable) return { done: false, delayMs: nextDelayMs(1, this.config.media.pollIntervalMs, failure.retryAfterMs) };
      return this.failOrRetry(job, failure);
    }
  }

  /** After our deadline: the provider is asked again; a success is stored and charged, a failure changes nothing. */
  private async reconcileLate(job: MediaJob, now: Date): Promise<NextStep> {
    const windowEnds = job.deadlineAt.getTime() + this.config.media.reconcileWindowSeconds * 1000;
    if (now.getTime() > windowEnds || !job.providerJobId) return DONE;
    try {
      const pick = await this.router.forSubmitted(job);
      if (!pick) return { done: false, delayMs: this.config.media.pollIntervalMs };
      const state = await pick.provider.videoState(job.providerJobId, { apiKey: pick.key.secret });
      if (state.state === 'pending') return { done: false, delayMs: this.config.media.pollIntervalMs };
      if (state.state === 'failed') return DONE;
      await this.succeed(job, 'reconcileLate', await this.save(job, await this.download(job, pick), state.durationSeconds));
      return DONE;
    } catch (error) {
      return asFailure(error).retryable ? { done: false, delayMs: this.config.media.pollIntervalMs } : DONE;
    }
  }

  private download(job: MediaJob, { provider, key }: MediaPick): Promise<GeneratedFile[]> {
    const providerJobId = job.providerJobId as string;
    if (job.kind === 'image' && provider.downloadImages) return provider.downloadImages(providerJobId, { apiKey: key.secret });
    return provider.downloadVideo(providerJobId, { apiKey: key.secret }).then((file) => [file]);
  }

  private imageRequest(job: MediaJob, upstreamModel: string) {
    return { upstreamModel, prompt: job.prompt, n: job.n, size: job.size, referenceImageUrl: job.referenceImageUrl };
  }

  private async failOrRetry(job: MediaJob, failure: MediaProviderFailure, providers = 1): Promise<NextStep> {
    const attempts = job.attempts + 1;
    if (retryDecision(attempts, failure.retryable, providers) === 'retry') {
      const noted = await this.jobs.note(job.id, job.status, { attempts });
      this.logger.warn({ media_job_id: job.id, attempts, err: { message: failure.message } }, 'media provider call failed: will retry');
      return noted ? { done: false, delayMs: nextDelayMs(attempts, this.config.media.retryBaseMs, failure.retryAfterMs) } : this.again();
    }
    const error: MediaJobError = { code: 'PROVIDER_ERROR', message: failure.message, details: { attempts, status: failure.status ?? null } };
    await this.end(job, 'fail', 'failed', { attempts, error }, failedEvent(job, 'PROVIDER_ERROR'));
    return DONE;
  }

  /**
   * Stores the files with what is known of their shape: an image's pixels, a video's length as its
   * provider reported it. Keys are new for each run (two workers may run one job after a stall: only
   * the one whose end is recorded names its files), and one folder per user holds them.
   */
  private async save(job: MediaJob, files: GeneratedFile[], durationSeconds?: number): Promise<MediaResultFile[]> {
    const run = randomBytes(4).toString('hex');
    return Promise.all(
      files.map(async (file, index) => {
        const stored = await this.store.put(`${job.userId}/${job.id}-${index}-${run}.${extensionOf(file.contentType)}`, file.bytes, file.contentType);
        const dimensions = file.contentType.startsWith('image/') ? imageDimensions(file.bytes) : null;
        return {
          key: stored.key,
          contentType: stored.contentType,
          size: stored.size,
          sha256: stored.sha256,
          width: dimensions?.width ?? null,
          height: dimensions?.height ?? null,
          durationSeconds: job.kind === 'video' ? (durationSeconds ?? null) : null,
        };
      }),
    );
  }

  /** Ends the job with its stored files; a run whose end another run got to first removes its own. */
  private async succeed(job: MediaJob, transition: 'succeed' | 'reconcileLate', results: MediaResultFile[]): Promise<void> {
    const patch = transition === 'reconcileLate' ? { results, error: null } : { results };
    if (!(await this.end(job, transition, 'succeeded', patch, succeededEvent(job)))) {
      await Promise.all(results.map((file) => this.store.remove(file.key)));
    }
  }

  /** A move along the way (never an end): committed relaxed, as a lost one only repeats a step. */
  private async move(job: MediaJob, transition: Parameters<MediaJobRepository['transition']>[1], to: MediaJob['status'], patch: MediaJobPatch = {}) {
    const moved = await this.jobs.transition(job.id, transition, to, patch, undefined, 'relaxed');
    if (moved) this.updates.publish(moved);
    return moved;
  }

  /** A terminal transition, then its settlement; null when the job had already moved on. */
  private async end(
    job: MediaJob,
    transition: Parameters<MediaJobRepository['transition']>[1],
    to: MediaJob['status'],
    patch: MediaJobPatch,
    event?: MediaOutboxEvent,
  ): Promise<MediaJob | null> {
    const ended = await this.jobs.transition(job.id, transition, to, patch, event ?? (to === 'failed' || to === 'expired' ? failedEvent(job, patch.error?.code ?? 'PROVIDER_ERROR') : undefined));
    if (!ended) return null;
    await this.settlement.settle(ended);
    this.updates.publish(ended);
    return ended;
  }

  /** Every key is cooling down after a 429 (or none is configured yet): wait, without spending an attempt. */
  private waitForKey(): NextStep {
    return { done: false, delayMs: this.config.media.retryBaseMs };
  }

  private again(job?: MediaJob): NextStep {
    return { done: false, delayMs: 0, job };
  }
}

function asFailure(error: unknown): MediaProviderFailure {
  if (error instanceof MediaProviderFailure) return error;
  throw error;
}

function extensionOf(contentType: string): string {
  const subtype = contentType.split('/')[1] ?? 'bin';
  return subtype === 'jpeg' ? 'jpg' : subtype.replace(/[^a-z0-9]/g, '') || 'bin';
}

/** Ids and what a partner needs to fetch the result; never the prompt. */
function succeededEvent(job: MediaJob): MediaOutboxEvent {
  return { type: 'media.job.succeeded', payload: { jobId: job.id, userId: job.userId, kind: job.kind, model: job.model, credits: job.price.toNumber() } };
}

/** `errorCode` as the webhook event names it (webhook-event-source copies fields by name). */
function failedEvent(job: MediaJob, errorCode: string): MediaOutboxEvent {
  return { type: 'media.job.failed', payload: { jobId: job.id, userId: job.userId, kind: job.kind, model: job.model, errorCode } };
}
