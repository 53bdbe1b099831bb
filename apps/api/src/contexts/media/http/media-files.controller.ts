import { Controller, Get, Param, ParseIntPipe, Query, Res } from '@nestjs/common';
import { DomainError } from '@sah/domain';
import { MediaJobRepository } from '@sah/infrastructure';
import type { Response } from 'express';
import { Public } from '../../../platform/auth/auth.decorators';
import { MediaResults } from '../application/media-results';
import { SignedUrls } from '../application/signed-urls';

/**
 * Result files behind short-lived signed links (the signature is the credential: only a job's owner
 * is handed one). A bad, expired or foreign link is a plain 404.
 */
@Controller('api/v1/media/files')
@Public()
export class MediaFilesController {
  constructor(
    private readonly urls: SignedUrls,
    private readonly jobs: MediaJobRepository,
    private readonly results: MediaResults,
  ) {}

  @Get(':jobId/:index')
  async file(
    @Param('jobId') jobId: string,
    @Param('index', ParseIntPipe) index: number,
    @Query('expires') expires: string | undefined,
    @Query('signature') signature: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    if (!signature || !this.urls.verify(jobId, index, Number(expires), signature)) throw DomainError.notFound('Media file', { jobId, index });
    const job = /^[0-9a-f-]{36}$/i.test(jobId) ? await this.jobs.find(jobId) : null;
    if (!job) throw DomainError.notFound('Media file', { jobId, index });
    const { bytes, contentType } = await this.results.file(job, index);
    res.setHeader('Content-Type', contentType);
    res.setHeader('Cache-Control', 'private, max-age=300');
    res.setHeader('Content-Length', String(bytes.length));
    res.status(200).end(bytes);
  }
}
