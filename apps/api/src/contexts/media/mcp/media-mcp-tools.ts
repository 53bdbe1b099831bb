import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { Injectable } from '@nestjs/common';
import { MediaJob } from '@sah/domain';
import type { Logger } from 'pino';
import { z } from 'zod';
import { toolError } from '../../ai/mcp/tool-error';
import type { SpendingBudget } from '../../billing/application/spending-budget';
import { CreateMediaJobHandler } from '../application/create-media-job.handler';
import { MediaJobs } from '../application/media-jobs.service';
import { MediaResults } from '../application/media-results';
import { SignedUrls } from '../application/signed-urls';
import { DEFAULT_IMAGE_MODEL, DEFAULT_VIDEO_MODEL } from '../graphql/media-jobs.resolver';

/** An image tool call waits this long for its job; past it, the job id is returned to follow. */
const IMAGE_WAIT_MS = 2 * 60_000;
const SIZE = z.string().regex(/^\d{2,5}x\d{2,5}$/).describe('WIDTHxHEIGHT, e.g. 1024x1024 or 1280x720');

const JOB_OUTPUT = z.object({
  jobId: z.string(),
  status: z.string().describe('queued, moderating, submitted, running, succeeded, failed, cancelled or expired'),
  credits: z.number().describe('The job’s price: held now, charged only if it succeeds'),
  urls: z.array(z.string()).describe('Signed links to the results (short-lived), once succeeded'),
  error: z.string().nullable(),
});

/**
 * `generate_image`, `generate_video` and `get_media_job` for the hub's MCP server: the same media jobs
 * (prices, holds, moderation) as GraphQL and REST, for the calling user only.
 */
@Injectable()
export class MediaMcpTools {
  constructor(
    private readonly create: CreateMediaJobHandler,
    private readonly jobs: MediaJobs,
    private readonly results: MediaResults,
    private readonly urls: SignedUrls,
  ) {}

  /** `payer`: the caller, its key's budget, and the team whose wallet a team key spends. */
  register(server: McpServer, payer: { userId: string; budget: SpendingBudget | null; teamId: string | null }, log: Logger): void {
    const { userId, budget, teamId } = payer;
    server.registerTool(
      'generate_image',
      {
        title: 'Generate an image',
        description: 'Generates images from a prompt (e.g. gpt-image-1, 50 credits per image) and returns signed links to them. Paid from your credits; INSUFFICIENT_CREDITS when they do not cover it.',
        inputSchema: z.strictObject({
          prompt: z.string().min(1).max(4000),
          model: z.string().max(100).optional().describe(`Default ${DEFAULT_IMAGE_MODEL}`),
          size: SIZE.optional(),
          n: z.number().int().min(1).max(4).optional(),
        }),
        outputSchema: JOB_OUTPUT,
        annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
      },
      async (input) => {
        try {
          const job = await this.create.execute({ userId, budget, teamId, kind: 'image', model: input.model ?? DEFAULT_IMAGE_MODEL, prompt: input.prompt, size: input.size, n: input.n });
          return this.result(await this.results.settled(job, IMAGE_WAIT_MS));
        } catch (error) {
          return toolError(error, log);
        }
      },
    );
    server.registerTool(
      'generate_video',
      {
        title: 'Generate a video',
        description:
          'Starts a video job (e.g. sora-2, 30 credits per video) and returns its id at once; videos take minutes. Follow it with get_media_job. ' +
          'The price is held now and charged only if the video is made.',
        inputSchema: z.strictObject({
          prompt: z.string().min(1).max(4000),
          model: z.string().max(100).optional().describe(`Default ${DEFAULT_VIDEO_MODEL}`),
          seconds: z.number().int().min(1).max(60).optional().describe('Default 4'),
          size: SIZE.optional(),
        }),
        outputSchema: JOB_OUTPUT,
        annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
      },
      async (input) => {
        try {
          const job = await this.create.execute({ userId, budget, teamId, kind: 'video', model: input.model ?? DEFAULT_VIDEO_MODEL, prompt: input.prompt, size: input.size, seconds: input.seconds ?? 4 });
          return this.result(job);
        } catch (error) {
          return toolError(error, log);
        }
      },
    );
    server.registerTool(
      'get_media_job',
      {
        title: 'Follow a media job',
        description: 'The status of one of your image or video jobs, with signed links to its results once it succeeded.',
        inputSchema: z.strictObject({ jobId: z.string().uuid() }),
        outputSchema: JOB_OUTPUT,
        annotations: { readOnlyHint: true, openWorldHint: false },
      },
      async (input) => {
        try {
          return this.result(await this.jobs.getOwn(userId, input.jobId));
        } catch (error) {
          return toolError(error, log);
        }
      },
    );
  }

  private result(job: MediaJob) {
    const output = {
      jobId: job.id,
      status: job.status,
      credits: job.price.toNumber(),
      urls: job.status === 'succeeded' ? job.results.map((_file, index) => this.urls.urlOf(job.id, index)) : [],
      error: job.error ? `${job.error.code}: ${job.error.message}` : null,
    };
    return { content: [{ type: 'text' as const, text: JSON.stringify(output) }], structuredContent: output };
  }
}
