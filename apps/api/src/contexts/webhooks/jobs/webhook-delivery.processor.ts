import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Inject, OnApplicationBootstrap } from '@nestjs/common';
import { decideAfterAttempt, parseWebhookUrl, shouldDisableFailingEndpoint } from '@sah/domain';
import {
  AttemptLog,
  AttemptOutcome,
  DeliverWebhookPayload,
  DeliveryToSend,
  RecordedAttempt,
  RecoverWebhooksPayload,
  signWebhook,
  WEBHOOK_JOBS,
  WEBHOOK_QUEUE,
  WebhookDeliveryRepository,
  WebhookEndpointRepository,
  WebhookHttpSender,
  WebhookResponse,
} from '@sah/infrastructure';
import { DelayedError, Job } from 'bullmq';
import type { Logger } from 'pino';
import { AppConfig } from '../../../config/app-config';
import { ROOT_LOGGER } from '../../../platform/logging/logging.module';
import { WebhookClock } from '../application/webhook-clock';
import { WebhookEnqueuer } from '../application/webhook-enqueuer';
import { Coalescer } from './coalescer';
import { EndpointThrottle } from './endpoint-throttle';

/** A delivery due this long ago and still pending is presumed to have lost its job. */
const SWEEP_GRACE_MS = 5 * 60_000;
const SWEEP_BATCH = 1_000;

type WebhookJob = Job<DeliverWebhookPayload> | Job<RecoverWebhooksPayload>;

/**
 * Sends webhook deliveries (where workers run). One job carries one delivery through all its
 * attempts: after a failure the job is delayed to the next time of the schedule. The database
 * holds the truth (attempt count, outcome); a job that finds its delivery done or replayed since
 * does nothing, so a job run twice (a worker killed mid-attempt) sends at most one extra time.
 * The attempts in flight read their deliveries and record their outcomes together (a few round
 * trips for many attempts); each job still finishes only once its own attempt is stored.
 */
@Processor(WEBHOOK_QUEUE, { concurrency: 50, maxStalledCount: 10 })
export class WebhookDeliveryProcessor
  extends WorkerHost
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly logger: Logger;
  private readonly reads: Coalescer<string, DeliveryToSend | null>;
  private readonly writes: Coalescer<RecordedAttempt, boolean>;

  constructor(
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly endpoints: WebhookEndpointRepository,
    private readonly sender: WebhookHttpSender,
    private readonly throttle: EndpointThrottle,
    private readonly enqueuer: WebhookEnqueuer,
    private readonly config: AppConfig,
    private readonly clock: WebhookClock,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    super();
    this.logger = logger.child({ component: 'webhooks' });
    this.reads = new Coalescer(async (ids) => {
      const found = await this.deliveries.toSendAll(ids);
      return ids.map((id) => found.get(id) ?? null);
    });
    this.writes = new Coalescer((attempts) => this.deliveries.recordAttempts(attempts));
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.webhooks.workerConcurrency;
  }

  async process(job: WebhookJob, token?: string): Promise<unknown> {
    if (job.name === WEBHOOK_JOBS.recover) return this.recover(job as Job<RecoverWebhooksPayload>);
    if (job.name === WEBHOOK_JOBS.sweep) return this.sweep();
    if (job.name !== WEBHOOK_JOBS.deliver) throw new Error(`No handler for webhooks job "${job.name}"`);
    return this.deliver(job as Job<DeliverWebhookPayload>, token);
  }

  /** The deliveries a recovery made pending again (in its request) get their jobs. */
  private async recover(job: Job<RecoverWebhooksPayload>): Promise<{ recovered: number }> {
    const pending = await this.deliveries.pendingSince(job.data.endpointId, new Date(job.data.since));
    await this.enqueuer.deliver(pending);
    this.logger.info(
      { endpoint_id: job.data.endpointId, recovered: pending.length },
      'failed webhook deliveries recovered',
    );
    return { recovered: pending.length };
  }

  /**
   * Deliveries still pending well after they were due have no job carrying them (Redis lost it):
   * enqueued again. Job ids are deterministic, so one that does exist is left alone.
   */
  private async sweep(): Promise<{ requeued: number }> {
    const lost = await this.deliveries.overdue(new Date(Date.now() - SWEEP_GRACE_MS), SWEEP_BATCH);
    await this.enqueuer.deliver(lost);
    if (lost.length > 0)
      this.logger.warn({ requeued: lost.length }, 'overdue webhook deliveries enqueued again');
    return { requeued: lost.length };
  }

  private async deliver(
    job: Job<DeliverWebhookPayload>,
    token: string | undefined,
  ): Promise<{ outcome: string }> {
    const { deliveryId, round } = job.data;
    const delivery = await this.reads.call(deliveryId);
    if (!delivery || delivery.status !== 'pending' || delivery.round !== round) return { outcome: 'skipped' };
    const endpoint = this.endpoints.open(delivery.endpoint, this.clock.now());
    const ref = { deliveryId, round };

    if (!endpoint.enabled) {
      await this.record(ref, notSent(delivery.body, 'endpoint is disabled: not sent'), {
        status: 'failed',
      });
      return { outcome: 'endpoint-disabled' };
    }

    const holder = `${job.id}:${job.attemptsMade}`;
    if (!(await this.throttle.acquire(endpoint.id, holder))) {
      // Busy endpoint: wait a moment without spending an attempt.
      await job.moveToDelayed(Date.now() + 200 + Math.floor(Math.random() * 300), token);
      throw new DelayedError();
    }
    let log: AttemptLog;
    let response: WebhookResponse;
    try {
      ({ log, response } = await this.attempt(
        endpoint.url,
        endpoint.secrets,
        delivery.messageId,
        delivery.body,
      ));
    } finally {
      await this.throttle.release(endpoint.id, holder).catch(() => undefined);
    }

    const now = new Date();
    const decision = decideAfterAttempt(
      'status' in response
        ? { status: response.status, retryAfter: response.headers['retry-after'] }
        : { error: response.error },
      delivery.attempts + 1,
      { now, schedule: this.config.webhooks.retryScheduleMs },
    );
    const context = {
      delivery_id: deliveryId,
      endpoint_id: endpoint.id,
      attempt: delivery.attempts + 1,
      status: log.responseStatus,
    };

    if (decision.kind === 'delivered') {
      await this.record(ref, log, { status: 'delivered' });
      return { outcome: 'delivered' };
    }
    if (decision.kind === 'disable-endpoint') {
      await this.record(ref, log, { status: 'failed' });
      await this.endpoints.disable(endpoint.id, decision.reason);
      this.logger.warn(context, 'webhook endpoint answered 410: disabled');
      return { outcome: 'endpoint-disabled' };
    }
    const ruleNow = this.clock.now();
    const failingSince = await this.endpoints.markFailing(endpoint.id, ruleNow);
    if (shouldDisableFailingEndpoint(failingSince, ruleNow)) {
      await this.record(ref, log, { status: 'failed' });
      await this.endpoints.disable(endpoint.id, 'Every attempt failed for 5 days');
      this.logger.warn(context, 'webhook endpoint failing for 5 days: disabled');
      return { outcome: 'endpoint-disabled' };
    }
    if (decision.kind === 'give-up') {
      await this.record(ref, log, { status: 'failed' });
      this.logger.warn(context, 'webhook delivery failed for good');
      return { outcome: 'failed' };
    }
    const nextAttemptAt = new Date(now.getTime() + decision.delayMs);
    if (!(await this.record(ref, log, { status: 'pending', nextAttemptAt }))) return { outcome: 'skipped' };
    this.logger.info({ ...context, retry_in_ms: decision.delayMs }, 'webhook attempt failed: will retry');
    await job.moveToDelayed(nextAttemptAt.getTime(), token);
    throw new DelayedError();
  }

  private record(
    delivery: RecordedAttempt['delivery'],
    log: AttemptLog,
    outcome: AttemptOutcome,
  ): Promise<boolean> {
    return this.writes.call({ delivery, log, outcome });
  }

  private async attempt(
    url: string,
    secrets: string[],
    messageId: string,
    body: string,
  ): Promise<{ log: AttemptLog; response: WebhookResponse }> {
    const headers = signWebhook(secrets, messageId, new Date(), body);
    let response: WebhookResponse;
    try {
      const target = parseWebhookUrl(url, { allowPrivate: this.config.webhooks.allowPrivateUrls });
      response = await this.sender.send({
        url: target.url,
        loopbackOnly: target.loopbackOnly,
        headers,
        body,
      });
    } catch (error) {
      // The URL no longer passes the rules (e.g. private URLs were allowed when it was saved).
      response = { error: (error as Error).message, durationMs: 0 };
    }
    const log: AttemptLog =
      'status' in response
        ? {
            requestHeaders: headers,
            requestBody: body,
            responseStatus: response.status,
            responseHeaders: response.headers,
            responseBody: response.body,
            durationMs: response.durationMs,
            error: null,
          }
        : { ...notSent(body, response.error), requestHeaders: headers, durationMs: response.durationMs };
    return { log, response };
  }

  @OnWorkerEvent('failed')
  onFailed(job: WebhookJob | undefined, error: Error): void {
    this.logger.warn(
      { err: { message: error.message }, job_id: job?.id, attempts: job?.attemptsMade },
      'webhooks job failed',
    );
  }

  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    this.logger.warn({ err: error, queue: WEBHOOK_QUEUE }, 'queue worker error');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
    this.sender.close();
  }
}

function notSent(body: string, error: string): AttemptLog {
  return {
    requestHeaders: {},
    requestBody: body,
    responseStatus: null,
    responseHeaders: null,
    responseBody: null,
    durationMs: 0,
    error,
  };
}
