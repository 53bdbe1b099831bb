import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Res, UseFilters, UseInterceptors } from '@nestjs/common';
import { NoFilesInterceptor } from '@nestjs/platform-express';
import { DomainError, MediaJob } from '@sah/domain';
import type { Response } from 'express';
import { ApiKeyScope, CurrentPrincipal, RequirePermission } from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { ProviderErrorFilter } from '../../ai/http/provider-error.filter';
import { spendingBudgetOf } from '../../billing/application/spending-budget';
import { CreateMediaJobHandler } from '../application/create-media-job.handler';
import { MediaJobs } from '../application/media-jobs.service';
import { MediaResults } from '../application/media-results';
import { DEFAULT_IMAGE_MODEL, DEFAULT_VIDEO_MODEL } from '../graphql/media-jobs.resolver';

/** How long `images.generate` may wait for its job (the SDK waits 10 minutes by default). */
const IMAGE_WAIT_MS = 5 * 60_000;

const VIDEO_STATUS: Record<MediaJob['status'], 'queued' | 'in_progress' | 'completed' | 'failed'> = {
  queued: 'queued',
  moderating: 'queued',
  submitted: 'queued',
  running: 'in_progress',
  succeeded: 'completed',
  failed: 'failed',
  cancelled: 'failed',
  expired: 'failed',
};

/**
 * OpenAI's images and videos endpoints, metered as media jobs, so the official `openai` SDK pointed at
 * the hub works unchanged. Errors in OpenAI's shape.
 */
@Controller('v1')
@UseFilters(ProviderErrorFilter)
@RequirePermission('ai:use')
@ApiKeyScope('media.create')
export class OpenAiMediaController {
  constructor(
    private readonly create: CreateMediaJobHandler,
    private readonly jobs: MediaJobs,
    private readonly results: MediaResults,
  ) {}

  /** Synchronous like OpenAI's: answers once the job has finished, with the images as `b64_json`. */
  @Post('images/generations')
  async generateImages(@CurrentPrincipal() principal: Principal, @Body() body: Record<string, unknown>, @Res() res: Response): Promise<void> {
    const job = await this.create.execute({
      userId: principal.userId,
      budget: spendingBudgetOf(principal),
      teamId: principal.apiKeyTeamId ?? null,
      kind: 'image',
      model: optionalString(body, 'model') ?? DEFAULT_IMAGE_MODEL,
      prompt: requiredString(body, 'prompt'),
      size: sizeOf(optionalString(body, 'size')),
      n: optionalInteger(body, 'n'),
    });
    const done = await this.results.settled(job, IMAGE_WAIT_MS);
    if (done.status !== 'succeeded') throw jobFailure(done);
    const data = await Promise.all(done.results.map(async (_file, index) => ({ b64_json: (await this.results.file(done, index)).bytes.toString('base64') })));
    res.status(200).json({
      created: Math.floor(done.createdAt.getTime() / 1000),
      data,
      output_format: done.results[0]?.contentType.split('/')[1] ?? 'png',
      size: done.size ?? undefined,
      // The hub meters images, not tokens.
      usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0, input_tokens_details: { image_tokens: 0, text_tokens: 0 } },
    });
  }

  /** Recent SDKs send multipart, older ones JSON: both arrive here as fields. */
  @Post('videos')
  @HttpCode(HttpStatus.OK)
  @UseInterceptors(NoFilesInterceptor())
  async createVideo(@CurrentPrincipal() principal: Principal, @Body() body: Record<string, unknown>) {
    const seconds = optionalInteger(body, 'seconds');
    const job = await this.create.execute({
      userId: principal.userId,
      budget: spendingBudgetOf(principal),
      teamId: principal.apiKeyTeamId ?? null,
      kind: 'video',
      model: optionalString(body, 'model') ?? DEFAULT_VIDEO_MODEL,
      prompt: requiredString(body, 'prompt'),
      seconds: seconds ?? 4,
      size: sizeOf(optionalString(body, 'size')),
    });
    return videoObject(job);
  }

  @Get('videos/:id')
  async video(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return videoObject(await this.jobs.getOwn(principal.userId, id));
  }

  @Get('videos/:id/content')
  async content(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Res() res: Response): Promise<void> {
    const job = await this.jobs.getOwn(principal.userId, id);
    const { bytes, contentType } = await this.results.file(job, 0);
    res.setHeader('Content-Type', contentType);
    res.setHeader('Content-Length', String(bytes.length));
    res.status(200).end(bytes);
  }
}

function videoObject(job: MediaJob) {
  const status = VIDEO_STATUS[job.status];
  return {
    id: job.id,
    object: 'video',
    created_at: Math.floor(job.createdAt.getTime() / 1000),
    completed_at: job.finishedAt && status === 'completed' ? Math.floor(job.finishedAt.getTime() / 1000) : null,
    expires_at: null,
    error: status === 'failed' && job.error ? { code: job.error.code.toLowerCase(), message: job.error.message } : null,
    model: job.model,
    progress: status === 'completed' ? 100 : 0,
    prompt: job.prompt,
    remixed_from_video_id: null,
    seconds: String(job.seconds ?? 4),
    size: job.size ?? '720x1280',
    status,
  };
}

function jobFailure(job: MediaJob): DomainError {
  if (job.error?.code === 'CONTENT_REJECTED') return DomainError.badInput(job.error.message, { code: 'content_policy_violation', ...job.error.details });
  if (job.status === 'succeeded' || !job.error) return new DomainError('SERVICE_UNAVAILABLE', `The image job ${job.id} is still ${job.status}; follow it with GET /api/v1/media/jobs/${job.id}`);
  return new DomainError('PROVIDER_ERROR', job.error.message, { jobId: job.id });
}

function requiredString(body: Record<string, unknown>, field: string): string {
  const value = body?.[field];
  if (typeof value !== 'string' || !value.trim()) throw DomainError.badInput(`${field} is required`, { field });
  return value;
}

function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body?.[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw DomainError.badInput(`${field} must be a string`, { field });
  return value;
}

/** JSON numbers, or multipart's text. */
function optionalInteger(body: Record<string, unknown>, field: string): number | undefined {
  const value = body?.[field];
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number)) throw DomainError.badInput(`${field} must be an integer`, { field });
  return number;
}

/** `auto` (OpenAI's default) leaves the size to the provider. */
function sizeOf(size: string | undefined): string | null {
  if (size === undefined || size === 'auto') return null;
  if (!/^\d{2,5}x\d{2,5}$/.test(size)) throw DomainError.badInput('size must look like 1024x1024', { field: 'size' });
  return size;
}
