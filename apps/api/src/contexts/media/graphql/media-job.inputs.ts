import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { MEDIA_LIMITS } from '@sah/domain';
import { IsEnum, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { MediaJobStatusEnum, MediaKindEnum } from './media-job.object';

const SIZE = /^\d{2,5}x\d{2,5}$/;

@InputType()
export class CreateImageJobInput {
  @Field() @IsString() @MaxLength(4000) prompt!: string;
  @Field({ nullable: true, description: 'Default gpt-image-1' }) @IsOptional() @IsString() @MaxLength(100) model?: string;
  @Field({ nullable: true, description: 'WIDTHxHEIGHT, e.g. 1024x1024' }) @IsOptional() @Matches(SIZE) size?: string;
  @Field(() => Int, { nullable: true, description: 'Images, 1-4 (default 1)' }) @IsOptional() @IsInt() @Min(1) @Max(4) n?: number;
  @Field({ nullable: true, description: 'An image to start from: https URL or base64 image data URL; moderated with the prompt' })
  @IsOptional()
  @IsString()
  @MaxLength(MEDIA_LIMITS.maxReferenceDataUrlLength)
  referenceImageUrl?: string;
}

@InputType()
export class CreateVideoJobInput {
  @Field() @IsString() @MaxLength(4000) prompt!: string;
  @Field({ nullable: true, description: 'Default sora-2' }) @IsOptional() @IsString() @MaxLength(100) model?: string;
  @Field(() => Int, { nullable: true, description: 'Length, 1-60 (default 4)' }) @IsOptional() @IsInt() @Min(1) @Max(60) seconds?: number;
  @Field({ nullable: true, description: 'WIDTHxHEIGHT, e.g. 1280x720' }) @IsOptional() @Matches(SIZE) size?: string;
  @Field({ nullable: true, description: 'An image to start from: https URL or base64 image data URL; moderated with the prompt' })
  @IsOptional()
  @IsString()
  @MaxLength(MEDIA_LIMITS.maxReferenceDataUrlLength)
  referenceImageUrl?: string;
}

@InputType()
export class MediaJobsFilter {
  @Field(() => MediaJobStatusEnum, { nullable: true }) @IsOptional() @IsEnum(MediaJobStatusEnum) status?: MediaJobStatusEnum;
  @Field(() => MediaKindEnum, { nullable: true }) @IsOptional() @IsEnum(MediaKindEnum) kind?: MediaKindEnum;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(100) model?: string;
  @Field(() => ID, { nullable: true, description: 'Admins: one user’s jobs (default: everyone’s); others: only their own' })
  @IsOptional()
  @IsUUID()
  userId?: string;
}
