import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Req } from '@nestjs/common';
import { MediaJob, MediaResultFile } from '@sah/domain';
import type { Request } from 'express';
import { AcceptVerifiedSession, ApiKeyScope, CurrentPrincipal, RequirePermission } from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { restData, RestResponse } from '../../../platform/http/rest-response';
import { spendingBudgetOf } from '../../billing/application/spending-budget';
import { CreateMediaJobHandler } from '../application/create-media-job.handler';
import { MediaJobs } from '../application/media-jobs.service';
import { SignedUrls } from '../application/signed-urls';
import { Sora2GenerateBody } from './media-jobs.dto';

interface MediaJobView {
  id: string;
  kind: string;
  status: string;
  model: string;
  credits: number;
  created_at: string;
  finished_at: string | null;
  /** The first result file; pixels and length as GraphQL's MediaResult has them (null when unknown). */
  result: { url: string; content_type: string; width: number | null; height: number | null; duration_seconds: number | null } | null;
  error: { code: string; message: string; details?: Record<string, unknown> } | null;
}

/**
 * The Custom GPT flow: a tool holding the user's `VERIFIED-…` code (or an API key with
 * `media.create`) starts a Sora 2 video and follows it.
 */
@Controller('api')
@RequirePermission('ai:use')
@ApiKeyScope('media.create')
@AcceptVerifiedSession()
export class MediaJobsController {
  constructor(
    private readonly create: CreateMediaJobHandler,
    private readonly jobs: MediaJobs,
    private readonly urls: SignedUrls,
  ) {}

  @Post('sora2/generate')
  @HttpCode(HttpStatus.ACCEPTED)
  async generate(@CurrentPrincipal() principal: Principal, @Body() body: Sora2GenerateBody, @Req() req: Request): Promise<RestResponse<MediaJobView>> {
    const job = await this.create.execute({
      userId: principal.userId,
      kind: 'video',
      model: 'sora-2',
      prompt: body.prompt,
      seconds: body.duration ?? 4,
      size: body.resolution ?? null,
      budget: spendingBudgetOf(principal),
      teamId: principal.apiKeyTeamId ?? null,
    });
    return restData(req, this.view(job));
  }

  @Get('v1/media/jobs/:id')
  async job(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Req() req: Request): Promise<RestResponse<MediaJobView>> {
    return restData(req, this.view(await this.jobs.getOwn(principal.userId, id)));
  }

  private view(job: MediaJob): MediaJobView {
    return {
      id: job.id,
      kind: job.kind,
      status: job.status,
      model: job.model,
      credits: job.price.toNumber(),
      created_at: job.createdAt.toISOString(),
      finished_at: job.finishedAt?.toISOString() ?? null,
      result: job.results[0] ? this.resultView(job, job.results[0]) : null,
      error: job.error,
    };
  }

  private resultView(job: MediaJob, file: MediaResultFile): NonNullable<MediaJobView['result']> {
    return {
      url: this.urls.urlOf(job.id, 0),
      content_type: file.contentType,
      width: file.width ?? null,
      height: file.height ?? null,
      duration_seconds: file.durationSeconds ?? null,
    };
  }
}
