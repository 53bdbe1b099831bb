import { Field, Float, InputType, ObjectType } from '@nestjs/graphql';
import { MediaModel, routesOf } from '@sah/domain';
import { IsBoolean, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { MediaKindEnum } from './media-job.object';

@ObjectType('MediaModel')
export class MediaModelObject {
  @Field() id!: string;
  @Field(() => MediaKindEnum) kind!: MediaKindEnum;
  @Field() provider!: string;
  @Field(() => [String], { description: 'The providers that serve it, in the order they are tried' }) providers!: string[];
  @Field(() => Float, { description: 'Credits per unit' }) price!: number;
  @Field({ description: 'image (per image), video (per video) or minute (per minute of video, charged per second)' }) unit!: string;
  @Field() enabled!: boolean;

  static from(model: MediaModel): MediaModelObject {
    return Object.assign(new MediaModelObject(), {
      id: model.id,
      kind: model.kind as MediaKindEnum,
      provider: model.provider,
      providers: routesOf(model).map((route) => route.provider),
      price: model.price.toNumber(),
      unit: model.unit,
      enabled: model.enabled,
    });
  }
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
