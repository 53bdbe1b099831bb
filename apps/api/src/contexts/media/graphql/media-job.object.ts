import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { MediaJob } from '@sah/domain';
import GraphQLJSON from 'graphql-type-json';
import { PageInfoObject } from '../../identity/graphql/user.object';

export enum MediaJobStatusEnum {
  QUEUED = 'queued',
  MODERATING = 'moderating',
  SUBMITTED = 'submitted',
  RUNNING = 'running',
  SUCCEEDED = 'succeeded',
  FAILED = 'failed',
  CANCELLED = 'cancelled',
  EXPIRED = 'expired',
}
registerEnumType(MediaJobStatusEnum, { name: 'MediaJobStatus' });

export enum MediaKindEnum {
  IMAGE = 'image',
  VIDEO = 'video',
}
registerEnumType(MediaKindEnum, { name: 'MediaKind' });

@ObjectType('MediaResult')
export class MediaResultObject {
  @Field({ description: 'A short-lived signed link; only the job’s owner is given one' }) url!: string;
  @Field() contentType!: string;
  @Field(() => Int, { description: 'Bytes' }) size!: number;
  @Field({ description: 'SHA-256 of the file, hex' }) sha256!: string;
  @Field(() => Int, { nullable: true, description: 'Image width in pixels, read from the file' }) width!: number | null;
  @Field(() => Int, { nullable: true, description: 'Image height in pixels, read from the file' }) height!: number | null;
  @Field(() => Float, { nullable: true, description: 'Video length in seconds, as the provider reported it' }) durationSeconds!: number | null;
}

@ObjectType('MediaJobError')
export class MediaJobErrorObject {
  @Field({ description: 'CONTENT_REJECTED, PROVIDER_ERROR, DEADLINE_EXCEEDED, CANCELLED, NOT_QUEUED' }) code!: string;
  @Field() message!: string;
  @Field(() => GraphQLJSON, { nullable: true, description: 'E.g. the moderation categories of a rejected prompt' }) details?: Record<string, unknown> | null;
}

@ObjectType('MediaModeration')
export class MediaModerationObject {
  @Field() flagged!: boolean;
  @Field(() => [String]) categories!: string[];
}

@ObjectType('MediaJob')
export class MediaJobObject {
  @Field(() => ID) id!: string;
  @Field(() => ID) userId!: string;
  @Field(() => MediaKindEnum) kind!: MediaKindEnum;
  @Field(() => MediaJobStatusEnum) status!: MediaJobStatusEnum;
  @Field() model!: string;
  @Field() provider!: string;
  @Field() prompt!: string;
  @Field(() => String, { nullable: true }) size!: string | null;
  @Field(() => Int, { description: 'Images asked for' }) n!: number;
  @Field(() => Int, { nullable: true, description: 'Video length' }) seconds!: number | null;
  @Field(() => Float, { description: 'The price held at creation; charged only if the job succeeds' }) credits!: number;
  @Field(() => Int, { description: 'Provider calls that failed and were retried' }) attempts!: number;
  @Field(() => MediaModerationObject, { nullable: true }) moderation!: MediaModerationObject | null;
  @Field(() => MediaResultObject, { nullable: true, description: 'The first result file' }) result!: MediaResultObject | null;
  @Field(() => [MediaResultObject]) results!: MediaResultObject[];
  @Field(() => MediaJobErrorObject, { nullable: true }) error!: MediaJobErrorObject | null;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
  @Field({ description: 'Not finished by then, the job expires and its hold is released' }) deadlineAt!: Date;
  @Field(() => Date, { nullable: true }) finishedAt!: Date | null;

  /** `urlOf` is given only when the viewer owns the job: nobody else gets a link to the files. */
  static from(job: MediaJob, urlOf?: (jobId: string, index: number) => string): MediaJobObject {
    const results = urlOf
      ? job.results.map((file, index) => ({
          url: urlOf(job.id, index),
          contentType: file.contentType,
          size: file.size,
          sha256: file.sha256,
          width: file.width ?? null,
          height: file.height ?? null,
          durationSeconds: file.durationSeconds ?? null,
        }))
      : [];
    return Object.assign(new MediaJobObject(), {
      id: job.id,
      userId: job.userId,
      kind: job.kind as MediaKindEnum,
      status: job.status as MediaJobStatusEnum,
      model: job.model,
      provider: job.provider,
      prompt: job.prompt,
      size: job.size,
      n: job.n,
      seconds: job.seconds,
      credits: job.price.toNumber(),
      attempts: job.attempts,
      moderation: job.moderation,
      result: results[0] ?? null,
      results,
      error: job.error ? { code: job.error.code, message: job.error.message, details: job.error.details ?? null } : null,
      createdAt: job.createdAt,
      updatedAt: job.updatedAt,
      deadlineAt: job.deadlineAt,
      finishedAt: job.finishedAt,
    });
  }
}

@ObjectType('MediaJobPage')
export class MediaJobPageObject {
  @Field(() => [MediaJobObject]) items!: MediaJobObject[];
  @Field(() => PageInfoObject) pageInfo!: PageInfoObject;
}
