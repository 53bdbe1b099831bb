import { Field, Float, InputType, ObjectType } from '@nestjs/graphql';
import { MediaModel, routesOf } from '@sah/domain';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { MediaKindEnum } from './media-job.object';

@ObjectType('MediaRoute')
export class MediaRouteObject {
  @Field({ description: 'The adapter: openai (OpenAI images and video protocol) or fal (fal.ai queue)' }) provider!: string;
  @Field({ description: 'The provider’s own name for the model (a fal endpoint id for fal)' }) upstreamModel!: string;
}

@ObjectType('MediaModel')
export class MediaModelObject {
  @Field() id!: string;
  @Field(() => MediaKindEnum) kind!: MediaKindEnum;
  @Field() provider!: string;
  @Field(() => [String], { description: 'The providers that serve it, in the order they are tried' }) providers!: string[];
  @Field(() => [MediaRouteObject], { description: 'Each provider with its name for the model, in the order they are tried' }) routes!: MediaRouteObject[];
  @Field(() => Float, { description: 'Credits per unit' }) price!: number;
  @Field({ description: 'image (per image), video (per video) or minute (per minute of video, charged per second)' }) unit!: string;
  @Field() enabled!: boolean;

  static from(model: MediaModel): MediaModelObject {
    return Object.assign(new MediaModelObject(), {
      id: model.id,
      kind: model.kind as MediaKindEnum,
      provider: model.provider,
      providers: routesOf(model).map((route) => route.provider),
      routes: routesOf(model).map((route) => Object.assign(new MediaRouteObject(), route)),
      price: model.price.toNumber(),
      unit: model.unit,
      enabled: model.enabled,
    });
  }
}

@InputType()
export class MediaRouteInput {
  @Field() @IsString() @Matches(/^[a-z0-9-]{1,50}$/) provider!: string;
  @Field() @IsString() @Matches(/^[A-Za-z0-9._:/-]{1,200}$/) upstreamModel!: string;
}

@InputType()
export class UpdateMediaModelInput {
  @Field() @IsString() @MaxLength(100) id!: string;
  @Field({ nullable: true, description: 'Credits per unit, up to 3 decimals; applies to jobs created afterwards' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,9}(\.\d{1,3})?$/)
  price?: string;
  @Field({ nullable: true }) @IsOptional() @IsBoolean() enabled?: boolean;
}

@InputType()
export class SetMediaModelRoutesInput {
  @Field() @IsString() @MaxLength(100) id!: string;
  @Field(() => [MediaRouteInput], { description: 'The providers that serve it, in order: the first takes jobs, the next ones when those before are failing' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(6)
  @ValidateNested({ each: true })
  @Type(() => MediaRouteInput)
  routes!: MediaRouteInput[];
}
