import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Req } from '@nestjs/common';
import { MediaJob } from '@sah/domain';
import type { Request } from 'express';
import { AcceptVerifiedSession, ApiKeyScope, CurrentPrincipal, RequirePermission } from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { restData, RestResponse } from '../../../platform/http/rest-response';
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
  result: { url: string; content_type: string } | null;
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
      result: job.results[0] ? { url: this.urls.urlOf(job.id, 0), content_type: job.results[0].contentType } : null,
      error: job.error,
    };
  }
}
