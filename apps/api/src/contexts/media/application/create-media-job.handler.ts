import { Injectable } from '@nestjs/common';
import { assertMediaRequest, assertReferenceImage, Credits, DomainError, MediaJob, MediaKind, priceOf } from '@sah/domain';
import { MediaJobRepository } from '@sah/infrastructure';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../../../config/app-config';
import { LedgerService } from '../../billing/application/ledger.service';
import type { SpendingBudget } from '../../billing/application/spending-budget';
import { MediaQueue } from '../jobs/media-queue';
import { MediaCatalogue } from './media-catalogue';
import { MediaSettlement } from './media-settlement';
import { MediaUpdates } from './media-updates';

export interface CreateMediaJobCommand {
  userId: string;
  kind: MediaKind;
  model: string;
  prompt: string;
  size?: string | null;
  n?: number;
  seconds?: number;
  /** An image the generation starts from; moderated with the prompt before anything is submitted. */
  referenceImageUrl?: string | null;
  /** The monthly budget of the API key the job is created with: its hold must fit in it (402 BUDGET_EXCEEDED). */
  budget?: SpendingBudget | null;
  /**
   * Set when the job is asked for with a team's API key: its price is held on the team's wallet, within
   * the member's and the team's limits (402 BUDGET_EXCEEDED), and settled there; `userId` is the member.
   */
  teamId?: string | null;
}

/** Holds outlive the job's deadline by this much, so a running job's hold never lapses under it. */
const HOLD_MARGIN_SECONDS = 10 * 60;
/** The ledger refuses empty holds; a free model holds the smallest unit and captures nothing. */
const SMALLEST_HOLD = Credits.fromMillis(1);

/**
 * Creates a media job: its price is held first, on the user's credits or a team key's wallet (402
 * INSUFFICIENT_CREDITS or BUDGET_EXCEEDED and nothing queued when it cannot be covered), then the job is
 * stored and queued. Settlement follows the hold, wherever it was taken.
 */
@Injectable()
export class CreateMediaJobHandler {
  constructor(
    private readonly models: MediaCatalogue,
    private readonly jobs: MediaJobRepository,
    private readonly ledger: LedgerService,
    private readonly queue: MediaQueue,
    private readonly settlement: MediaSettlement,
    private readonly updates: MediaUpdates,
    private readonly config: AppConfig,
  ) {}

  async execute(command: CreateMediaJobCommand): Promise<MediaJob> {
    const model = await this.models.find(command.model);
    if (!model) throw DomainError.badInput(`Unknown media model: ${command.model}`, { field: 'model' });
    const size = { n: command.n, seconds: command.seconds };
    assertMediaRequest(model, command.kind, command.prompt, size);
    if (command.referenceImageUrl) assertReferenceImage(command.referenceImageUrl);
    const price = priceOf(model, size);
    const id = randomUUID();
    const deadlineSeconds = command.kind === 'image' ? this.config.media.imageDeadlineSeconds : this.config.media.videoDeadlineSeconds;
    const { hold } = await this.ledger.hold({
      userId: command.userId,
      amount: price.isPositive() ? price : SMALLEST_HOLD,
      description: `${command.kind} job ${id} (${model.id})`,
      metadata: { mediaJobId: id, model: model.id },
      ttlSeconds: deadlineSeconds + HOLD_MARGIN_SECONDS,
      budget: command.budget,
      teamId: command.teamId,
      // The job's insert below commits durably and flushes the hold with it; a crash before it leaves
      // no job, and a hold that survived expires.
      commit: 'relaxed',
    });
    let job: MediaJob;
    try {
      job = await this.jobs.insert({
        id,
        userId: command.userId,
        kind: command.kind,
        model: model.id,
        provider: model.provider,
        upstreamModel: model.upstreamModel,
        prompt: command.prompt.trim(),
        size: command.size ?? null,
        n: command.kind === 'image' ? (command.n ?? 1) : 1,
        seconds: command.kind === 'video' ? (command.seconds ?? null) : null,
        referenceImageUrl: command.referenceImageUrl || null,
        priceMillis: price.millis,
        holdId: hold.id,
        deadlineAt: new Date(Date.now() + deadlineSeconds * 1000),
      });
    } catch (error) {
      await this.ledger.release(hold.id);
      throw error;
    }
    try {
      await this.queue.enqueue(job.kind, job.id);
    } catch (error) {
      const failed = await this.jobs.transition(job.id, 'fail', 'failed', {
        error: { code: 'NOT_QUEUED', message: 'The job could not be queued; nothing was charged' },
      });
      if (failed) await this.settlement.settle(failed);
      throw error;
    }
    this.updates.publish(job);
    return job;
  }
}
